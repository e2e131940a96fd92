package io.probity.audit;

import io.probity.api.ApiException;
import io.probity.model.ModelRegistry;
import io.probity.model.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Reads and changes the per-version audit overrides (tolerance and temperature). A change applies
 * to predictions ingested afterwards and to audits shown again in the UI; stored verdicts stay.
 */
@ApplicationScoped
public class AuditSettingsService {

    private static final Logger LOG = Logger.getLogger(AuditSettingsService.class);

    @Inject
    ModelRegistry registry;

    @Inject
    io.probity.security.SecurityLog securityLog;

    /** Returns a version's settings, or throws a 404 {@link ApiException}. */
    @Transactional
    public AuditSettingsView get(String model, String version) {
        return view(find(model, version));
    }

    /**
     * Replaces a version's overrides; null clears one.
     *
     * @param changedBy the user or key name recorded in the security log
     * @param address   the client address recorded in the security log
     * @throws ApiException 400 for an invalid value, 404 for an unknown version
     */
    @Transactional
    public AuditSettingsView update(String model, String version, Double toleranceOverride,
                                    Double temperatureOverride, String changedBy,
                                    String address) {
        if (toleranceOverride != null && !(toleranceOverride >= 0 && toleranceOverride < 1)) {
            throw ApiException.badRequest("toleranceOverride is " + toleranceOverride
                    + "; send an absolute tolerance from 0 (inclusive) to 1 (exclusive), or null to derive it");
        }
        if (temperatureOverride != null && !(temperatureOverride > 0 && temperatureOverride <= 1000)) {
            throw ApiException.badRequest("temperatureOverride is " + temperatureOverride
                    + "; send a temperature above 0 and at most 1000, or null to use the declared one");
        }

        ModelVersion entity = find(model, version);
        Double oldTolerance = entity.toleranceOverride;
        Double oldTemperature = entity.temperatureOverride;
        entity.toleranceOverride = toleranceOverride;
        entity.temperatureOverride = temperatureOverride;
        registry.invalidate(model, version);
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("toleranceBefore", oldTolerance);
        details.put("toleranceAfter", toleranceOverride);
        details.put("temperatureBefore", oldTemperature);
        details.put("temperatureAfter", temperatureOverride);
        securityLog.record(changedBy, address, "audit-settings-changed", model + "/" + version, details);
        LOG.infof("Audit settings of model %s version %s changed by %s: tolerance %s -> %s, temperature %s -> %s",
                model, version, changedBy, oldTolerance, toleranceOverride, oldTemperature, temperatureOverride);
        return view(entity);
    }

    private static ModelVersion find(String model, String version) {
        ModelVersion entity = ModelVersion.find("model = ?1 and version = ?2", model, version).firstResult();
        if (entity == null) {
            throw ApiException.notFound("No model " + model + " version " + version
                    + " is stored; list models with GET /api/v1/models");
        }
        return entity;
    }

    private static AuditSettingsView view(ModelVersion entity) {
        return new AuditSettingsView(entity.model, entity.version, entity.classes, entity.toleranceOverride,
                entity.temperatureOverride);
    }
}
