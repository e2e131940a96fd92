package io.probity.calibration;

import java.util.Arrays;

/**
 * Bin rules for calibration statistics.
 *
 * <p>Equal-width bins: bin {@code i} of {@code B} contains values in {@code (i/B, (i+1)/B]}, with the
 * edge computed as the float64 quotient {@code i / (double) B}. A value of 0 falls in the first bin
 * and 1.0 in the last. This is the convention of {@code sklearn.calibration.calibration_curve}
 * ({@code searchsorted(edges[1:-1], p)}, side left), whose edges are
 * {@code numpy.linspace(0, 1, B + 1)}. The two edge sets are bitwise equal for B = 15 and differ by
 * one ulp at 0.3, 0.6 and 0.7 for B = 10.
 *
 * <p>Equal-mass (quantile) bins: the inner edges are the linear-interpolated sample quantiles at
 * {@code i/B} ({@code numpy.percentile}, method "linear", as used by {@code calibration_curve} with
 * {@code strategy="quantile"}), and bin membership is again {@code (e_i, e_{i+1}]}.
 */
public final class Binning {

    private Binning() {
    }

    /**
     * Returns the equal-width bin of {@code value}: the {@code i} with {@code i/B < value <= (i+1)/B},
     * 0 for {@code value <= 0} and {@code B - 1} for {@code value >= 1}.
     */
    public static int equalWidthIndex(double value, int bins) {
        requireBins(bins);
        int index = (int) Math.ceil(value * bins) - 1;
        index = Math.max(0, Math.min(bins - 1, index));
        // value * bins can round across an edge, so settle the index against the stated edges.
        while (index > 0 && value <= lowerEdge(index, bins)) {
            index--;
        }
        while (index < bins - 1 && value > upperEdge(index, bins)) {
            index++;
        }
        return index;
    }

    /** Returns the lower edge {@code i / B} of equal-width bin {@code i}. */
    public static double lowerEdge(int index, int bins) {
        return index / (double) bins;
    }

    /** Returns the upper edge {@code (i + 1) / B} of equal-width bin {@code i}. */
    public static double upperEdge(int index, int bins) {
        return (index + 1) / (double) bins;
    }

    /**
     * Returns the {@code B + 1} equal-mass edges of {@code values}: the sample quantiles at
     * {@code i/B}, linearly interpolated as {@code numpy.percentile} does by default.
     *
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static double[] quantileEdges(double[] values, int bins) {
        requireBins(bins);
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile edges need at least one value");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins + 1];
        int last = sorted.length - 1;
        for (int i = 0; i <= bins; i++) {
            double position = last * (i / (double) bins);
            int below = (int) Math.floor(position);
            int above = Math.min(below + 1, last);
            edges[i] = interpolate(sorted[below], sorted[above], position - below);
        }
        return edges;
    }

    /**
     * Returns the bin of {@code value} among {@code edges}, counting bins as {@code (e_i, e_{i+1}]}
     * with values at or below {@code e_1} in the first bin and values above {@code e_{B-1}} in the
     * last, as {@code numpy.searchsorted(edges[1:-1], value)} does.
     */
    public static int edgeIndex(double value, double[] edges) {
        int low = 1;
        int high = edges.length - 1;
        // Count the inner edges strictly below value.
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (edges[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low - 1;
    }

    /** Linear interpolation written as NumPy's {@code _lerp}, so quantile edges match it bit for bit. */
    private static double interpolate(double a, double b, double fraction) {
        double difference = b - a;
        if (fraction >= 0.5) {
            return b - difference * (1 - fraction);
        }
        return a + difference * fraction;
    }

    static void requireBins(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("number of bins must be >= 1, got " + bins);
        }
    }
}
