package io.probity.model;

import io.probity.audit.AuditSettings;

import java.util.List;

/**
 * Immutable view of a model version used on the ingestion path.
 *
 * @param temperatureOverride temperature that replaces the declared one in the audit, or NaN
 * @param toleranceOverride   absolute audit tolerance that replaces the derived one, or NaN
 */
public record ModelVersionInfo(long id, String model, String version, List<String> classes,
                               double temperatureOverride, double toleranceOverride) {

    public AuditSettings auditSettings() {
        return new AuditSettings(toleranceOverride, temperatureOverride);
    }

    /** Returns the index of a class name, or -1 when the version has no such class. */
    public int classIndex(String name) {
        return classes.indexOf(name);
    }
}
