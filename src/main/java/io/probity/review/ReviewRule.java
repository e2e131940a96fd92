package io.probity.review;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One routing rule as stored and returned by the review-rules API.
 *
 * @param threshold null for {@code auditFailed}, otherwise in [0, 1]
 * @param className the class of a {@code classProbabilityAbove} rule, null for other types
 * @param priority  queue priority of the items this rule sends; higher is reviewed first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewRule(String type, Double threshold, @JsonProperty("class") String className, int priority) {

    @JsonIgnore
    public RuleType ruleType() {
        return RuleType.fromJson(type).orElseThrow(() -> new IllegalStateException("Unknown rule type " + type));
    }
}
