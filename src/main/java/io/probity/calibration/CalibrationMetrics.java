package io.probity.calibration;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Calibration statistics of a batch of labelled predictions, computed from the raw rows.
 *
 * <p>Every statistic uses the rows' weights (1 without weights): counts become weight sums and means
 * become weighted means. A statistic over total weight 0, including an empty batch, is NaN.
 * Top-label bins follow {@link Binning}. The equal-width statistics are also available from stored
 * sums through {@link ReliabilityAccumulator}, with the same results to 1e-12.
 *
 * <p>The tests check every statistic except the bootstrap interval to 1e-9 against NumPy 1.24, scikit-learn 1.2.1 and SciPy 1.10
 * (see {@code src/test/resources/reference/compute_references.py}).
 */
public final class CalibrationMetrics {

    private CalibrationMetrics() {
    }

    /** Returns the weighted accuracy {@code sum w [argmax p == y] / sum w}. */
    public static double accuracy(LabelledPredictions predictions) {
        double correct = 0.0;
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.isCorrect(i)) {
                correct += predictions.weight(i);
            }
        }
        return divide(correct, totalWeight(predictions));
    }

    /** Returns the weighted mean top-label confidence {@code sum w max_k p_k / sum w}. */
    public static double meanConfidence(LabelledPredictions predictions) {
        double sum = 0.0;
        for (int i = 0; i < predictions.size(); i++) {
            sum += predictions.weight(i) * predictions.confidence(i);
        }
        return divide(sum, totalWeight(predictions));
    }

    /**
     * Returns the multi-class Brier score {@code sum w sum_k (p_k - [k == y])^2 / sum w} (Brier 1950).
     * It equals the sum over classes of scikit-learn's binary one-vs-rest {@code brier_score_loss}.
     */
    public static double brier(LabelledPredictions predictions) {
        double sum = 0.0;
        for (int i = 0; i < predictions.size(); i++) {
            sum += predictions.weight(i) * ReliabilityAccumulator.brierTerm(predictions.probabilities(i),
                    predictions.label(i));
        }
        return divide(sum, totalWeight(predictions));
    }

    /**
     * Returns the mean negative log-likelihood of the true class, natural log, with the probability
     * clipped to {@code [1e-15, 1 - 1e-15]} ({@link ReliabilityAccumulator#NLL_EPSILON}) as
     * scikit-learn's {@code log_loss(eps=1e-15)} does.
     */
    public static double nll(LabelledPredictions predictions) {
        double sum = 0.0;
        for (int i = 0; i < predictions.size(); i++) {
            sum += predictions.weight(i)
                    * ReliabilityAccumulator.nllTerm(predictions.probability(i, predictions.label(i)));
        }
        return divide(sum, totalWeight(predictions));
    }

    /**
     * Returns the top-label ECE with {@code bins} equal-width bins, {@code sum_b (W_b / W) |acc_b - conf_b|}
     * (Guo et al. 2017), as {@link ReliabilityAccumulator#ece()}.
     */
    public static double ece(LabelledPredictions predictions, int bins) {
        return ReliabilityAccumulator.of(predictions, bins).ece();
    }

    /** Returns the top-label MCE {@code max_b |acc_b - conf_b|} with {@code bins} equal-width bins. */
    public static double mce(LabelledPredictions predictions, int bins) {
        return ReliabilityAccumulator.of(predictions, bins).mce();
    }

    /** Returns the equal-width reliability diagram, empty bins included. */
    public static List<ReliabilityBin> reliabilityDiagram(LabelledPredictions predictions, int bins) {
        return ReliabilityAccumulator.of(predictions, bins).reliabilityDiagram();
    }

    /**
     * Returns the top-label ECE with {@code bins} equal-mass bins (the adaptive calibration error of
     * Nixon et al. 2019, "Measuring Calibration in Deep Learning"). Edges are the sample quantiles of
     * the confidences as in {@link Binning#quantileEdges}. With weights, the edges still come from the
     * unweighted confidences and only the per-bin means are weighted. NaN for an empty batch.
     */
    public static double adaptiveEce(LabelledPredictions predictions, int bins) {
        if (predictions.size() == 0) {
            return Double.NaN;
        }
        return adaptiveAccumulator(predictions, bins).ece();
    }

    /**
     * Returns the reliability diagram over equal-mass bins. Ties among confidences can make bins
     * unequal or empty, as with {@code calibration_curve(strategy="quantile")}.
     *
     * @throws IllegalArgumentException if {@code predictions} is empty, which leaves the edges undefined
     */
    public static List<ReliabilityBin> adaptiveReliabilityDiagram(LabelledPredictions predictions, int bins) {
        return adaptiveAccumulator(predictions, bins).reliabilityDiagram();
    }

    private static ReliabilityAccumulator adaptiveAccumulator(LabelledPredictions predictions, int bins) {
        double[] edges = Binning.quantileEdges(predictions.confidences(), bins);
        return new ReliabilityAccumulator(edges, false).addAll(predictions);
    }

    /**
     * Returns the classwise ECE (Kull et al. 2019, "Beyond temperature scaling"): for each class
     * {@code k}, the ECE of {@code p_k} against the one-vs-rest outcome {@code [y == k]} over all
     * predictions, with {@code bins} equal-width bins, averaged over the K classes:
     * {@code (1/K) sum_k sum_b (W_kb / W) |mean_b [y == k] - mean_b p_k|}.
     */
    public static double classwiseEce(LabelledPredictions predictions, int bins) {
        Binning.requireBins(bins);
        double total = totalWeight(predictions);
        if (!(total > 0)) {
            return Double.NaN;
        }
        int classes = predictions.classCount();
        double sumOverClasses = 0.0;
        for (int k = 0; k < classes; k++) {
            double[] binWeight = new double[bins];
            double[] binProbability = new double[bins];
            double[] binOutcome = new double[bins];
            for (int i = 0; i < predictions.size(); i++) {
                double p = predictions.probability(i, k);
                double w = predictions.weight(i);
                int bin = Binning.equalWidthIndex(p, bins);
                binWeight[bin] += w;
                binProbability[bin] += w * p;
                if (predictions.label(i) == k) {
                    binOutcome[bin] += w;
                }
            }
            double classEce = 0.0;
            for (int b = 0; b < bins; b++) {
                if (binWeight[b] > 0) {
                    double gap = Math.abs(binOutcome[b] / binWeight[b] - binProbability[b] / binWeight[b]);
                    classEce += binWeight[b] / total * gap;
                }
            }
            sumOverClasses += classEce;
        }
        return sumOverClasses / classes;
    }

    /**
     * Returns a bootstrap 95 % percentile interval for the equal-width ECE (Efron and Tibshirani
     * 1993). Each of {@code resamples} replicates draws {@code n} rows with replacement, weights
     * included, using {@link SplittableRandom} seeded with {@code seed}, so equal arguments give equal
     * intervals on every JVM. The ends are the 2.5th and 97.5th percentiles of the replicate ECEs,
     * interpolated linearly as {@code numpy.percentile} does. Replicates with total weight 0 are
     * dropped. ECE is biased upwards on small samples, so the interval can lie entirely above the
     * point estimate.
     *
     * @return the interval, or {@link Interval#UNDEFINED} for an empty batch or when every replicate
     *     has total weight 0
     * @throws IllegalArgumentException if {@code resamples < 1}
     */
    public static Interval bootstrapEceInterval(LabelledPredictions predictions, int bins, int resamples, long seed) {
        Binning.requireBins(bins);
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        int n = predictions.size();
        if (n == 0) {
            return Interval.UNDEFINED;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        int defined = 0;
        int[] indices = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int j = 0; j < n; j++) {
                indices[j] = random.nextInt(n);
            }
            double ece = ece(predictions.select(indices), bins);
            if (!Double.isNaN(ece)) {
                replicates[defined++] = ece;
            }
        }
        if (defined == 0) {
            return Interval.UNDEFINED;
        }
        double[] sorted = Arrays.copyOf(replicates, defined);
        Arrays.sort(sorted);
        return new Interval(percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    /** Returns the {@code q}-quantile of sorted values, NumPy's default "linear" method. */
    static double percentile(double[] sorted, double q) {
        double position = (sorted.length - 1) * q;
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    private static double totalWeight(LabelledPredictions predictions) {
        double total = 0.0;
        for (int i = 0; i < predictions.size(); i++) {
            total += predictions.weight(i);
        }
        return total;
    }

    private static double divide(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }
}
