package io.probity.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.probity.calibration.ModelMetrics;

import java.util.List;

/**
 * Figures of {@code GET /api/v1/models/{model}/temperature}: the temperature scaling fitted on the
 * labelled predictions of a window.
 *
 * @param temperature the fitted {@code T}, applied on top of each prediction's served temperature:
 *     the advised serving temperature is the served one times {@code T}
 * @param sampleSize the number of labelled predictions with finite logits that the fit used
 * @param sampleLimit the maximum number of predictions the fit reads, spread over the window's hours
 * @param reliabilityAfter the reliability diagram of {@code softmax(z / T)} over 15 bins
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemperatureAdvice(String model, String version, String from, String to, int sampleSize,
                                int sampleLimit, Double temperature, Double eceBefore, Double eceAfter,
                                Double nllBefore, Double nllAfter, List<ModelMetrics.Bin> reliabilityBefore,
                                List<ModelMetrics.Bin> reliabilityAfter) {
}
