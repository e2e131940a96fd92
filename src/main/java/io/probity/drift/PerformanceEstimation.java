package io.probity.drift;

import io.probity.calibration.Binning;
import io.probity.calibration.ProbabilityVectors;
import io.probity.calibration.ReliabilityAccumulator;
import io.probity.calibration.ReliabilityBin;
import java.util.List;

/**
 * Accuracy of an unlabelled window estimated from its confidences (confidence-based performance
 * estimation, the idea of NannyML's CBPE with a histogram-binning calibrator).
 *
 * <p>Each current top-label confidence {@code c} is mapped through the baseline's reliability curve,
 * a step function: the baseline accuracy of the equal-width bin {@code (i/B, (i+1)/B]} holding
 * {@code c}. There is no interpolation between bins. Where the baseline bin has weight 0, the
 * estimate falls back to {@code c} itself, which assumes the model is calibrated where the baseline
 * gives no evidence. The estimate is the mean of the mapped values:
 * {@code sum_b n_b acc_b / n} over current bins. It is only valid while the relation between
 * confidence and correctness stays as in the baseline (covariate shift only), so it overestimates
 * accuracy when the shift also makes the model overconfident.
 */
public final class PerformanceEstimation {

    private PerformanceEstimation() {
    }

    /**
     * Estimates accuracy from current top-label confidences.
     *
     * @param baseline the labelled baseline window's sums, which fix the bins
     * @param currentConfidences confidences in [0, 1], with NaN rejected
     * @return the estimate, NaN if {@code currentConfidences} is empty
     */
    public static double estimateAccuracy(ReliabilityAccumulator baseline, double[] currentConfidences) {
        List<ReliabilityBin> curve = baseline.reliabilityDiagram();
        double sum = 0.0;
        for (int i = 0; i < currentConfidences.length; i++) {
            double confidence = currentConfidences[i];
            if (!(confidence >= 0.0 && confidence <= 1.0)) {
                throw new IllegalArgumentException("currentConfidences[" + i + "] = " + confidence
                        + " is not within [0, 1]");
            }
            ReliabilityBin bin = curve.get(Binning.equalWidthIndex(confidence, baseline.bins()));
            sum += bin.isEmpty() ? confidence : bin.accuracy();
        }
        return currentConfidences.length == 0 ? Double.NaN : sum / currentConfidences.length;
    }

    /** Estimates accuracy from current probability vectors, using their top-label confidences. */
    public static double estimateAccuracy(ReliabilityAccumulator baseline, double[][] currentProbabilities) {
        double[] confidences = new double[currentProbabilities.length];
        for (int i = 0; i < confidences.length; i++) {
            ProbabilityVectors.requireValid(currentProbabilities[i], i);
            confidences[i] = ProbabilityVectors.confidence(currentProbabilities[i]);
        }
        return estimateAccuracy(baseline, confidences);
    }

    /**
     * Estimates accuracy from a current window's stored sums, whose correctness sums are ignored, so
     * unlabelled predictions can be added with any label. The result equals the array version on the
     * same predictions up to summation order.
     *
     * @throws IllegalArgumentException if the accumulators have different numbers of bins
     */
    public static double estimateAccuracy(ReliabilityAccumulator baseline, ReliabilityAccumulator current) {
        if (baseline.bins() != current.bins()) {
            throw new IllegalArgumentException("baseline has " + baseline.bins() + " bins but current has "
                    + current.bins());
        }
        List<ReliabilityBin> curve = baseline.reliabilityDiagram();
        double sum = 0.0;
        double weight = 0.0;
        for (int b = 0; b < current.bins(); b++) {
            ReliabilityAccumulator.BinSums sums = current.binSums(b);
            ReliabilityBin bin = curve.get(b);
            sum += bin.isEmpty() ? sums.confidenceSum() : sums.weight() * bin.accuracy();
            weight += sums.weight();
        }
        return weight > 0 ? sum / weight : Double.NaN;
    }
}
