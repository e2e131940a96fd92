package io.probity.audit;

/**
 * Tolerances for comparing reported probabilities with the float64 recomputation, derived from the
 * precision of the input.
 *
 * <p><b>Arithmetic error.</b> Serving code computes the softmax in its own precision with unit roundoff
 * u (2^-53 when the reported values are full float64, otherwise 2^-24 because float32 is the narrowest
 * precision serving stacks compute a softmax in). Following the usual first-order error analysis of
 * {@code exp(a_i) / sum_j exp(a_j)} with {@code a_i = (z_i - max z) / T}, an error e_j in each exponent
 * changes {@code ln p_i} by {@code e_i - sum_j p_j e_j}. Rounding the exponent gives
 * {@code |e_i| <= u * kappa_i} with {@code kappa_i = (|z_i - max z| + [T != 1] (|z_i| + |max z|)) / T}; the
 * second term covers code that divides by T before subtracting the maximum. The sum adds about
 * {@code sqrt(n) u} (random-walk growth of naive summation), exp and the division a few u. The audit
 * allows twice that bound:
 * <pre>  relArith_i = 2u (2 + sqrt(n) + kappa_i + sum_j p_j kappa_j)</pre>
 *
 * <p><b>Representation.</b> Storing a value q in a format with unit roundoff u_f and smallest normal value
 * N_f moves it by at most {@code u_f |q| + N_f}; d-decimal text moves it by at most {@code 0.5 * 10^-d}.
 *
 * <p><b>Rounded logits.</b> When every logit has at most d decimals (d from 3 to 12) and is not a float32
 * value, the logits were probably rounded for the payload after the probabilities were computed. Each
 * logit may then be off by {@code h = 0.5 * 10^-d}, which changes {@code ln p_i} by at most {@code 2h / T}.
 * This allowance is added only after a comparison without it has failed. Logits with at most 2 decimals,
 * such as the hand-written {@code [2.5, 1.2, 0.5]}, are treated as exact, because an allowance of 1 % or
 * more would hide real faults.
 *
 * <p>The clean-match tolerance is {@code (relArith_i + u_f) p_i + N_f} with the reported vector's own
 * float format (float32 when every value survives a float32 round trip, else float64).
 */
final class ToleranceModel {

    /**
     * Factor on the arithmetic error estimate up to which a deviation gives a warn instead of a fail. It
     * leaves room for approximate exp kernels and float16 arithmetic that exceed the error model.
     */
    // NOTE: 16 is a judgment, not derived from a measured error distribution.
    static final double WARN_FACTOR = 16;

    /** Fewest decimals that make logits count as rounded; see the class comment. */
    static final int MIN_ROUNDED_LOGIT_DECIMALS = 3;

    final int n;
    final double temperature;
    final boolean hasOverride;
    final double override;

    /** Every reported value is a float32 value or the {@link Float#toString} text of one. */
    final boolean reportedFloat32;
    /** Smallest d such that every reported value has at most d decimals, or -1. */
    final int reportedDecimals;
    /** Every reported value is a float16 value and at least one is not an integer. */
    final boolean reportedFloat16;
    /** Every reported value is a bfloat16 value and at least one is not an integer. */
    final boolean reportedBfloat16;

    final double arithmeticUnitRoundoff;
    final double fineUnitRoundoff;
    final double fineMinNormal;

    /** Number of decimals of the logits when they look rounded, else -1. */
    final int logitDecimals;
    /** Half a unit of the last decimal of the logits, 0 when they do not look rounded. */
    final double logitHalfUnit;

    /** relArith_i per class; null without finite logits. */
    private final double[] relativeArithmetic;
    private final double maxRelativeArithmetic;

