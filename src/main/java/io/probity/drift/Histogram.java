package io.probity.drift;

import java.util.Arrays;

/**
 * Immutable counts of values in [0, 1] over equal-width bins with NumPy {@code histogram} edges.
 *
 * <p>For {@code B} bins the edges are {@code numpy.linspace(0, 1, B + 1)}: {@code e_i = i * (1.0 / B)}
 * in float64 and {@code e_B = 1.0}. Bin {@code i} contains {@code [e_i, e_{i+1})}, and the last
 * bin also contains 1.0. Note that {@code 3 * (1.0 / 10)} is {@code 0.30000000000000004}, so these
 * edges differ by one ulp from {@code i / B} at some points.
 *
 * <p>Histograms merge by adding counts, so the app can store fine histograms per time slice and
 * {@link #coarsen} them to 10 or 15 bins for display and drift statistics.
 */
public final class Histogram {

    private final long[] counts;

    private Histogram(long[] counts) {
        this.counts = counts;
    }

    /**
     * Counts {@code values} into {@code bins} bins.
     *
     * @throws IllegalArgumentException if a value is NaN or outside [0, 1]. Such values are rejected,
     *     not skipped.
     */
    public static Histogram of(double[] values, int bins) {
        long[] counts = new long[requireBins(bins)];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0.0 && values[i] <= 1.0)) {
                throw new IllegalArgumentException("values[" + i + "] = " + values[i] + " is not within [0, 1]");
            }
            counts[binIndex(values[i], bins)]++;
        }
        return new Histogram(counts);
    }

    /**
     * Rebuilds a histogram from stored counts, one per bin in increasing order.
     *
     * @throws IllegalArgumentException if there are no bins or a count is negative
     */
    public static Histogram fromCounts(long[] counts) {
        requireBins(counts.length);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] = " + counts[i] + " is negative");
            }
        }
        return new Histogram(counts.clone());
    }

    /** Returns a histogram with {@code bins} bins and no values. */
    public static Histogram empty(int bins) {
        return new Histogram(new long[requireBins(bins)]);
    }

    /** Returns edge {@code e_i = i * (1.0 / B)}, with {@code e_B = 1.0}, as {@code numpy.linspace}. */
    public static double edge(int index, int bins) {
        return index == bins ? 1.0 : index * (1.0 / bins);
    }

    /**
     * Returns the bin of a value in [0, 1], computed as {@code numpy.histogram} does: the index
     * {@code floor(value * B)}, corrected by one where rounding put it on the wrong side of an edge.
     */
    public static int binIndex(double value, int bins) {
        int index = (int) (value * bins);
        if (index >= bins) {
            index = bins - 1;
        }
        if (value < edge(index, bins)) {
            index--;
        } else if (index != bins - 1 && value >= edge(index + 1, bins)) {
            index++;
        }
        return index;
    }

    /** Returns the number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Returns the count of bin {@code i}. */
    public long count(int i) {
        return counts[i];
    }

    /** Returns a copy of the counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** Returns the total count. */
    public long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    /** Returns the {@code B + 1} edges. */
    public double[] edges() {
        double[] edges = new double[counts.length + 1];
        for (int i = 0; i <= counts.length; i++) {
            edges[i] = edge(i, counts.length);
        }
        return edges;
    }

    /** Returns each bin's share of the total, all NaN for an empty histogram. */
    public double[] proportions() {
        double total = total();
        double[] proportions = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            proportions[i] = total > 0 ? counts[i] / total : Double.NaN;
        }
        return proportions;
    }

    /**
     * Returns the bin-wise sum of two histograms.
     *
     * @throws IllegalArgumentException if the numbers of bins differ
     */
    public Histogram merge(Histogram other) {
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("cannot merge histograms with " + counts.length + " and "
                    + other.counts.length + " bins");
        }
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.counts[i];
        }
        return new Histogram(sum);
    }

    /**
     * Returns a histogram with {@code bins} bins, each the sum of {@code bins() / bins} adjacent bins.
     *
     * <p>NOTE: the result can differ from {@code Histogram.of(values, bins)} for a value within one ulp
     * of a coarse edge, because NumPy's fine edge {@code j * (1.0 / B)} and coarse edge
     * {@code i * (1.0 / b)} need not be the same double (for example {@code 6 * (1.0 / 60)} and
     * {@code 1 * (1.0 / 10)}). Softmax confidences rarely fall there.
     *
     * @throws IllegalArgumentException if {@code bins} does not divide {@link #bins()}
     */
    public Histogram coarsen(int bins) {
        requireBins(bins);
        if (counts.length % bins != 0) {
            throw new IllegalArgumentException("cannot coarsen " + counts.length + " bins to " + bins
                    + "; the fine number of bins must be a multiple of the coarse one");
        }
        int factor = counts.length / bins;
        long[] coarse = new long[bins];
        for (int i = 0; i < counts.length; i++) {
            coarse[i / factor] += counts[i];
        }
        return new Histogram(coarse);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Histogram histogram && Arrays.equals(counts, histogram.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(counts);
    }

    private static int requireBins(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("number of bins must be >= 1, got " + bins);
        }
        return bins;
    }
}
