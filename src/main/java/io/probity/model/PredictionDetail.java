package io.probity.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One stored prediction with its recomputed probabilities and audit, as returned by
 * {@code GET /api/v1/models/{model}/predictions/{predictionId}}. Class fields are class names.
 *
 * @param recomputed softmax(logits / T) in float64 with the audit's temperature; null without logits
 * @param confidence top-label probability of the effective vector (recomputed when finite, else reported)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionDetail(String model, String modelVersion, String predictionId, Instant timestamp,
                               List<String> classes, double[] logits, double[] probabilities, double[] recomputed,
                               double temperature, String predictedClass, String topClass, Double confidence,
                               Double margin, Double normalisedEntropy, String label, String labelSource,
                               JsonNode attributes, AuditDetail audit, Instant ingestedAt) {

    /**
     * The audit of the stored record, run again with the version's current settings.
     *
     * @param storedVerdict the verdict given at ingestion, which differs from {@code verdict} only when
     *                      the version's tolerance or temperature override changed since
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditDetail(String verdict, String storedVerdict, List<String> causes, Double maxAbsDiff,
                              Double impliedTemperature, int[] classPermutation, Integer roundingDecimals,
                              Double klDivergence, String explanation) {
    }
}
