package io.probity.calibration;

/**
 * One bin of a reliability diagram.
 *
 * <p>Accuracy and mean confidence are weighted means over the bin's predictions, NaN when the bin's
 * weight is 0. The accuracy interval is the 95 % Wilson interval with the Kish effective sample size
 * {@code (sum w)^2 / sum w^2} in place of {@code n}, which equals {@code count} without weights.
 *
 * @param lower the lower bin edge (exclusive, except 0 for the first bin)
 * @param upper the upper bin edge (inclusive)
 * @param count the number of predictions in the bin
 * @param weight the sum of the predictions' weights, equal to {@code count} without weights
 * @param accuracy the weighted fraction of correct predictions
 * @param meanConfidence the weighted mean top-label confidence
 * @param accuracyInterval the 95 % Wilson interval of {@code accuracy}
 */
public record ReliabilityBin(double lower, double upper, long count, double weight, double accuracy,
        double meanConfidence, Interval accuracyInterval) {

    /** Returns whether the bin has no weight, so its means are undefined and ECE skips it. */
    public boolean isEmpty() {
        return !(weight > 0);
    }

    /** Returns {@code accuracy - meanConfidence}: negative where the model is overconfident. */
    public double gap() {
        return accuracy - meanConfidence;
    }
}
