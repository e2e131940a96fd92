package io.probity.audit;

import java.time.Instant;
import java.util.List;

/** A stored prediction whose audit did not pass, as listed on the audit page. */
public record AuditFinding(String model, String version, String predictionId, Instant timestamp, String verdict,
                           List<String> causes, Double maxAbsDiff, Double confidence) {
}
