package io.probity.audit;

import java.util.List;

/**
 * Audits one prediction record: recomputes {@code softmax(logits / T)} in float64, compares it with the
 * reported probabilities and, when they differ, names the serving fault that reproduces them.
 *
 * <p><b>Clean path.</b> Most records are clean, so the audit first checks for a clean match with no
 * allocation besides the recomputed vector and the result. A reported value matches when
 * {@code |r_i - p_i| <= u p_i (5 + 2 sqrt(n) + 2 kappa_i + 2 sum_j p_j kappa_j) + N}, where u and N are the unit
 * roundoff and smallest normal value of float32 when every reported value survives a float32 round trip
 * ({@code (double)(float) r == r}), else of float64. {@link ToleranceModel} derives this bound and defines
 * kappa. A clean match returns verdict pass with no causes.
 *
 * <p><b>Detailed path.</b> Otherwise {@link DetailedAudit} runs, in this order:
 * <ol>
 *   <li>{@code non-finite} for NaN or infinite logits or reported values;</li>
 *   <li>the changes of precision, which pass: {@code rounded} (values with at most d decimals within
 *       {@code 0.5 * 10^-d} of the recomputation) and {@code low-precision} (float16 or bfloat16 values within
 *       their rounding), each first with exact logits and then allowing for logits rounded to d decimals;</li>
 *   <li>the warn band: when every value fits once the arithmetic error estimate in its tolerance is multiplied
 *       by 16, the verdict is warn with cause {@code imprecise};</li>
 *   <li>the known faults in {@link Transformations}, the first that fits: {@code temperature} (with
 *       {@code temperature-twice}), {@code class-order}, {@code sigmoid}, {@code log-probabilities},
 *       {@code logits-as-probabilities}, {@code double-softmax}, {@code percent}, {@code wrong-axis},
 *       {@code one-hot}, {@code truncated}, {@code subset}, {@code unnormalised}; if none fits, {@code mismatch}
 *       with the KL divergence;</li>
 *   <li>the symptoms {@code range} and {@code sum}, then {@code argmax}.</li>
 * </ol>
 * Records without logits get the checks that need none: {@code non-finite}, {@code range}, {@code sum} (warn
 * in the same band), {@code percent}, {@code log-probabilities}, {@code wrong-axis}, {@code one-hot}
 * (warn) and {@code argmax} against the reported values.
 *
 * <p><b>Argmax.</b> The predicted class must hold a maximum of the reported values, or of the recomputed values
 * when no finite reported values were sent. Ties compare exactly, so any of several equal maxima passes.
 */
public final class SoftmaxAuditor {

    private static final String CLEAN_FLOAT32 =
            "Reported probabilities match the softmax of the logits within float32 precision.";
    private static final String CLEAN_FLOAT64 =
            "Reported probabilities match the softmax of the logits within float64 precision.";
    private static final String CLEAN_OVERRIDE =
            "Reported probabilities match the softmax of the logits within the tolerance override.";

    private SoftmaxAuditor() {
    }

    /**
     * Audits one record.
     *
     * @param logits              the logits, or null when the record sent none
     * @param reported            the reported probabilities, or null when the record sent none (not both null)
     * @param predictedClass      the index of the predicted class, or -1 when the record sent none
     * @param declaredTemperature the temperature declared for the model version, finite and greater than 0
     * @param settings            tolerance and temperature overrides; null means {@link AuditSettings#DEFAULT}
     * @return the verdict, causes and details; see {@link AuditResult}
     * @throws IllegalArgumentException when both vectors are null, a vector is empty, the two lengths differ,
     *                                  the predicted class is out of range or the temperature is invalid
     */
    public static AuditResult audit(double[] logits, double[] reported, int predictedClass, double declaredTemperature,
            AuditSettings settings) {
        AuditSettings effective = settings == null ? AuditSettings.DEFAULT : settings;
        double temperature = Double.isNaN(effective.temperatureOverride())
                ? declaredTemperature : effective.temperatureOverride();
        Softmax.checkTemperature(temperature);
        int n = checkLengths(logits, reported);
        if (predictedClass < -1 || predictedClass >= n) {
            throw new IllegalArgumentException("predictedClass must be -1 (not sent) or an index below " + n
                    + ", but is " + predictedClass);
        }

        if (logits == null) {
            return DetailedAudit.audit(null, reported, null, predictedClass, temperature, effective);
        }
        double[] recomputed = new double[n];
        Softmax.softmaxInto(logits, temperature, recomputed);
        if (reported == null) {
            return DetailedAudit.auditLogitsOnly(recomputed, predictedClass);
        }

        AuditResult clean = cleanMatch(logits, reported, recomputed, predictedClass, temperature, effective);
        if (clean != null) {
            return clean;
        }
        return DetailedAudit.audit(logits, reported, recomputed, predictedClass, temperature, effective);
    }

