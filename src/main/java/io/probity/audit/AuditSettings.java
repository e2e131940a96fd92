package io.probity.audit;

/**
 * Settings of a softmax audit.
 *
 * @param toleranceOverride   an absolute tolerance that replaces the tolerance derived from the precision
 *                            of the input: a value matches when {@code |reported_i - expected_i| <= toleranceOverride},
 *                            and the sum check allows {@code n * toleranceOverride}. With an override the audit
 *                            does not infer {@code rounded} or {@code low-precision} and gives no warn for near
 *                            matches. NaN (the default) derives the tolerance, and any other value must be finite and at least 0.
 * @param temperatureOverride a temperature that replaces the one declared for the record; NaN (the default)
 *                            uses the declared temperature, otherwise finite and greater than 0
 */
public record AuditSettings(double toleranceOverride, double temperatureOverride) {

    /** Derived tolerance and the declared temperature. */
    public static final AuditSettings DEFAULT = new AuditSettings(Double.NaN, Double.NaN);

    public AuditSettings {
        if (!Double.isNaN(toleranceOverride) && !(toleranceOverride >= 0 && toleranceOverride < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("toleranceOverride must be NaN (derive it) or finite and at least 0, but is "
                    + toleranceOverride);
        }
        if (!Double.isNaN(temperatureOverride) && !(temperatureOverride > 0 && temperatureOverride < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperatureOverride must be NaN (use the declared temperature) or finite "
                    + "and greater than 0, but is " + temperatureOverride);
        }
    }

    /** Returns true when {@link #toleranceOverride()} is set. */
    public boolean hasToleranceOverride() {
        return !Double.isNaN(toleranceOverride);
    }
}
