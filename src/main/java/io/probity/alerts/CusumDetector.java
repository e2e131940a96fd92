package io.probity.alerts;

/**
 * A two-sided CUSUM (cumulative sum) change detector on a stream of top-label confidences.
 *
 * <p>Each confidence {@code x} is standardized against the reference mean {@code mu} and standard
 * deviation {@code sigma}, and clipped to {@code [-clip, clip]} so that one outlier in the long
 * lower tail of softmax confidences cannot raise an alarm on its own:
 * {@code z = clamp((x - mu) / sigma, -clip, clip)}. Two statistics accumulate evidence of a
 * shift down and up:
 *
 * <pre>
 *   S-(t) = max(0, S-(t-1) - z - k)
 *   S+(t) = max(0, S+(t-1) + z - k)
 * </pre>
 *
 * and the detector alarms when either exceeds {@code h}. {@code k} is half the smallest shift worth
 * detecting, in standard deviations, and {@code h} sets the trade-off between false alarms and
 * delay. After an alarm both statistics restart from 0.
 *
 * <p>Measured on the digits demo data with the defaults ({@code k = 0.5}, {@code h = 8},
 * {@code clip = 2}; reference mean 0.9624 and standard deviation 0.1015 from the 899 reference
 * predictions): replaying the reference stream then the shifted one alarms at the 15th shifted
 * prediction. The reference stream raises no alarm in its recorded order nor in any of 1,000
 * seeded random permutations (899,000 in-control predictions). The 95 % upper bound on the chance
 * that an 899-prediction in-control replay alarms is therefore about 0.3 % (rule of three), so the
 * in-control average run length is an estimated 300,000 predictions or more. These figures hold
 * when the reference mean and deviation are estimated from in-control data of the same model.
 * {@code CusumBenchmarkTest} produces them and {@code BENCHMARKS.md} records them.
 */
public final class CusumDetector {

    /** Half the smallest shift to detect, in reference standard deviations. */
    public static final double DEFAULT_K = 0.5;
    /** The alarm threshold of either statistic, in reference standard deviations. */
    public static final double DEFAULT_H = 8.0;
    /** The bound of a standardized confidence, in reference standard deviations. */
    public static final double DEFAULT_CLIP = 2.0;

    private final double mean;
    private final double deviation;
    private final double k;
    private final double h;
    private final double clip;
    private double lower;
    private double upper;

    /**
     * Creates a detector.
     *
     * @throws IllegalArgumentException when {@code deviation}, {@code h} or {@code clip} is not
     *     positive and finite, or {@code k} is negative
     */
    public CusumDetector(double mean, double deviation, double k, double h, double clip) {
        if (!(deviation > 0) || !Double.isFinite(deviation)) {
            throw new IllegalArgumentException("deviation must be positive and finite, got " + deviation);
        }
        if (!(h > 0) || !Double.isFinite(h) || !(clip > 0) || !(k >= 0)) {
            throw new IllegalArgumentException("need h > 0, clip > 0 and k >= 0, got h=" + h + ", clip=" + clip
                    + ", k=" + k);
        }
        this.mean = mean;
        this.deviation = deviation;
        this.k = k;
        this.h = h;
        this.clip = clip;
    }

    /** Creates a detector with {@link #DEFAULT_K}, {@link #DEFAULT_H} and {@link #DEFAULT_CLIP}. */
    public static CusumDetector withDefaults(double mean, double deviation) {
        return new CusumDetector(mean, deviation, DEFAULT_K, DEFAULT_H, DEFAULT_CLIP);
    }

    /**
     * Adds one confidence and returns true when it raises an alarm, which also restarts both
     * statistics. Non-finite confidences are skipped.
     */
    public boolean add(double confidence) {
        if (!Double.isFinite(confidence)) {
            return false;
        }
        double z = Math.max(-clip, Math.min(clip, (confidence - mean) / deviation));
        lower = Math.max(0, lower - z - k);
        upper = Math.max(0, upper + z - k);
        if (lower > h || upper > h) {
            reset();
            return true;
        }
        return false;
    }

    /** Returns the larger of the two statistics, in reference standard deviations. */
    public double statistic() {
        return Math.max(lower, upper);
    }

    /** Sets both statistics to 0. */
    public void reset() {
        lower = 0;
        upper = 0;
    }
}
