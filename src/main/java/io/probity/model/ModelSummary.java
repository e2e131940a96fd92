package io.probity.model;

import java.time.Instant;
import java.util.List;

/** A model with its versions and prediction counts, as listed by {@code GET /api/v1/models}. */
public record ModelSummary(String model, long count, long labeledCount, List<VersionSummary> versions) {

    /**
     * One version of a model.
     *
     * @param auditFailed predictions whose audit verdict is {@code fail}
     */
    public record VersionSummary(String version, List<String> classes, long count, long labeledCount,
                                 long auditFailed, Instant firstPrediction, Instant lastPrediction) {
    }
}
