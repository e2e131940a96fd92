package io.probity.drift;

import java.util.Arrays;

/**
 * Distances between a baseline and a current distribution: PSI and Jensen-Shannon distance on binned
 * counts, and the two-sample Kolmogorov-Smirnov test on raw values.
 *
 * <p>The tests check every value to 1e-9 (p-values to a relative 1e-9) against NumPy and SciPy 1.10 (see
 * {@code src/test/resources/reference/compute_references.py}).
 */
public final class DistributionDrift {

    /**
     * The proportion used for a bin with count 0 in PSI, where {@code ln(c / b)} would be infinite.
     * Other proportions are not changed and the shares are not renormalised.
     */
    public static final double PSI_EPSILON = 1e-4;

    /** The number of equal-width confidence bins for PSI and JS unless stated otherwise. */
    public static final int DEFAULT_BINS = 10;

    /**
     * The result of a two-sample Kolmogorov-Smirnov test.
     *
     * @param statistic {@code D = sup_x |F_baseline(x) - F_current(x)|}, as {@code scipy.stats.ks_2samp}
     * @param pValue the asymptotic two-sided p-value {@code Q_KS(sqrt(n m / (n + m)) D)}
     */
    public record KolmogorovSmirnov(double statistic, double pValue) {
    }

    private DistributionDrift() {
    }

    /**
     * Returns the population stability index {@code PSI = sum_i (c_i - b_i) ln(c_i / b_i)} of current
     * shares {@code c} against baseline shares {@code b}, which equals
     * {@code KL(c || b) + KL(b || c)} of the binned distributions. An empty bin gets
     * {@link #PSI_EPSILON} in place of 0. A common rule of thumb from credit scoring reads below 0.1
     * as stable, 0.1 to 0.25 as a moderate shift and above 0.25 as a major shift.
     *
     * @return PSI {@code >= 0}, or NaN if either histogram is empty
     * @throws IllegalArgumentException if the numbers of bins differ
     */
    public static double psi(Histogram baseline, Histogram current) {
        return psi(baseline.counts(), current.counts());
    }

    /** Returns PSI of two count vectors over the same bins; see {@link #psi(Histogram, Histogram)}. */
    public static double psi(long[] baselineCounts, long[] currentCounts) {
        requireSameLength(baselineCounts, currentCounts);
        double baselineTotal = total(baselineCounts);
        double currentTotal = total(currentCounts);
        if (baselineTotal == 0 || currentTotal == 0) {
            return Double.NaN;
        }
        double psi = 0.0;
        for (int i = 0; i < baselineCounts.length; i++) {
            double b = baselineCounts[i] == 0 ? PSI_EPSILON : baselineCounts[i] / baselineTotal;
            double c = currentCounts[i] == 0 ? PSI_EPSILON : currentCounts[i] / currentTotal;
            psi += (c - b) * Math.log(c / b);
        }
        return psi;
    }

    /**
     * Returns the Jensen-Shannon distance with base-2 logarithms,
     * {@code sqrt((KL(p || m) + KL(q || m)) / 2)} with {@code m = (p + q) / 2}, as
     * {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}. It lies in [0, 1] and needs no
     * epsilon, because {@code 0 ln 0 = 0}.
     *
     * @return the distance, or NaN if either histogram is empty
     */
    public static double jensenShannonDistance(Histogram baseline, Histogram current) {
        return jensenShannonDistance(baseline.counts(), current.counts());
    }

    /** Returns the Jensen-Shannon distance of two count vectors; see {@link #jensenShannonDistance(Histogram, Histogram)}. */
    public static double jensenShannonDistance(long[] baselineCounts, long[] currentCounts) {
        requireSameLength(baselineCounts, currentCounts);
        double baselineTotal = total(baselineCounts);
        double currentTotal = total(currentCounts);
        if (baselineTotal == 0 || currentTotal == 0) {
            return Double.NaN;
        }
        double divergence = 0.0;
        for (int i = 0; i < baselineCounts.length; i++) {
            double p = baselineCounts[i] / baselineTotal;
            double q = currentCounts[i] / currentTotal;
            double m = (p + q) / 2.0;
            divergence += relativeEntropy(p, m) + relativeEntropy(q, m);
        }
        return Math.sqrt(Math.max(0.0, divergence / 2.0 / Math.log(2)));
    }

    /**
     * Runs the two-sample Kolmogorov-Smirnov test. The statistic equals {@code scipy.stats.ks_2samp},
     * and the p-value is the asymptotic Kolmogorov distribution, {@code scipy.stats.kstwobign.sf}, at
     * {@code sqrt(n m / (n + m)) D}. NOTE: {@code ks_2samp(method="asymp")} in SciPy 1.10 instead
     * returns {@code kstwo.sf(D, round(n m / (n + m)))}, a finite-n distribution: on the two halves
     * of the digits reference window it gives 0.210 where this method gives 0.220.
     *
     * @return the test, with NaN statistic and p-value if either sample is empty
     * @throws IllegalArgumentException if a value is NaN, which is rejected and not skipped
     */
    public static KolmogorovSmirnov kolmogorovSmirnov(double[] baseline, double[] current) {
        requireNotNaN(baseline, "baseline");
        requireNotNaN(current, "current");
        int n = baseline.length;
        int m = current.length;
        if (n == 0 || m == 0) {
            return new KolmogorovSmirnov(Double.NaN, Double.NaN);
        }
        double[] a = baseline.clone();
        double[] b = current.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double statistic = 0.0;
        // Walk the merged order; at each distinct value both empirical CDFs include all copies of it.
        while (i < n && j < m) {
            double value = Math.min(a[i], b[j]);
            while (i < n && a[i] == value) {
                i++;
            }
            while (j < m && b[j] == value) {
                j++;
            }
            statistic = Math.max(statistic, Math.abs((double) i / n - (double) j / m));
        }
        double effectiveSize = (double) n * m / (n + m);
        return new KolmogorovSmirnov(statistic, SpecialFunctions.kolmogorovSurvival(Math.sqrt(effectiveSize) * statistic));
    }

    private static double relativeEntropy(double x, double y) {
        return x > 0 ? x * Math.log(x / y) : 0.0;
    }

    static double total(long[] counts) {
        double total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] = " + counts[i] + " is negative");
            }
            total += counts[i];
        }
        return total;
    }

    static void requireSameLength(long[] baseline, long[] current) {
        if (baseline.length != current.length) {
            throw new IllegalArgumentException("baseline has " + baseline.length + " bins but current has "
                    + current.length);
        }
    }

    private static void requireNotNaN(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN; filter invalid predictions first");
            }
        }
    }
}
