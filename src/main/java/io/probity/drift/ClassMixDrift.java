package io.probity.drift;

import io.probity.calibration.ProbabilityVectors;

/**
 * Drift of the predicted-class mix: a chi-square goodness-of-fit test of the current class counts
 * against the baseline shares, and PSI over classes.
 *
 * @param chiSquare Pearson's {@code sum_k (O_k - E_k)^2 / E_k} with {@code E_k = n_current * b_k},
 *     {@code b_k} the baseline share of class {@code k}
 * @param degreesOfFreedom the number of classes with {@code E_k > 0}, minus 1
 * @param pValue {@code P(chi2_df > chiSquare)}
 * @param psi {@link DistributionDrift#psi(long[], long[])} over classes, with the same epsilon
 */
public record ClassMixDrift(double chiSquare, int degreesOfFreedom, double pValue, double psi) {

    /**
     * Compares predicted-class counts, indexed by class, as {@code scipy.stats.chisquare(current,
     * f_exp=expected)} does. Classes absent from both windows are left out of the test. A class absent
     * from the baseline but present now has {@code E_k = 0}: the statistic is then infinite and the
     * p-value 0, because the baseline gives the class probability 0.
     *
     * @return the drift, all NaN (degrees of freedom 0) if either window is empty
     * @throws IllegalArgumentException if the count vectors differ in length or contain a negative count
     */
    public static ClassMixDrift compare(long[] baselineCounts, long[] currentCounts) {
        DistributionDrift.requireSameLength(baselineCounts, currentCounts);
        double baselineTotal = DistributionDrift.total(baselineCounts);
        double currentTotal = DistributionDrift.total(currentCounts);
        if (baselineTotal == 0 || currentTotal == 0) {
            return new ClassMixDrift(Double.NaN, 0, Double.NaN, Double.NaN);
        }
        double chiSquare = 0.0;
        int categories = 0;
        for (int k = 0; k < baselineCounts.length; k++) {
            double expected = currentTotal * (baselineCounts[k] / baselineTotal);
            if (expected > 0) {
                double difference = currentCounts[k] - expected;
                chiSquare += difference * difference / expected;
                categories++;
            } else if (currentCounts[k] > 0) {
                chiSquare = Double.POSITIVE_INFINITY;
            }
        }
        int degreesOfFreedom = Math.max(0, categories - 1);
        double pValue;
        if (Double.isInfinite(chiSquare)) {
            pValue = 0.0;
        } else if (degreesOfFreedom == 0) {
            pValue = Double.NaN;
        } else {
            pValue = SpecialFunctions.chiSquareSurvival(chiSquare, degreesOfFreedom);
        }
        return new ClassMixDrift(chiSquare, degreesOfFreedom, pValue,
                DistributionDrift.psi(baselineCounts, currentCounts));
    }

    /**
     * Counts predictions per predicted class (the argmax of each vector).
     *
     * @throws IllegalArgumentException if a vector is invalid or its length is not {@code classCount}
     */
    public static long[] predictedClassCounts(double[][] probabilities, int classCount) {
        long[] counts = new long[classCount];
        for (int i = 0; i < probabilities.length; i++) {
            ProbabilityVectors.requireValid(probabilities[i], i);
            if (probabilities[i].length != classCount) {
                throw new IllegalArgumentException("probabilities[" + i + "] has " + probabilities[i].length
                        + " classes, expected " + classCount);
            }
            counts[ProbabilityVectors.argmax(probabilities[i])]++;
        }
        return counts;
    }
}
