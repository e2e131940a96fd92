package io.probity.analytics;

import io.probity.calibration.Binning;
import io.probity.calibration.ReliabilityAccumulator;
import io.probity.drift.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mergeable sums of a set of predictions over {@link #FINE_BINS} fine bins: the content of one
 * {@code analytics_rollup} row, or of any sum of rows.
 *
 * <p>Confidence, margin and normalised entropy histograms use NumPy's edges as {@link Histogram}
 * does. The reliability sums use the {@code (i/B, (i+1)/B]} bins of {@link Binning}, so
 * {@link #reliability(int)} equals {@link ReliabilityAccumulator} on the raw rows (labelled
 * predictions only, weight 1) for every divisor of {@link #FINE_BINS}: coarsening those bins is
 * exact. Coarsened histograms can differ from direct ones only for a value within one ulp of a
 * coarse edge (see {@link Histogram#coarsen}).
 *
 * <p>Predictions enter through {@link #addPrediction} with the scalar summaries stored in each
 * {@code prediction} row, and labels through {@link #addLabel} with a sign, so that a label change
 * moves the labelled sums. Mutable and not thread-safe.
 */
public final class RollupSums {

    /** The number of fine bins on [0, 1]; 60 coarsens to 1-6, 10, 12, 15, 20, 30 and 60 bins. */
    public static final int FINE_BINS = 60;

    long predictions;
    long auditFailed;
    double confidenceSum;
    final long[] confidenceHistogram = new long[FINE_BINS];
    final long[] marginHistogram = new long[FINE_BINS];
    final long[] entropyHistogram = new long[FINE_BINS];
    final long[] binCounts = new long[FINE_BINS];
    final double[] binConfidenceSums = new double[FINE_BINS];
    final long[] labelledCounts = new long[FINE_BINS];
    final double[] labelledConfidenceSums = new double[FINE_BINS];
    final long[] correctCounts = new long[FINE_BINS];
    double brierSum;
    double nllSum;

    /**
     * Adds one prediction without its label.
     *
     * @param auditFailed whether the audit verdict is {@code fail}
     * @param confidence the top-label confidence of the effective vector, NaN when the prediction has
     *     no finite vector; then only the prediction and audit counts change
     * @param margin top-1 minus top-2 probability
     * @param normalisedEntropy entropy divided by {@code ln K}, clamped to [0, 1] here
     */
    public void addPrediction(boolean auditFailed, double confidence, double margin, double normalisedEntropy) {
        predictions++;
        if (auditFailed) {
            this.auditFailed++;
        }
        if (Double.isNaN(confidence)) {
            return;
        }
        confidenceSum += confidence;
        confidenceHistogram[Histogram.binIndex(clamp(confidence), FINE_BINS)]++;
        marginHistogram[Histogram.binIndex(clamp(margin), FINE_BINS)]++;
        entropyHistogram[Histogram.binIndex(clamp(normalisedEntropy), FINE_BINS)]++;
        int bin = Binning.equalWidthIndex(confidence, FINE_BINS);
        binCounts[bin]++;
        binConfidenceSums[bin] += confidence;
    }

    /**
     * Adds ({@code sign = 1}) or removes ({@code sign = -1}) the labelled sums of one prediction with
     * a finite vector.
     *
     * @param confidence the top-label confidence
     * @param correct whether the top class equals the label
     * @param sumSquares {@code sum_k p_k^2} of the effective vector
     * @param labelProbability {@code p_label} of the effective vector
     */
    public void addLabel(int sign, double confidence, boolean correct, double sumSquares, double labelProbability) {
        int bin = Binning.equalWidthIndex(confidence, FINE_BINS);
        labelledCounts[bin] += sign;
        labelledConfidenceSums[bin] += sign * confidence;
        if (correct) {
            correctCounts[bin] += sign;
        }
        // sum_k (p_k - [k == y])^2 = sum_k p_k^2 - 2 p_y + 1, so the vector itself is not needed.
        brierSum += sign * (sumSquares - 2 * labelProbability + 1);
        nllSum += sign * -Math.log(Math.min(1 - ReliabilityAccumulator.NLL_EPSILON,
                Math.max(ReliabilityAccumulator.NLL_EPSILON, labelProbability)));
    }

    /** Adds another set of sums into this one and returns this. */
    public RollupSums merge(RollupSums other) {
        predictions += other.predictions;
        auditFailed += other.auditFailed;
        confidenceSum += other.confidenceSum;
        brierSum += other.brierSum;
        nllSum += other.nllSum;
        for (int i = 0; i < FINE_BINS; i++) {
            confidenceHistogram[i] += other.confidenceHistogram[i];
            marginHistogram[i] += other.marginHistogram[i];
            entropyHistogram[i] += other.entropyHistogram[i];
            binCounts[i] += other.binCounts[i];
            binConfidenceSums[i] += other.binConfidenceSums[i];
            labelledCounts[i] += other.labelledCounts[i];
            labelledConfidenceSums[i] += other.labelledConfidenceSums[i];
            correctCounts[i] += other.correctCounts[i];
        }
        return this;
    }

    /** Returns the number of predictions, with or without a finite vector. */
    public long predictions() {
        return predictions;
    }

    /** Returns the number of predictions whose audit verdict is {@code fail}. */
    public long auditFailed() {
        return auditFailed;
    }

    /** Returns the number of predictions with a finite vector. */
    public long scored() {
        return Arrays.stream(binCounts).sum();
    }

    /** Returns the number of labelled predictions with a finite vector. */
    public long labelled() {
        return Arrays.stream(labelledCounts).sum();
    }

    /** Returns the mean top-label confidence of the predictions with a vector, NaN without any. */
    public double meanConfidence() {
        long scored = scored();
        return scored == 0 ? Double.NaN : confidenceSum / scored;
    }

    /** Returns the labelled predictions' reliability sums over {@code bins} equal-width bins. */
    public ReliabilityAccumulator reliability(int bins) {
        List<ReliabilityAccumulator.BinSums> sums = new ArrayList<>(FINE_BINS);
        for (int i = 0; i < FINE_BINS; i++) {
            double count = labelledCounts[i];
            sums.add(new ReliabilityAccumulator.BinSums(labelledCounts[i], count, count,
                    labelledConfidenceSums[i], correctCounts[i]));
        }
        return ReliabilityAccumulator.restore(sums, brierSum, nllSum).coarsen(requireDivisor(bins));
    }

    /**
     * Returns the confidence sums of every prediction with a vector, labelled or not, over
     * {@code bins} reliability bins, for {@link io.probity.drift.PerformanceEstimation}. Their
     * correctness sums are 0.
     */
    public ReliabilityAccumulator unlabelledReliability(int bins) {
        List<ReliabilityAccumulator.BinSums> sums = new ArrayList<>(FINE_BINS);
        for (int i = 0; i < FINE_BINS; i++) {
            double count = binCounts[i];
            sums.add(new ReliabilityAccumulator.BinSums(binCounts[i], count, count, binConfidenceSums[i], 0));
        }
        return ReliabilityAccumulator.restore(sums, 0, 0).coarsen(requireDivisor(bins));
    }

    /** Returns the top-label confidence histogram over {@code bins} bins. */
    public Histogram confidenceHistogram(int bins) {
        return Histogram.fromCounts(confidenceHistogram).coarsen(requireDivisor(bins));
    }

    /** Returns the margin histogram over {@code bins} bins. */
    public Histogram marginHistogram(int bins) {
        return Histogram.fromCounts(marginHistogram).coarsen(requireDivisor(bins));
    }

    /** Returns the normalised entropy histogram over {@code bins} bins. */
    public Histogram entropyHistogram(int bins) {
        return Histogram.fromCounts(entropyHistogram).coarsen(requireDivisor(bins));
    }

    /** Returns whether {@code bins} divides {@link #FINE_BINS}, so figures over it are exact. */
    public static boolean isSupported(int bins) {
        return bins >= 1 && FINE_BINS % bins == 0;
    }

    /** Returns the bin numbers that {@link #isSupported} accepts, in increasing order. */
    public static List<Integer> supportedBins() {
        List<Integer> supported = new ArrayList<>();
        for (int bins = 1; bins <= FINE_BINS; bins++) {
            if (isSupported(bins)) {
                supported.add(bins);
            }
        }
        return supported;
    }

    private static int requireDivisor(int bins) {
        if (!isSupported(bins)) {
            throw new IllegalArgumentException(bins + " bins do not divide the " + FINE_BINS
                    + " fine bins; use one of " + supportedBins());
        }
        return bins;
    }

    private static double clamp(double value) {
        return Math.max(0.0, Math.min(1.0, value));
    }
}
