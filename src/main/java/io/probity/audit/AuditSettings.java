package io.probity.audit;

public record AuditSettings(double toleranceOverride, double temperatureOverride) {
    public static final AuditSettings DEFAULT = new AuditSettings(Double.NaN, Double.NaN);
}
