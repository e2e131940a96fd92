package io.probity.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Audit settings of one model version, as read and written by
 * {@code /api/v1/models/{model}/versions/{version}/audit-settings}.
 *
 * @param toleranceOverride   absolute per-value tolerance replacing the one derived from the input's
 *                            precision; null derives it
 * @param temperatureOverride temperature replacing the one each record declares; null uses the declared one
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditSettingsView(String model, String version, List<String> classes, Double toleranceOverride,
                                Double temperatureOverride) {
}