    /**
     * @param logits     finite logits, or null when the record has none or they are not finite
     * @param reported   finite reported values
     * @param recomputed softmax of the logits, or null with the logits
     */
    ToleranceModel(double[] logits, double[] reported, double[] recomputed, double temperature, AuditSettings settings) {
        this.n = reported.length;
        this.temperature = temperature;
        this.hasOverride = settings.hasToleranceOverride();
        this.override = settings.toleranceOverride();

        boolean float32 = true;
        boolean float16 = true;
        boolean bfloat16 = true;
        boolean allIntegers = true;
        int decimals = 0;
        for (double r : reported) {
            float32 &= Precision.isFloat32(r) || Precision.isFloat32Text(r);
            float16 &= Precision.roundToFloat16(r) == r;
            bfloat16 &= Precision.roundToBfloat16(r) == r;
            allIntegers &= Math.rint(r) == r;
            int d = Precision.decimals(r);
            decimals = (d < 0 || decimals < 0) ? -1 : Math.max(decimals, d);
        }
        this.reportedFloat32 = float32;
        this.reportedDecimals = decimals;
        this.reportedFloat16 = float16 && !allIntegers;
        this.reportedBfloat16 = bfloat16 && !allIntegers;

        boolean fullFloat64 = !float32 && decimals < 0 && !reportedFloat16 && !reportedBfloat16;
        this.arithmeticUnitRoundoff = fullFloat64 ? Precision.UNIT_ROUNDOFF_FLOAT64 : Precision.UNIT_ROUNDOFF_FLOAT32;
        this.fineUnitRoundoff = float32 ? Precision.UNIT_ROUNDOFF_FLOAT32 : Precision.UNIT_ROUNDOFF_FLOAT64;
        this.fineMinNormal = float32 ? Precision.MIN_NORMAL_FLOAT32 : Precision.MIN_NORMAL_FLOAT64;

        int logitDecimals = -1;
        if (logits != null) {
            logitDecimals = 0;
            for (double z : logits) {
                int d = Precision.isFloat32(z) ? -1 : Precision.decimals(z);
                logitDecimals = (d < 0 || logitDecimals < 0) ? -1 : Math.max(logitDecimals, d);
            }
            if (logitDecimals < MIN_ROUNDED_LOGIT_DECIMALS) {
                logitDecimals = -1;
            }
        }
        this.logitDecimals = logitDecimals;
        this.logitHalfUnit = logitDecimals > 0 ? Precision.halfUnitOfDecimal(logitDecimals) : 0;

        if (logits != null) {
            this.relativeArithmetic = relativeArithmetic(logits, recomputed, temperature, arithmeticUnitRoundoff);
            double max = 0;
            for (double rel : relativeArithmetic) {
                max = Math.max(max, rel);
            }
            this.maxRelativeArithmetic = max;
        } else {
            this.relativeArithmetic = null;
            this.maxRelativeArithmetic = 2 * arithmeticUnitRoundoff * (2 + Math.sqrt(n));
        }
    }

    /** Returns kappa_i, the condition term of class i described in the class comment. */
    static double kappa(double z, double maxLogit, double temperature) {
        double k = Math.abs(z - maxLogit);
        if (temperature != 1.0) {
            k += Math.abs(z) + Math.abs(maxLogit);
        }
        return k / temperature;
    }

