package io.probity.review;

import java.time.Instant;
import java.util.List;

/**
 * An item of the review queue with what a reviewer needs to decide.
 *
 * @param reason        why it was queued: {@code low-confidence} or {@code audit-failed}
 * @param probabilities the effective probability vector, null when the record has none
 */
public record ReviewItem(long id, String model, String version, String predictionId, Instant timestamp,
                         String reason, String state, Instant createdAt, List<String> classes,
                         double[] probabilities, String topClass, Double confidence, List<String> auditCauses) {
}
