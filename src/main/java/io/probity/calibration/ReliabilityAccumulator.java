package io.probity.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mergeable per-bin sums from which accuracy, mean confidence, ECE, MCE, Brier score, NLL and the
 * reliability diagram are derived without the raw predictions.
 *
 * <p>Bins are top-label confidence bins as defined in {@link Binning}: with equal-width bins, bin
 * {@code i} of {@code B} contains confidences in {@code (i/B, (i+1)/B]}, 0 in the first and 1.0 in the
 * last. Per bin it stores the count, the weight {@code sum w}, {@code sum w^2}, {@code sum w*conf}
 * and {@code sum w*correct}. Globally it stores {@code sum w*brier_i} and {@code sum w*nll_i}. The
 * app stores these sums per time slice and merges them, so 10,000,000 predictions reduce to a few
 * rows. Derived values equal those of {@link CalibrationMetrics} on the raw rows up to summation
 * order, which the tests check to 1e-12.
 *
 * <p>This class is mutable and not thread-safe, like {@link java.util.DoubleSummaryStatistics}:
 * {@link #add} and {@link #merge} change it in place. Use one accumulator per thread and merge.
 */
public final class ReliabilityAccumulator {

    /** The number of equal-width bins used unless stated otherwise (the common ECE choice). */
    public static final int DEFAULT_BINS = 15;

    /**
     * The NLL clipping bound: the true class's probability is clipped to
     * {@code [1e-15, 1 - 1e-15]} before the log, as scikit-learn's {@code log_loss(eps=1e-15)} does
     * (its default before version 1.2). A probability of exactly 0 thus costs {@code -ln(1e-15)}
     * (about 34.5) instead of infinity.
     */
    public static final double NLL_EPSILON = 1e-15;

    /**
     * Sums for one confidence bin, the unit the app stores.
     *
     * @param count the number of predictions
     * @param weight {@code sum w}
     * @param weightSquared {@code sum w^2}, for the effective sample size
     * @param confidenceSum {@code sum w * confidence}
     * @param correctSum {@code sum w * [predicted == label]}
     */
    public record BinSums(long count, double weight, double weightSquared, double confidenceSum,
            double correctSum) {

        /** Returns the element-wise sum of two bins' sums. */
        public BinSums plus(BinSums other) {
            return new BinSums(count + other.count, weight + other.weight, weightSquared + other.weightSquared,
                    confidenceSum + other.confidenceSum, correctSum + other.correctSum);
        }
    }

    private final double[] edges;
    private final boolean equalWidth;
    private final long[] counts;
    private final double[] weights;
    private final double[] weightsSquared;
    private final double[] confidenceSums;
    private final double[] correctSums;
    private double brierSum;
    private double nllSum;

    /** Creates an empty accumulator with {@code bins} equal-width bins. */
    public ReliabilityAccumulator(int bins) {
        this(equalWidthEdges(bins), true);
    }

    /** Creates an empty accumulator over arbitrary increasing edges, bins being {@code (e_i, e_{i+1}]}. */
    ReliabilityAccumulator(double[] edges, boolean equalWidth) {
        int bins = edges.length - 1;
        Binning.requireBins(bins);
        this.edges = edges.clone();
        this.equalWidth = equalWidth;
        this.counts = new long[bins];
        this.weights = new double[bins];
        this.weightsSquared = new double[bins];
        this.confidenceSums = new double[bins];
        this.correctSums = new double[bins];
    }

    /**
     * Rebuilds an equal-width accumulator from stored sums, one {@link BinSums} per bin in bin order.
     */
    public static ReliabilityAccumulator restore(List<BinSums> bins, double brierSum, double nllSum) {
        ReliabilityAccumulator accumulator = new ReliabilityAccumulator(bins.size());
        for (int i = 0; i < bins.size(); i++) {
            accumulator.addBin(i, bins.get(i));
        }
        accumulator.brierSum = brierSum;
        accumulator.nllSum = nllSum;
        return accumulator;
    }

    /** Creates an accumulator with {@code bins} equal-width bins holding every row of {@code predictions}. */
    public static ReliabilityAccumulator of(LabelledPredictions predictions, int bins) {
        return new ReliabilityAccumulator(bins).addAll(predictions);
    }

    /** Adds one prediction with weight 1; see {@link #add(double[], int, double)}. */
    public ReliabilityAccumulator add(double[] probabilities, int label) {
        return add(probabilities, label, 1.0);
    }

    /**
     * Adds one prediction.
     *
     * @param probabilities the probability vector, validated as in {@link ProbabilityVectors#requireValid}
     * @param label the true class index
     * @param weight a finite weight {@code >= 0}
     * @return this accumulator
     * @throws IllegalArgumentException on NaN or out-of-range input, which is rejected and not skipped
     */
    public ReliabilityAccumulator add(double[] probabilities, int label, double weight) {
        ProbabilityVectors.requireValid(probabilities, -1);
        if (label < 0 || label >= probabilities.length) {
            throw new IllegalArgumentException("label " + label + " is not a class index in [0, "
                    + probabilities.length + ")");
        }
        if (!(weight >= 0.0 && weight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weight " + weight + " is not finite and >= 0");
        }
        addValid(probabilities, label, weight);
        return this;
    }

    /** Adds every row of {@code predictions} with its weight and returns this accumulator. */
    public ReliabilityAccumulator addAll(LabelledPredictions predictions) {
        for (int i = 0; i < predictions.size(); i++) {
            addValid(predictions.probabilities(i), predictions.label(i), predictions.weight(i));
        }
        return this;
    }

    private void addValid(double[] probabilities, int label, double weight) {
        int predicted = ProbabilityVectors.argmax(probabilities);
        double confidence = probabilities[predicted];
        int bin = equalWidth ? Binning.equalWidthIndex(confidence, counts.length) : Binning.edgeIndex(confidence, edges);
        counts[bin]++;
        weights[bin] += weight;
        weightsSquared[bin] += weight * weight;
        confidenceSums[bin] += weight * confidence;
        if (predicted == label) {
            correctSums[bin] += weight;
        }
        brierSum += weight * brierTerm(probabilities, label);
        nllSum += weight * nllTerm(probabilities[label]);
    }

    /** Returns {@code sum_k (p_k - [k == label])^2}, one prediction's multi-class Brier score. */
    static double brierTerm(double[] probabilities, int label) {
        double sum = 0.0;
        for (int k = 0; k < probabilities.length; k++) {
            double error = probabilities[k] - (k == label ? 1.0 : 0.0);
            sum += error * error;
        }
        return sum;
    }

    /** Returns {@code -ln(clip(p, NLL_EPSILON, 1 - NLL_EPSILON))}. */
    static double nllTerm(double trueClassProbability) {
        return -Math.log(Math.min(1 - NLL_EPSILON, Math.max(NLL_EPSILON, trueClassProbability)));
    }

    /**
     * Adds another accumulator's sums into this one.
     *
     * @return this accumulator
     * @throws IllegalArgumentException if the bin edges differ
     */
    public ReliabilityAccumulator merge(ReliabilityAccumulator other) {
        if (!Arrays.equals(edges, other.edges)) {
            throw new IllegalArgumentException("cannot merge accumulators with different bins: "
                    + bins() + " and " + other.bins() + " bins");
        }
        for (int i = 0; i < counts.length; i++) {
            addBin(i, other.binSums(i));
        }
        brierSum += other.brierSum;
        nllSum += other.nllSum;
        return this;
    }

    private void addBin(int i, BinSums sums) {
        counts[i] += sums.count();
        weights[i] += sums.weight();
        weightsSquared[i] += sums.weightSquared();
        confidenceSums[i] += sums.confidenceSum();
        correctSums[i] += sums.correctSum();
    }

    /** Returns an independent copy. */
    public ReliabilityAccumulator copy() {
        return new ReliabilityAccumulator(edges, equalWidth).merge(this);
    }

    /**
     * Returns a new equal-width accumulator with {@code bins} bins, each the sum of
     * {@code bins() / bins} adjacent bins of this one. The result equals accumulating the raw
     * predictions into {@code bins} bins, because the edge {@code j/B} of the fine bins and
     * {@code i/b} of the coarse bins are the same correctly rounded quotient when {@code j/B = i/b}.
     *
     * @throws IllegalArgumentException if this accumulator is not equal-width or {@code bins} does not
     *     divide {@link #bins()}
     */
    public ReliabilityAccumulator coarsen(int bins) {
        Binning.requireBins(bins);
        if (!equalWidth || counts.length % bins != 0) {
            throw new IllegalArgumentException("cannot coarsen " + counts.length + " bins to " + bins
                    + "; the fine bins must be equal-width and their number a multiple of " + bins);
        }
        int factor = counts.length / bins;
        ReliabilityAccumulator coarse = new ReliabilityAccumulator(bins);
        for (int i = 0; i < counts.length; i++) {
            coarse.addBin(i / factor, binSums(i));
        }
        coarse.brierSum = brierSum;
        coarse.nllSum = nllSum;
        return coarse;
    }

    /** Returns the number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Returns the stored sums of bin {@code i}. */
    public BinSums binSums(int i) {
        return new BinSums(counts[i], weights[i], weightsSquared[i], confidenceSums[i], correctSums[i]);
    }

    /** Returns the stored sums of all bins in bin order. */
    public List<BinSums> binSums() {
        List<BinSums> result = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            result.add(binSums(i));
        }
        return result;
    }

    /** Returns {@code sum w * brier_i}, the stored global Brier sum. */
    public double brierSum() {
        return brierSum;
    }

    /** Returns {@code sum w * nll_i}, the stored global NLL sum. */
    public double nllSum() {
        return nllSum;
    }

    /** Returns the number of predictions added. */
    public long count() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    /** Returns the total weight {@code W = sum w}. */
    public double totalWeight() {
        return sum(weights);
    }

    /** Returns the weighted accuracy {@code sum w*correct / W}, NaN when {@code W = 0}. */
    public double accuracy() {
        return divide(sum(correctSums), totalWeight());
    }

    /** Returns the weighted mean top-label confidence, NaN when {@code W = 0}. */
    public double meanConfidence() {
        return divide(sum(confidenceSums), totalWeight());
    }

    /**
     * Returns the expected calibration error {@code ECE = sum_b (W_b / W) |acc_b - conf_b|} over
     * non-empty bins (Guo et al. 2017, "On Calibration of Modern Neural Networks"), NaN when
     * {@code W = 0}.
     */
    public double ece() {
        double total = totalWeight();
        if (!(total > 0)) {
            return Double.NaN;
        }
        double ece = 0.0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                double gap = Math.abs(correctSums[i] / weights[i] - confidenceSums[i] / weights[i]);
                ece += weights[i] / total * gap;
            }
        }
        return ece;
    }

    /**
     * Returns the maximum calibration error {@code MCE = max_b |acc_b - conf_b|} over non-empty bins
     * (Naeini et al. 2015), NaN when every bin is empty.
     */
    public double mce() {
        double mce = Double.NaN;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                double gap = Math.abs(correctSums[i] / weights[i] - confidenceSums[i] / weights[i]);
                mce = Double.isNaN(mce) ? gap : Math.max(mce, gap);
            }
        }
        return mce;
    }

    /** Returns the weighted mean multi-class Brier score {@code sum w * sum_k (p_k - y_k)^2 / W}. */
    public double brier() {
        return divide(brierSum, totalWeight());
    }

    /** Returns the weighted mean NLL of the true class, natural log, clipped at {@link #NLL_EPSILON}. */
    public double nll() {
        return divide(nllSum, totalWeight());
    }

    /** Returns one {@link ReliabilityBin} per bin, empty bins included, in increasing confidence. */
    public List<ReliabilityBin> reliabilityDiagram() {
        List<ReliabilityBin> diagram = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            double accuracy = divide(correctSums[i], weights[i]);
            double effectiveSize = weights[i] > 0 ? weights[i] * weights[i] / weightsSquared[i] : 0.0;
            diagram.add(new ReliabilityBin(edges[i], edges[i + 1], counts[i], weights[i], accuracy,
                    divide(confidenceSums[i], weights[i]), Interval.wilson(accuracy, effectiveSize, Interval.Z_95)));
        }
        return diagram;
    }

    private static double[] equalWidthEdges(int bins) {
        Binning.requireBins(bins);
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = Binning.lowerEdge(i, bins);
        }
        return edges;
    }

    private static double sum(double[] values) {
        double total = 0.0;
        for (double value : values) {
            total += value;
        }
        return total;
    }

    private static double divide(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }
}