    private static double[] relativeArithmetic(double[] logits, double[] p, double temperature, double u) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double meanKappa = 0;
        for (int i = 0; i < n; i++) {
            meanKappa += p[i] * kappa(logits[i], max, temperature);
        }
        double[] rel = new double[n];
        for (int i = 0; i < n; i++) {
            rel[i] = 2 * u * (2 + Math.sqrt(n) + kappa(logits[i], max, temperature) + meanKappa);
        }
        return rel;
    }

    /** Returns the relative allowance 2h / min(1, T) for rounded logits, 0 when they do not look rounded. */
    double relativeLogitAllowance(double temperature) {
        return 2 * logitHalfUnit / Math.min(1.0, temperature);
    }

    /** Returns the clean-match tolerance of class i at recomputed value p, in the reported float format. */
    double fineTolerance(int i, double p, double relativeLogit) {
        if (hasOverride) {
            return override;
        }
        return (relativeArithmetic[i] + relativeLogit + fineUnitRoundoff) * p + fineMinNormal;
    }

    /** Returns the tolerance of class i when the reported values were rounded to d decimals. */
    double decimalTolerance(int i, double p, int d, double relativeLogit) {
        return (relativeArithmetic[i] + relativeLogit) * p + Precision.halfUnitOfDecimal(d);
    }

    /** Returns the tolerance of class i when the reported values were rounded to a binary format. */
    double binaryTolerance(int i, double p, double relativeLogit, double unitRoundoff, double minNormal) {
        return (relativeArithmetic[i] + relativeLogit + unitRoundoff) * p + minNormal;
    }

    /**
     * Returns the largest error that storing q in the reported vector's formats can cause: the coarsest of
     * its float format, its decimals (when at least 1) and float16 or bfloat16 (when every value fits).
     */
    double representationError(double q) {
        double abs = Math.abs(q);
        double error = fineUnitRoundoff * abs + fineMinNormal;
        if (reportedDecimals >= 1) {
            error = Math.max(error, Precision.halfUnitOfDecimal(reportedDecimals));
        }
        if (reportedFloat16) {
            error = Math.max(error, Precision.UNIT_ROUNDOFF_FLOAT16 * abs + Precision.MIN_NORMAL_FLOAT16);
        }
        if (reportedBfloat16) {
            error = Math.max(error, Precision.UNIT_ROUNDOFF_BFLOAT16 * abs + Precision.MIN_NORMAL_BFLOAT16);
        }
        return error;
    }

    /**
     * Returns the tolerance of class i at recomputed value p in the coarsest reported format, with the logit
     * allowance. {@code arithmeticScale} multiplies only the arithmetic error, the one part that is an
     * estimate, because representation errors and the logit allowance are bounds already.
     */
    double tolerance(int i, double p, double arithmeticScale) {
        return (arithmeticScale * relativeArithmetic[i] + relativeLogitAllowance(temperature)) * p
                + representationError(p);
    }

    /**
     * Returns the tolerance for a reported value against q, the output of a candidate transformation of
     * the logits computed at temperature {@code effectiveTemperature}. It uses the largest relArith over the
     * classes because a transformation can move values between classes.
     */
    double faultTolerance(double q, double effectiveTemperature) {
        if (hasOverride) {
            return override;
        }
        double relative = maxRelativeArithmetic + relativeLogitAllowance(Math.min(temperature, effectiveTemperature));
        return relative * Math.abs(q) + representationError(q);
    }

    double faultTolerance(double q) {
        return faultTolerance(q, temperature);
    }

    /** Returns the relative tolerance part of {@link #faultTolerance(double)}, used for values on a log scale. */
    double relativeFaultTolerance() {
        if (hasOverride) {
            return override;
        }
        return maxRelativeArithmetic + relativeLogitAllowance(temperature);
    }

    /**
     * Returns the tolerance of |sum_i r_i - scale| for a vector that should sum to {@code scale} (1, or 100
     * for percentages), from the reported values alone. The exponent errors of the arithmetic model add up
     * to {@code 2u (2 + sqrt(n) + 2H)} relative, where H = -sum q_i ln q_i over q = r / scale estimates the
     * mean kappa (for T = 1, {@code kappa_i = ln(p_max / p_i) <= -ln p_i}); each stored value adds its
     * representation error.
     */
    double sumTolerance(double[] reported, double scale) {
        return sumTolerance(reported, scale, 1);
    }

    /** Returns {@link #sumTolerance(double[], double)} with the arithmetic part multiplied by {@code arithmeticScale}. */
    double sumTolerance(double[] reported, double scale, double arithmeticScale) {
        if (hasOverride) {
            return n * override * scale;
        }
        double entropy = 0;
        double representation = 0;
        for (double r : reported) {
            double q = r / scale;
            if (q > 0 && q <= 1) {
                entropy -= q * Math.log(q);
            }
            representation += representationError(r);
        }
        return arithmeticScale * scale * 2 * arithmeticUnitRoundoff * (2 + Math.sqrt(n) + 2 * entropy) + representation;
    }

    /** Returns a short name of the reported vector's float format for explanations. */
    String fineFormatName() {
        return reportedFloat32 ? "float32" : "float64";
    }
}
