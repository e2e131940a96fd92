package io.probity.drift;

import io.probity.calibration.ProbabilityVectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Histograms of three uncertainty measures of a window of predictions: top-label confidence
 * {@code max_k p_k}, margin {@code p_(1) - p_(2)} and normalised entropy
 * {@code -sum_k p_k ln p_k / ln K}. All three lie in [0, 1] and use {@link Histogram}'s NumPy edges.
 *
 * @param confidence histogram of top-label confidence
 * @param margin histogram of the top-1 minus top-2 margin
 * @param normalisedEntropy histogram of entropy divided by {@code ln K}
 */
public record ConfidenceDistribution(Histogram confidence, Histogram margin, Histogram normalisedEntropy) {

    /**
     * Computes the histograms over all predictions.
     *
     * @throws IllegalArgumentException if a probability vector is invalid (NaN is rejected)
     */
    public static ConfidenceDistribution of(double[][] probabilities, int bins) {
        double[] confidences = new double[probabilities.length];
        double[] margins = new double[probabilities.length];
        double[] entropies = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            ProbabilityVectors.requireValid(probabilities[i], i);
            confidences[i] = ProbabilityVectors.confidence(probabilities[i]);
            margins[i] = ProbabilityVectors.margin(probabilities[i]);
            entropies[i] = ProbabilityVectors.normalisedEntropy(probabilities[i]);
        }
        return new ConfidenceDistribution(Histogram.of(confidences, bins), Histogram.of(margins, bins),
                Histogram.of(entropies, bins));
    }

    /**
     * Computes the histograms separately for each predicted class. Element {@code k} covers the
     * predictions whose argmax is {@code k} and is empty if there are none.
     *
     * @throws IllegalArgumentException if a vector is invalid or its length is not {@code classCount}
     */
    public static List<ConfidenceDistribution> perPredictedClass(double[][] probabilities, int classCount, int bins) {
        List<List<double[]>> byClass = new ArrayList<>();
        for (int k = 0; k < classCount; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < probabilities.length; i++) {
            ProbabilityVectors.requireValid(probabilities[i], i);
            if (probabilities[i].length != classCount) {
                throw new IllegalArgumentException("probabilities[" + i + "] has " + probabilities[i].length
                        + " classes, expected " + classCount);
            }
            byClass.get(ProbabilityVectors.argmax(probabilities[i])).add(probabilities[i]);
        }
        List<ConfidenceDistribution> result = new ArrayList<>(classCount);
        for (List<double[]> rows : byClass) {
            result.add(of(rows.toArray(new double[0][]), bins));
        }
        return result;
    }

    /**
     * Returns the bin-wise sum with another window's histograms.
     *
     * @throws IllegalArgumentException if the numbers of bins differ
     */
    public ConfidenceDistribution merge(ConfidenceDistribution other) {
        return new ConfidenceDistribution(confidence.merge(other.confidence), margin.merge(other.margin),
                normalisedEntropy.merge(other.normalisedEntropy));
    }
}
