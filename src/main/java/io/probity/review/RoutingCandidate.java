package io.probity.review;

import io.probity.ingest.EffectiveProbabilities;

/**
 * A freshly stored prediction as review routing sees it. Summary fields are NaN when the record
 * has no finite probability vector, and NaN never passes a threshold rule.
 *
 * @param predictionPk the {@code prediction.id} row key
 * @param eventMicros  the {@code prediction.event_time} as stored, in microseconds since the epoch
 * @param labelled     whether the record came with a label; labelled predictions are never queued
 */
public record RoutingCandidate(long predictionPk, long eventMicros, long modelVersionId, String model,
                               String predictionId, boolean labelled, boolean auditFailed, double confidence, double margin,
                               double normalisedEntropy, double[] logits, double[] probabilities,
                               double temperature) {

    /**
     * Computes the effective probability vector, as stored statistics use it; null when the record
     * has none. Only class-probability rules need it, so it is not computed up front.
     */
    public double[] effectiveProbabilities() {
        return EffectiveProbabilities.of(logits, probabilities, temperature);
    }
}
