package io.probity.calibration;

/**
 * Static functions of one prediction's probability vector (the softmax output over K classes).
 *
 * <p>All arithmetic is float64. Ties between equal probabilities resolve to the lowest class index,
 * as {@code numpy.argmax} does.
 */
public final class ProbabilityVectors {

    private ProbabilityVectors() {
    }

    /**
     * Computes {@code softmax(logits)} with the maximum logit subtracted before {@code exp}, so no
     * finite input overflows.
     *
     * @throws IllegalArgumentException if {@code logits} is empty or contains a non-finite value
     */
    public static double[] softmax(double[] logits) {
        return softmax(logits, 1.0);
    }

    /**
     * Computes {@code softmax(logits / temperature)} with the maximum subtracted before {@code exp}.
     *
     * @throws IllegalArgumentException if {@code logits} is empty or non-finite, or if
     *     {@code temperature} is not a finite positive number
     */
    public static double[] softmax(double[] logits, double temperature) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must contain at least one value");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            if (!Double.isFinite(logits[k])) {
                throw new IllegalArgumentException("logits[" + k + "] is not finite: " + logits[k]);
            }
            max = Math.max(max, logits[k]);
        }
        double[] probabilities = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] = Math.exp((logits[k] - max) / temperature);
            sum += probabilities[k];
        }
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] /= sum;
        }
        return probabilities;
    }

    /** Returns the index of the largest probability, the lowest index among ties. */
    public static int argmax(double[] probabilities) {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Returns the top-label confidence, {@code max_k p_k}. */
    public static double confidence(double[] probabilities) {
        return probabilities[argmax(probabilities)];
    }

    /**
     * Returns the margin {@code p_(1) - p_(2)} between the largest and second-largest probability.
     * A single-class vector has margin {@code p_0}.
     */
    public static double margin(double[] probabilities) {
        double first = Double.NEGATIVE_INFINITY;
        double second = 0.0;
        for (double p : probabilities) {
            if (p > first) {
                second = first;
                first = p;
            } else if (p > second) {
                second = p;
            }
        }
        return first - Math.max(second, 0.0);
    }

    /**
     * Returns the normalised entropy {@code -sum_k p_k ln p_k / ln K}, with {@code 0 ln 0 = 0}.
     * The result is 0 for K = 1 and is capped at 1, because rounding can push a uniform vector
     * slightly above 1.
     */
    public static double normalisedEntropy(double[] probabilities) {
        int classes = probabilities.length;
        if (classes < 2) {
            return 0.0;
        }
        double entropy = 0.0;
        for (double p : probabilities) {
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return Math.min(1.0, Math.max(0.0, entropy / Math.log(classes)));
    }

    /**
     * Checks that every probability is finite and within [0, 1]. NaN is rejected, not skipped: an
     * input with NaN comes from broken serving code and must be filtered by the caller.
     *
     * @param row the prediction's index for the error message, or -1 for a single vector
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static void requireValid(double[] probabilities, int row) {
        String name = row < 0 ? "probabilities" : "probabilities[" + row + "]";
        if (probabilities.length == 0) {
            throw new IllegalArgumentException(name + " is empty");
        }
        for (int k = 0; k < probabilities.length; k++) {
            double p = probabilities[k];
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + "[" + k + "] = " + p
                        + " is not within [0, 1]; filter non-finite or invalid predictions first");
            }
        }
    }
}