    private static int checkLengths(double[] logits, double[] reported) {
        if (logits == null && reported == null) {
            throw new IllegalArgumentException("logits and reported are both null; a record needs at least one of them");
        }
        if (logits != null && reported != null && logits.length != reported.length) {
            throw new IllegalArgumentException("logits have length " + logits.length + " but reported has length "
                    + reported.length + "; reject the record at ingestion with cause " + AuditCauses.LENGTH);
        }
        int n = logits != null ? logits.length : reported.length;
        if (n == 0) {
            throw new IllegalArgumentException("the vectors are empty; a record needs at least one class");
        }
        return n;
    }

    /**
     * Returns a pass result when every reported value matches the recomputation within the clean-match
     * tolerance and the predicted class is a maximum, else null. Non-finite input fails the comparisons
     * (NaN compares false), so it also returns null.
     */
    private static AuditResult cleanMatch(double[] logits, double[] reported, double[] recomputed, int predictedClass,
            double temperature, AuditSettings settings) {
        int n = logits.length;
        if (Double.isNaN(recomputed[0])) {
            return null;
        }

        boolean float32 = true;
        double maxLogit = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float32 &= (double) (float) reported[i] == reported[i];
            maxLogit = Math.max(maxLogit, logits[i]);
        }
        double u = float32 ? Precision.UNIT_ROUNDOFF_FLOAT32 : Precision.UNIT_ROUNDOFF_FLOAT64;
        double minNormal = float32 ? Precision.MIN_NORMAL_FLOAT32 : Precision.MIN_NORMAL_FLOAT64;

        double meanKappa = 0;
        for (int i = 0; i < n; i++) {
            meanKappa += recomputed[i] * ToleranceModel.kappa(logits[i], maxLogit, temperature);
        }
        double base = 5 + 2 * Math.sqrt(n) + 2 * meanKappa;

        boolean override = settings.hasToleranceOverride();
        double maxAbsDiff = 0;
        for (int i = 0; i < n; i++) {
            double p = recomputed[i];
            double allowed = override ? settings.toleranceOverride()
                    : u * p * (base + 2 * ToleranceModel.kappa(logits[i], maxLogit, temperature)) + minNormal;
            double diff = Math.abs(reported[i] - p);
            // Written as !(<=) so that a NaN difference also leaves the clean path.
            if (!(diff <= allowed)) {
                return null;
            }
            maxAbsDiff = Math.max(maxAbsDiff, diff);
        }

        if (predictedClass >= 0) {
            double max = reported[0];
            for (int i = 1; i < n; i++) {
                max = Math.max(max, reported[i]);
            }
            if (reported[predictedClass] != max) {
                return null;
            }
        }

        String explanation = CLEAN_FLOAT64;
        if (override) {
            explanation = CLEAN_OVERRIDE;
        } else if (float32) {
            explanation = CLEAN_FLOAT32;
        }
        return new AuditResult(Verdict.PASS, List.of(), maxAbsDiff, recomputed, Double.NaN, null, -1, Double.NaN,
                explanation);
    }
}
