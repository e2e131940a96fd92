package io.probity.ingest;

/** The idempotency key of a prediction: its id is unique within its model. */
public record PredictionKey(String model, String predictionId) {
}
