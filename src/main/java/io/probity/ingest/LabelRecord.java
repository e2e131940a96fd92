package io.probity.ingest;

/** Ground truth that arrives after the prediction; {@code label} is a class name of its model version. */
public record LabelRecord(String model, String predictionId, String label) {
}
