package io.probity.alerts;

import java.util.List;

/**
 * An alert rule with its current state and history, as {@code GET /api/v1/alerts} returns it.
 *
 * @param state ok, pending, firing or resolved
 * @param value the metric value of the last evaluation, null when it could not be computed
 * @param count the predictions the value is based on
 * @param windowEnd the newest prediction timestamp the last evaluation's window ended at
 * @param link the model page showing the window of the last evaluation
 */
public record Alert(String model, String version, boolean active, AlertRule rule, String state, Double value,
                    Long count, String windowEnd, String evaluatedAt, String changedAt, String link,
                    List<Transition> transitions, List<Delivery> deliveries) {

    /** One stored state change, with the figure or action that caused it in {@code reason}. */
    public record Transition(long id, String from, String to, Double value, String windowEnd, String reason,
                             String at) {
    }

    /** One webhook delivery attempt of a transition. */
    public record Delivery(long transitionId, String url, int attempt, Integer statusCode, String error,
                           boolean succeeded, String at) {
    }
}
