package io.probity.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.api.ApiException;
import io.probity.api.FieldError;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the body of {@code PUT /api/v1/models/{model}/alert-rules}. Every problem is reported
 * at once, as a 400 with one detail per field naming the value and the fix.
 */
final class AlertRuleParser {

    /** The maximum number of rules of one version. */
    static final int MAX_RULES = 50;
    /** The maximum window of a rule. */
    static final Duration MAX_WINDOW = Duration.ofDays(92);

    private AlertRuleParser() {
    }

    static List<AlertRule> parse(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("rules").isArray()) {
            throw ApiException.badRequest("the body must be an object with a rules array; send for example "
                    + "{\"rules\": [{\"metric\": \"ece\", \"comparison\": \"above\", \"threshold\": 0.05, "
                    + "\"window\": \"PT24H\", \"minCount\": 50}]}");
        }
        JsonNode array = body.get("rules");
        List<FieldError> errors = new ArrayList<>();
        if (array.size() > MAX_RULES) {
            errors.add(new FieldError("rules", "has " + array.size() + " rules, more than " + MAX_RULES
                    + "; send fewer rules"));
        }
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            AlertRule rule = parseRule(array.get(i), "rules[" + i + "]", errors);
            if (rule != null) {
                rules.add(rule);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, "invalid_alert_rules", errors.size() + " invalid field(s) in the alert "
                    + "rules: " + errors.get(0).field() + " " + errors.get(0).message(), errors);
        }
        return rules;
    }

    private static AlertRule parseRule(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "is " + node + ", not an object; send {\"metric\": ..., "
                    + "\"comparison\": ..., \"threshold\": ..., \"window\": ...}"));
            return null;
        }
        int before = errors.size();

        String metric = text(node, "metric");
        AlertMetric known = AlertMetric.of(metric);
        if (known == null) {
            errors.add(new FieldError(path + ".metric", (metric == null ? "is missing" : "\"" + metric
                    + "\" is not supported") + "; send one of " + AlertMetric.apiNames()));
        }

        String comparison = text(node, "comparison");
        if (!"above".equals(comparison) && !"below".equals(comparison)) {
            errors.add(new FieldError(path + ".comparison", (comparison == null ? "is missing" : "\"" + comparison
                    + "\" is not supported") + "; send above or below"));
        }

        JsonNode thresholdNode = node.get("threshold");
        double threshold = Double.NaN;
        if (thresholdNode == null || !thresholdNode.isNumber() || !Double.isFinite(thresholdNode.asDouble())) {
            errors.add(new FieldError(path + ".threshold", (thresholdNode == null ? "is missing" : thresholdNode
                    + " is not a finite number") + "; send a number such as 0.05"));
        } else {
            threshold = thresholdNode.asDouble();
            if (known != null) {
                checkRange(known, threshold, path + ".threshold", errors);
            }
        }

        String window = text(node, "window");
        if (known == AlertMetric.NO_DATA || known == AlertMetric.REVIEW_BACKLOG
                || known == AlertMetric.OLDEST_OPEN_REVIEW_AGE) {
            window = window == null ? "PT1H" : window;
        }
        Duration length = null;
        if (window == null) {
            errors.add(new FieldError(path + ".window", "is missing; send an ISO-8601 duration such as PT24H"));
        } else {
            try {
                length = Duration.parse(window);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(path + ".window", "\"" + window + "\" is not an ISO-8601 duration; "
                        + "send for example PT24H or P7D"));
            }
            if (length != null && (length.isNegative() || length.isZero() || length.compareTo(MAX_WINDOW) > 0)) {
                errors.add(new FieldError(path + ".window", "\"" + window + "\" is outside (0, P92D]; send a "
                        + "positive duration of at most 92 days"));
            }
        }

        JsonNode minCountNode = node.get("minCount");
        int minCount = 0;
        if (minCountNode != null && !minCountNode.isNull()) {
            if (!minCountNode.canConvertToInt() || !minCountNode.isIntegralNumber() || minCountNode.asInt() < 0) {
                errors.add(new FieldError(path + ".minCount", minCountNode + " is not a non-negative integer; "
                        + "send for example 50, or leave it out for 0"));
            } else {
                minCount = minCountNode.asInt();
            }
        }

        String webhook = text(node, "webhook");
        if (webhook != null && !webhook.isBlank()) {
            checkWebhook(webhook, path + ".webhook", errors);
        } else {
            webhook = null;
        }

        if (errors.size() > before) {
            return null;
        }
        return new AlertRule(null, metric, comparison, threshold, length.toString(), minCount, webhook);
    }

    private static void checkRange(AlertMetric metric, double threshold, String field, List<FieldError> errors) {
        boolean unitInterval = switch (metric) {
            case ECE, ACCURACY, ESTIMATED_ACCURACY, AUDIT_FAILURE_RATE, REJECTION_RATE -> true;
            case JENSEN_SHANNON -> true;
            default -> false;
        };
        if (unitInterval && (threshold < 0 || threshold > 1)) {
            errors.add(new FieldError(field, threshold + " is outside [0, 1], the range of " + metric.apiName()
                    + "; send a fraction such as 0.05"));
        } else if (!unitInterval && threshold < 0) {
            errors.add(new FieldError(field, threshold + " is negative, but " + metric.apiName()
                    + " is never negative; send a value of at least 0"));
        }
    }

    private static void checkWebhook(String webhook, String field, List<FieldError> errors) {
        try {
            URI uri = new URI(webhook);
            String scheme = uri.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
                errors.add(new FieldError(field, "\"" + webhook + "\" is not an absolute http or https URL; send "
                        + "for example https://hooks.example.com/probity"));
            } else if (uri.getUserInfo() != null) {
                errors.add(new FieldError(field, "\"" + webhook.replace(uri.getRawUserInfo(), "***")
                        + "\" contains credentials; send a URL without user:password@, since requests are signed"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "\"" + webhook + "\" is not a valid URL (" + e.getReason()
                    + "); send for example https://hooks.example.com/probity"));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
