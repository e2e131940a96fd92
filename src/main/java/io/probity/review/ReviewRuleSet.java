package io.probity.review;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * The routing rules of one model version at one revision.
 *
 * @param revision       1 for the first stored set, counting up; 0 for the built-in default
 * @param sampleFraction fraction in [0, 1] of all unlabelled traffic sent to review at random,
 *                       on top of the rules
 * @param createdBy      user who stored the revision; null for the default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewRuleSet(String model, String version, int revision, boolean builtInDefault,
                            List<ReviewRule> rules, double sampleFraction, String createdBy, Instant createdAt) {

    /** Rules of a version that has no stored revision: the behaviour before rules existed. */
    public static final List<ReviewRule> DEFAULT_RULES = List.of(
            new ReviewRule(RuleType.CONFIDENCE_BELOW.jsonName(), 0.6, null, RuleType.CONFIDENCE_BELOW.defaultPriority()),
            new ReviewRule(RuleType.AUDIT_FAILED.jsonName(), null, null, RuleType.AUDIT_FAILED.defaultPriority()));

    public static ReviewRuleSet defaultFor(String model, String version) {
        return new ReviewRuleSet(model, version, 0, true, DEFAULT_RULES, 0, null, null);
    }
}
