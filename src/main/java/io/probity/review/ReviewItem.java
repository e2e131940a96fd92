package io.probity.review;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * An item of the review queue with what a reviewer needs to decide.
 *
 * @param predictionId          null, like the other fields of the prediction, for an expired item whose
 *                              prediction retention has dropped
 * @param rule                  the rule type that queued it, or {@code sample} for the random sample
 * @param ruleSetRevision       the rule set revision used, null for the built-in default rules
 * @param inclusionProbability  probability that routing sent the prediction to review; its label
 *                              weighs 1 / this in calibration figures
 * @param state                 open, claimed, resolved, skipped, escalated or expired
 * @param leaseExpiresAt        end of the current or last claim; undo is allowed until then
 * @param label                 the class chosen by the resolving reviewer
 * @param probabilities         the effective probability vector, null when the record has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewItem(long id, String model, String version, String predictionId, Instant timestamp,
                         String rule, Integer ruleSetRevision, int priority, double inclusionProbability,
                         String state, Instant createdAt, String claimedBy, Instant claimedAt,
                         Instant leaseExpiresAt, String decidedBy, Instant decidedAt, String label, String note,
                         List<String> classes, double[] probabilities, String topClass, Double confidence,
                         String auditVerdict, List<String> auditCauses) {
}
