package io.probity.calibration;

/**
 * A two-sided confidence interval {@code [lower, upper]}, with both ends NaN when the interval is
 * undefined (no data).
 */
public record Interval(double lower, double upper) {

    /** The standard normal quantile for 95 % two-sided intervals, {@code Phi^-1(0.975)}. */
    public static final double Z_95 = 1.959963984540054;

    /** An interval with both ends NaN. */
    public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

    /**
     * Computes the Wilson score interval for a binomial proportion (Wilson 1927), which the tests check
     * against a NumPy implementation to 1e-9:
     * {@code (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}.
     *
     * @param proportion the observed proportion {@code p} in [0, 1]
     * @param sampleSize {@code n}, which may be a non-integer effective sample size
     * @param z the normal quantile, {@link #Z_95} for 95 %
     * @return the interval, or {@link #UNDEFINED} when {@code n <= 0} or {@code p} is NaN
     */
    public static Interval wilson(double proportion, double sampleSize, double z) {
        if (!(sampleSize > 0) || Double.isNaN(proportion)) {
            return UNDEFINED;
        }
        double zSquaredOverN = z * z / sampleSize;
        double denominator = 1 + zSquaredOverN;
        double centre = (proportion + zSquaredOverN / 2) / denominator;
        double halfWidth = z / denominator
                * Math.sqrt(proportion * (1 - proportion) / sampleSize + zSquaredOverN / (4 * sampleSize));
        return new Interval(Math.max(0.0, centre - halfWidth), Math.min(1.0, centre + halfWidth));
    }
}
