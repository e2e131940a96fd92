package io.probity.alerts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;

/**
 * One alert rule of a model version: the alert fires when {@code metric} is {@code comparison}
 * {@code threshold} over the last {@code window} of event time, given at least {@code minCount}
 * predictions (labelled predictions for {@code ece} and {@code accuracy}).
 *
 * @param id the stored rule id, null before it is stored
 * @param window an ISO-8601 duration such as {@code PT24H}
 * @param webhook an http or https URL that receives firing and resolved notifications, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRule(Long id, String metric, String comparison, double threshold, String window, int minCount,
                        String webhook) {

    /** Returns true when {@code value} meets the condition. */
    public boolean holds(double value) {
        return "above".equals(comparison) ? value > threshold : value < threshold;
    }

    @JsonIgnore
    public Duration windowLength() {
        return Duration.parse(window);
    }

    /** Returns true when both rules have the same condition and webhook, ignoring ids. */
    boolean sameAs(AlertRule other) {
        return metric.equals(other.metric) && comparison.equals(other.comparison)
                && Double.compare(threshold, other.threshold) == 0 && windowLength().equals(other.windowLength())
                && minCount == other.minCount && java.util.Objects.equals(webhook, other.webhook);
    }
}
