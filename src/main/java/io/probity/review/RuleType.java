package io.probity.review;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Kinds of review routing rule, with the JSON name of each and the priority an item gets when
 * the rule sets none. Thresholds compare with the effective probability vector's summaries
 * (confidence, top-1 minus top-2 margin, entropy divided by ln K), all in [0, 1].
 */
public enum RuleType {
    CONFIDENCE_BELOW("confidenceBelow", true, 10),
    MARGIN_BELOW("marginBelow", true, 10),
    ENTROPY_ABOVE("entropyAbove", true, 10),
    AUDIT_FAILED("auditFailed", false, 30),
    CLASS_PROBABILITY_ABOVE("classProbabilityAbove", true, 20);

    /** Rule name recorded on items queued only by the random sample. */
    public static final String SAMPLE = "sample";
    /** Priority of items queued only by the random sample. */
    public static final int SAMPLE_PRIORITY = 0;

    /** Types by JSON name; routing looks up each rule's type for every candidate. */
    private static final Map<String, RuleType> BY_JSON_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(RuleType::jsonName, type -> type));

    private final String jsonName;
    private final boolean hasThreshold;
    private final int defaultPriority;

    RuleType(String jsonName, boolean hasThreshold, int defaultPriority) {
        this.jsonName = jsonName;
        this.hasThreshold = hasThreshold;
        this.defaultPriority = defaultPriority;
    }

    public String jsonName() {
        return jsonName;
    }

    public boolean hasThreshold() {
        return hasThreshold;
    }

    public int defaultPriority() {
        return defaultPriority;
    }

    /** Finds the type with a JSON name, case-sensitively. */
    public static Optional<RuleType> fromJson(String name) {
        return Optional.ofNullable(name == null ? null : BY_JSON_NAME.get(name));
    }

    /** Returns the JSON names of all types, for error messages. */
    public static String jsonNames() {
        return String.join(", ", Arrays.stream(values()).map(RuleType::jsonName).toList());
    }
}
