package io.probity.drift;

import io.probity.calibration.ReliabilityAccumulator;

/**
 * The change in accuracy and equal-width ECE from a labelled baseline window to a labelled current
 * window. Each change is {@code current - baseline}, so a positive {@code eceChange} means worse
 * calibration. Values are NaN where a window has total weight 0.
 */
public record CalibrationChange(double baselineAccuracy, double currentAccuracy, double baselineEce,
        double currentEce) {

    /**
     * Computes the change from the windows' stored sums.
     *
     * @throws IllegalArgumentException if the accumulators have different numbers of bins
     */
    public static CalibrationChange between(ReliabilityAccumulator baseline, ReliabilityAccumulator current) {
        if (baseline.bins() != current.bins()) {
            throw new IllegalArgumentException("baseline has " + baseline.bins() + " bins but current has "
                    + current.bins() + "; ECE is only comparable over the same bins");
        }
        return new CalibrationChange(baseline.accuracy(), current.accuracy(), baseline.ece(), current.ece());
    }

    /** Returns {@code currentAccuracy - baselineAccuracy}. */
    public double accuracyChange() {
        return currentAccuracy - baselineAccuracy;
    }

    /** Returns {@code currentEce - baselineEce}. */
    public double eceChange() {
        return currentEce - baselineEce;
    }
}
