package io.probity.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.probity.calibration.ModelMetrics;

import java.util.List;

/**
 * Calibration figures from review labels, each label weighted by 1 / the probability that
 * routing sent its prediction to review. Figures are null when no review label is stored.
 *
 * @param reviewedCount labelled predictions whose label came from review
 * @param sampledCount  those queued only by the random sample, whose weight is above 1
 * @param weightSum     the sum of the weights: an estimate of how many unlabelled predictions the
 *                      review labels stand for
 * @param weighting     how the weights were chosen, in words, for display next to the figures
 * @param reliability   equal-width bins; {@code count} is the number of labels and accuracy and
 *                      mean confidence are weighted means
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewCalibration(String model, String version, long reviewedCount, long sampledCount,
                                double weightSum, String weighting, Double accuracy, Double meanConfidence,
                                Double ece, Double brier, Double nll, List<ModelMetrics.Bin> reliability) {
}
