package io.probity.ingest;

/**
 * Scalar summaries of one probability vector, stored with each prediction so that histograms,
 * calibration and review routing never have to read the vectors again.
 *
 * <ul>
 *   <li>confidence: the top-label probability max_k p_k;</li>
 *   <li>margin: top-1 minus top-2 probability (0 for a single class);</li>
 *   <li>normalised entropy: (−Σ p_k ln p_k) / ln K, in [0, 1], with 0 ln 0 = 0 and 0 for K = 1;</li>
 *   <li>sum of squares Σ p_k², from which the multi-class Brier score of a labelled prediction
 *       follows as Σ p_k² − 2 p_label + 1.</li>
 * </ul>
 *
 * @param topClass index of the largest probability; the first one on ties
 */
record VectorSummary(int topClass, double confidence, double margin, double normalisedEntropy,
                     double sumSquares) {

    /** Summarises a vector of finite probabilities. */
    static VectorSummary of(double[] p) {
        int top = 0;
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        double entropy = 0;
        double sumSquares = 0;

        for (int k = 0; k < p.length; k++) {
            double v = p[k];
            if (v > first) {
                second = first;
                first = v;
                top = k;
            } else if (v > second) {
                second = v;
            }
            if (v > 0) {
                entropy -= v * Math.log(v);
            }
            sumSquares += v * v;
        }

        double margin = p.length == 1 ? 0 : first - second;
        double normalised = p.length == 1 ? 0 : entropy / Math.log(p.length);
        return new VectorSummary(top, first, margin, normalised, sumSquares);
    }

    /** Returns whether every value is finite, so that the vector can be summarised. */
    static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
