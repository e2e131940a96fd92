package io.probity.calibration;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Figures of {@code GET /api/v1/models/{model}/metrics} for one window. Calibration fields are
 * computed over labelled predictions and are null when there are none; {@code meanConfidence}
 * and {@code confidenceHistogram} cover every prediction with a finite probability vector.
 *
 * @param reliability         equal-width bins, bin i holding confidences in (i/B, (i+1)/B], 0 in the first
 * @param confidenceHistogram counts of top-label confidence in equal-width bins on [0, 1] with NumPy
 *                            {@code histogram} edges (each bin half-open except the last, which is closed)
 * @param auditFailed         predictions whose audit verdict is {@code fail}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetrics(String model, String version, String from, String to, long count, long labeledCount,
                           long auditFailed, Double accuracy, Double meanConfidence, Double ece, Double mce,
                           Double brier, Double nll, List<Bin> reliability, long[] confidenceHistogram) {

    /**
     * One reliability-diagram bin; accuracy, mean confidence and the Wilson 95 % interval of the
     * accuracy are absent for an empty bin.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bin(double lower, double upper, long count, Double accuracy, Double meanConfidence,
                      Double accuracyLower, Double accuracyUpper) {
    }
}
