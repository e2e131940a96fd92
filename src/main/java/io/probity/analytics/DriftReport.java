package io.probity.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Figures of {@code GET /api/v1/models/{model}/drift}: how a current window differs from a baseline
 * window of the same model version. Values are null where a window lacks the data they need.
 *
 * @param psi population stability index of the top-label confidence over 10 bins
 * @param jensenShannon Jensen-Shannon distance (base 2) of the same histograms
 * @param ks two-sample Kolmogorov-Smirnov test on sampled raw confidences
 * @param marginPsi PSI of the top-1 minus top-2 margin over 10 bins
 * @param entropyPsi PSI of the normalised entropy over 10 bins
 * @param classMixPsi PSI of the predicted-class counts
 * @param classMix chi-square test of the current predicted-class counts against the baseline shares
 * @param eceDelta current minus baseline ECE (15 bins) of the labelled predictions
 * @param accuracyDelta current minus baseline accuracy of the labelled predictions
 * @param estimatedAccuracy accuracy of the whole current window estimated from its confidences
 *     through the baseline's reliability curve, labels not needed
 * @param status {@code stable} (PSI below {@link #PSI_MODERATE}), {@code moderate} or
 *     {@code strong} (PSI at least {@link #PSI_STRONG})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftReport(String model, String version, Window baseline, Window current, Double psi,
                          Double jensenShannon, Ks ks, Double marginPsi, Double entropyPsi, Double classMixPsi,
                          ClassMix classMix, Double baselineEce, Double currentEce, Double eceDelta,
                          Double baselineAccuracy, Double currentAccuracy, Double accuracyDelta,
                          Double estimatedAccuracy, String status) {

    /** PSI from which the drift status is {@code moderate}. */
    public static final double PSI_MODERATE = 0.1;
    /** PSI from which the drift status is {@code strong}. */
    public static final double PSI_STRONG = 0.2;

    /** One window: its bounds and the numbers of predictions and labelled predictions in it. */
    public record Window(String from, String to, long count, long labelledCount) {
    }

    /**
     * Kolmogorov-Smirnov test on at most {@code sampleLimit} confidences per window, spread over the
     * window's hours.
     */
    public record Ks(Double statistic, Double pValue, int baselineSample, int currentSample, int sampleLimit) {
    }

    /** Pearson chi-square test of the predicted-class mix. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassMix(Double chiSquare, int degreesOfFreedom, Double pValue, long[] baselineCounts,
                           long[] currentCounts) {
    }

    /** Returns the status word for a PSI, or null for an undefined PSI. */
    public static String status(Double psi) {
        if (psi == null) {
            return null;
        }
        if (psi >= PSI_STRONG) {
            return "strong";
        }
        return psi >= PSI_MODERATE ? "moderate" : "stable";
    }
}
