package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.api.ApiException;
import io.probity.api.FieldError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Validates the JSON body of {@code PUT /api/v1/models/{model}/review-rules}. Every invalid
 * value is reported, each with its JSON path and the fix, in one 400 response.
 */
public final class ReviewRuleParser {

    /** Highest priority a rule may set. */
    public static final int MAX_PRIORITY = 1000;
    /** Most rules one version may have. */
    public static final int MAX_RULES = 50;

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("rules", "sampleFraction");
    private static final Set<String> RULE_FIELDS = Set.of("type", "threshold", "class", "priority");

    /** A validated body. */
    public record Parsed(List<ReviewRule> rules, double sampleFraction) {
    }

    private ReviewRuleParser() {
    }

    /**
     * Parses and validates a rule set for a version with the given classes.
     *
     * @throws ApiException 400 listing every invalid field
     */
    public static Parsed parse(JsonNode body, List<String> classes) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid-review-rules", "The body is not a JSON object; send "
                    + "{\"rules\": [{\"type\": \"confidenceBelow\", \"threshold\": 0.6}], \"sampleFraction\": 0.02}");
        }
        rejectUnknownFields(body, TOP_LEVEL_FIELDS, "", errors);

        double sampleFraction = 0;
        JsonNode fraction = body.get("sampleFraction");
        if (fraction != null && !fraction.isNull()) {
            if (!fraction.isNumber() || !(fraction.asDouble() >= 0 && fraction.asDouble() <= 1)) {
                errors.add(new FieldError("sampleFraction", "is " + fraction
                        + "; send a number from 0 to 1, for example 0.02 to review 2 % of traffic at random"));
            } else {
                sampleFraction = fraction.asDouble();
            }
        }

        List<ReviewRule> rules = new ArrayList<>();
        JsonNode rulesNode = body.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            errors.add(new FieldError("rules", (rulesNode == null ? "is missing" : "is " + rulesNode)
                    + "; send an array of rules, [] for none"));
        } else if (rulesNode.size() > MAX_RULES) {
            errors.add(new FieldError("rules", "has " + rulesNode.size() + " rules; send at most " + MAX_RULES));
        } else {
            for (int i = 0; i < rulesNode.size(); i++) {
                ReviewRule rule = parseRule(rulesNode.get(i), "rules[" + i + "]", classes, errors);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }

        if (!errors.isEmpty()) {
            throw new ApiException(400, "invalid-review-rules", errors.size() == 1
                    ? "Invalid review rules: " + errors.get(0).field() + " " + errors.get(0).message()
                    : "Invalid review rules: " + errors.size() + " fields are invalid; see details", errors);
        }
        return new Parsed(List.copyOf(rules), sampleFraction);
    }

    private static ReviewRule parseRule(JsonNode node, String path, List<String> classes, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "is " + node + "; send an object such as "
                    + "{\"type\": \"confidenceBelow\", \"threshold\": 0.6}"));
            return null;
        }
        int errorsBefore = errors.size();
        rejectUnknownFields(node, RULE_FIELDS, path + ".", errors);

        JsonNode typeNode = node.get("type");
        RuleType type = typeNode != null && typeNode.isTextual() ? RuleType.fromJson(typeNode.asText()).orElse(null) : null;
        if (type == null) {
            errors.add(new FieldError(path + ".type", (typeNode == null ? "is missing" : "is " + typeNode)
                    + "; send one of " + RuleType.jsonNames()));
            return null;
        }

        Double threshold = null;
        JsonNode thresholdNode = node.get("threshold");
        if (type.hasThreshold()) {
            if (thresholdNode == null || !thresholdNode.isNumber()
                    || !(thresholdNode.asDouble() >= 0 && thresholdNode.asDouble() <= 1)) {
                errors.add(new FieldError(path + ".threshold", (thresholdNode == null ? "is missing" : "is " + thresholdNode)
                        + "; " + type.jsonName() + " needs a number from 0 to 1"));
            } else {
                threshold = thresholdNode.asDouble();
            }
        } else if (thresholdNode != null) {
            errors.add(new FieldError(path + ".threshold", "is set but " + type.jsonName()
                    + " takes no threshold; remove it"));
        }

        String className = null;
        JsonNode classNode = node.get("class");
        if (type == RuleType.CLASS_PROBABILITY_ABOVE) {
            if (classNode == null || !classNode.isTextual() || !classes.contains(classNode.asText())) {
                errors.add(new FieldError(path + ".class", (classNode == null ? "is missing" : "is " + classNode)
                        + "; send one of the version's classes " + classes));
            } else {
                className = classNode.asText();
            }
        } else if (classNode != null) {
            errors.add(new FieldError(path + ".class", "is set but only classProbabilityAbove takes a class; remove it"));
        }

        int priority = type.defaultPriority();
        JsonNode priorityNode = node.get("priority");
        if (priorityNode != null && !priorityNode.isNull()) {
            if (!priorityNode.isIntegralNumber() || priorityNode.asLong() < 0 || priorityNode.asLong() > MAX_PRIORITY) {
                errors.add(new FieldError(path + ".priority", "is " + priorityNode + "; send a whole number from 0 to "
                        + MAX_PRIORITY + " (higher is reviewed first) or leave it out for "
                        + type.defaultPriority()));
            } else {
                priority = priorityNode.asInt();
            }
        }
        return errors.size() > errorsBefore ? null : new ReviewRule(type.jsonName(), threshold, className, priority);
    }

    private static void rejectUnknownFields(JsonNode node, Set<String> allowed, String prefix, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a known field; use only " + allowed.stream().sorted().toList()));
            }
        }
    }
}
