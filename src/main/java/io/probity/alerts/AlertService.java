package io.probity.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.ModelScope;
import io.probity.security.SecurityLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores alert rules, evaluates them and keeps every state transition (see {@link AlertState}).
 * Evaluations are serialized by this bean's lock, so the scheduler, the post-ingestion trigger and
 * the API never count one breach twice at the same time.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);
    /** The maximum number of transitions and deliveries per alert that {@link #alerts} returns. */
    public static final int HISTORY_LIMIT = 50;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AnalyticsService analytics;

    @Inject
    AlertFigures figures;

    @Inject
    WebhookSender webhooks;

    @Inject
    SecurityLog securityLog;

    @ConfigProperty(name = "probity.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    /** A stored rule with the model and version it belongs to. */
    private record StoredRule(AlertRule rule, long versionId, String model, String version, boolean active) {
    }

    /** Returns the active rules of a version, oldest first. */
    public List<AlertRule> rules(ModelScope scope) {
        return storedRules("r.model_version_id = ? AND r.active", scope.versionId()).stream()
                .map(StoredRule::rule).toList();
    }

    /**
     * Replaces the active rules of a version. Rules sent again unchanged keep their id and state;
     * dropped rules are deactivated and a pending or firing alert of theirs is resolved.
     *
     * @throws io.probity.api.ApiException 400 naming each invalid field
     */
    public synchronized List<AlertRule> replace(ModelScope scope, JsonNode body, String actor, String address) {
        List<AlertRule> requested = AlertRuleParser.parse(body);
        List<StoredRule> current = storedRules("r.model_version_id = ? AND r.active", scope.versionId());
        List<StoredRule> dropped = new ArrayList<>(current);
        List<AlertRule> kept = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (AlertRule rule : requested) {
                StoredRule same = dropped.stream().filter(s -> s.rule().sameAs(rule)).findFirst().orElse(null);
                if (same != null) {
                    dropped.remove(same);
                    kept.add(same.rule());
                } else {
                    kept.add(insertRule(connection, scope.versionId(), rule, actor));
                }
            }
            for (StoredRule rule : dropped) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE alert_rule SET active = false WHERE id = ?")) {
                    update.setLong(1, rule.rule().id());
                    update.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to store the alert rules of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
        for (StoredRule rule : dropped) {
            String state = stateOf(rule.rule().id());
            if (AlertState.PENDING.equals(state) || AlertState.FIRING.equals(state)) {
                transition(rule, state, AlertState.RESOLVED, null, null, null, 0, "rule removed by " + actor);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", scope.version());
        details.put("rules", kept.size());
        details.put("removed", dropped.size());
        securityLog.record(actor, address, "alert-rules.replace", scope.model(), details);
        return kept;
    }

    /** Evaluates every active rule of every version that has one. */
    public synchronized void evaluateAll(Instant now) {
        for (long versionId : versionsWithRules()) {
            evaluateVersion(versionId, now);
        }
    }

    /** Evaluates the active rules of one version; a failing rule is logged and the others still run. */
    public synchronized void evaluateVersion(long versionId, Instant now) {
        for (StoredRule rule : storedRules("r.model_version_id = ? AND r.active", versionId)) {
            try {
                evaluate(rule, now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Failed to evaluate alert rule %d (%s) of model %s version %s", rule.rule().id(),
                        rule.rule().metric(), rule.model(), rule.version());
            }
        }
    }

    private void evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        ModelScope scope = analytics.scope(stored.model(), stored.version());
        AlertFigures.Figure figure = figures.compute(scope, rule, now);
        boolean measurable = Double.isFinite(figure.value()) && figure.count() >= rule.minCount();
        Double value = Double.isFinite(figure.value()) ? figure.value() : null;

        String state;
        int breaches;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT state, breaches FROM alert_state WHERE rule_id = ?")) {
            query.setLong(1, rule.id());
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    state = rs.getString(1);
                    breaches = rs.getInt(2);
                } else {
                    state = AlertState.OK;
                    breaches = 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the state of alert rule " + rule.id(), e);
        }

        if (!measurable) {
            saveState(rule.id(), state, value, figure.count(), figure.windowEnd(), breaches, false);
            return;
        }
        boolean breach = rule.holds(figure.value());
        int nextBreaches = breach ? breaches + 1 : 0;
        String next = AlertState.next(state, breach, nextBreaches);
        if (next.equals(state)) {
            saveState(rule.id(), next, value, figure.count(), figure.windowEnd(), nextBreaches, false);
            return;
        }
        String reason = rule.metric() + " = " + figure.value() + (breach ? " is " : " is no longer ")
                + rule.comparison() + " " + rule.threshold() + " over " + rule.window() + " ("
                + figure.count() + (rule.metric().equals("rejectionRate") ? " records)" : " predictions)");
        transition(stored, state, next, value, figure.count(), figure.windowEnd(), nextBreaches, reason);
    }

    /**
     * Stores a state change: the new state, the transition and, for firing and resolved with a
     * webhook, its queued notification, all in one transaction, so a transition never exists
     * without its notification.
     */
    private void transition(StoredRule stored, String from, String to, Double value, Long count, Instant windowEnd,
                            int breaches, String reason) {
        AlertRule rule = stored.rule();
        boolean notify = rule.webhook() != null && (AlertState.FIRING.equals(to) || AlertState.RESOLVED.equals(to));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                saveState(connection, rule.id(), to, value, count, windowEnd, breaches, true);
                long transitionId = insertTransition(connection, rule.id(), from, to, value, windowEnd, reason);
                if (notify) {
                    webhooks.enqueue(connection, transitionId, rule.webhook(),
                            payload(stored, transitionId, from, to, value, windowEnd, reason));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to store a transition of alert rule " + rule.id() + ": "
                    + e.getMessage(), e);
        }
        LOG.infof("Alert rule %d (%s %s %s) of model %s version %s: %s -> %s, %s", rule.id(), rule.metric(),
                rule.comparison(), rule.threshold(), stored.model(), stored.version(), from, to, reason);
        if (notify) {
            webhooks.wakeUp();
        }
    }

    private static long insertTransition(Connection connection, long ruleId, String from, String to, Double value,
                                         Instant windowEnd, String reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO alert_transition (rule_id, from_state, to_state, value, window_end, reason) "
                        + "VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            insert.setLong(1, ruleId);
            insert.setString(2, from);
            insert.setString(3, to);
            setDouble(insert, 4, value);
            insert.setTimestamp(5, windowEnd == null ? null : Timestamp.from(windowEnd));
            insert.setString(6, reason);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Returns the webhook body of a transition; {@code transitionId} lets receivers drop repeated deliveries. */
    private Map<String, Object> payload(StoredRule stored, long transitionId, String from, String to, Double value,
                                        Instant windowEnd, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("transitionId", transitionId);
        payload.put("model", stored.model());
        payload.put("version", stored.version());
        payload.put("rule", stored.rule());
        payload.put("state", to);
        payload.put("previousState", from);
        payload.put("value", value);
        payload.put("threshold", stored.rule().threshold());
        payload.put("window", stored.rule().window());
        payload.put("windowEnd", windowEnd == null ? null : windowEnd.toString());
        payload.put("reason", reason);
        payload.put("link", link(stored.model(), stored.version(), stored.rule(), windowEnd));
        return payload;
    }

    /** Returns the alerts of a model (every rule, active or not, newest first) with their history. */
    public List<Alert> alerts(String model) {
        List<Alert> alerts = new ArrayList<>();
        for (StoredRule stored : storedRules("m.model = ?", model)) {
            alerts.add(alert(stored));
        }
        return alerts;
    }

    private Alert alert(StoredRule stored) {
        long ruleId = stored.rule().id();
        String state = AlertState.OK;
        Double value = null;
        Long count = null;
        Instant windowEnd = null;
        String evaluatedAt = null;
        String changedAt = null;
        List<Alert.Transition> transitions = new ArrayList<>();
        List<Alert.Delivery> deliveries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT state, value, count, window_end, evaluated_at, changed_at FROM alert_state WHERE rule_id = ?")) {
                query.setLong(1, ruleId);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        state = rs.getString(1);
                        value = (Double) rs.getObject(2);
                        count = (Long) rs.getObject(3);
                        windowEnd = instant(rs.getTimestamp(4));
                        evaluatedAt = text(rs.getTimestamp(5));
                        changedAt = text(rs.getTimestamp(6));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, from_state, to_state, value, window_end, reason, at FROM alert_transition "
                            + "WHERE rule_id = ? ORDER BY at DESC, id DESC LIMIT ?")) {
                query.setLong(1, ruleId);
                query.setInt(2, HISTORY_LIMIT);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        transitions.add(new Alert.Transition(rs.getLong(1), rs.getString(2), rs.getString(3),
                                (Double) rs.getObject(4), text(rs.getTimestamp(5)), rs.getString(6),
                                text(rs.getTimestamp(7))));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT d.transition_id, d.url, d.attempt, d.status_code, d.error, d.succeeded, d.at "
                            + "FROM webhook_delivery d JOIN alert_transition t ON t.id = d.transition_id "
                            + "WHERE t.rule_id = ? ORDER BY d.at DESC, d.id DESC LIMIT ?")) {
                query.setLong(1, ruleId);
                query.setInt(2, HISTORY_LIMIT);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        deliveries.add(new Alert.Delivery(rs.getLong(1), rs.getString(2), rs.getInt(3),
                                (Integer) rs.getObject(4), rs.getString(5), rs.getBoolean(6),
                                text(rs.getTimestamp(7))));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read alert rule " + ruleId + ": " + e.getMessage(), e);
        }
        return new Alert(stored.model(), stored.version(), stored.active(), stored.rule(), state, value, count,
                windowEnd == null ? null : windowEnd.toString(), evaluatedAt, changedAt,
                link(stored.model(), stored.version(), stored.rule(), windowEnd), transitions, deliveries);
    }

    /** Returns the model page URL showing the rule's window that ends at {@code windowEnd}. */
    String link(String model, String version, AlertRule rule, Instant windowEnd) {
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        StringBuilder url = new StringBuilder(base).append("/models/").append(encode(model)).append("?version=")
                .append(encode(version));
        if (windowEnd != null) {
            Instant to = windowEnd.plusSeconds(1);
            url.append("&from=").append(encode(to.minus(rule.windowLength()).toString()))
                    .append("&to=").append(encode(to.toString()));
        }
        return url.toString();
    }

    private List<Long> versionsWithRules() {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT DISTINCT model_version_id FROM alert_rule WHERE active");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list the versions with alert rules: " + e.getMessage(), e);
        }
        return ids;
    }

    private List<StoredRule> storedRules(String condition, Object parameter) {
        List<StoredRule> rules = new ArrayList<>();
        String sql = "SELECT r.id, r.metric, r.comparison, r.threshold, r.window_length, r.min_count, r.webhook, "
                + "r.model_version_id, m.model, m.version, r.active FROM alert_rule r "
                + "JOIN model_version m ON m.id = r.model_version_id WHERE " + condition
                + " ORDER BY r.active DESC, r.id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    AlertRule rule = new AlertRule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7));
                    rules.add(new StoredRule(rule, rs.getLong(8), rs.getString(9), rs.getString(10),
                            rs.getBoolean(11)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read alert rules: " + e.getMessage(), e);
        }
        return rules;
    }

    private static AlertRule insertRule(Connection connection, long versionId, AlertRule rule, String author)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO alert_rule (model_version_id, metric, comparison, threshold, window_length, min_count, "
                        + "webhook, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            insert.setLong(1, versionId);
            insert.setString(2, rule.metric());
            insert.setString(3, rule.comparison());
            insert.setDouble(4, rule.threshold());
            insert.setString(5, rule.window());
            insert.setInt(6, rule.minCount());
            insert.setString(7, rule.webhook());
            insert.setString(8, author);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new AlertRule(rs.getLong(1), rule.metric(), rule.comparison(), rule.threshold(), rule.window(),
                        rule.minCount(), rule.webhook());
            }
        }
    }

    private String stateOf(long ruleId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT state FROM alert_state WHERE rule_id = ?")) {
            query.setLong(1, ruleId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : AlertState.OK;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the state of alert rule " + ruleId, e);
        }
    }

    private void saveState(long ruleId, String state, Double value, Long count, Instant windowEnd, int breaches,
                           boolean changed) {
        try (Connection connection = dataSource.getConnection()) {
            saveState(connection, ruleId, state, value, count, windowEnd, breaches, changed);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to store the state of alert rule " + ruleId, e);
        }
    }

    private static void saveState(Connection connection, long ruleId, String state, Double value, Long count,
                                  Instant windowEnd, int breaches, boolean changed) throws SQLException {
        String sql = "INSERT INTO alert_state (rule_id, state, value, count, window_end, breaches, evaluated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (rule_id) DO UPDATE SET state = excluded.state, "
                + "value = excluded.value, count = excluded.count, window_end = excluded.window_end, "
                + "breaches = excluded.breaches, evaluated_at = excluded.evaluated_at"
                + (changed ? ", changed_at = now()" : "");
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setLong(1, ruleId);
            upsert.setString(2, state);
            setDouble(upsert, 3, value);
            if (count == null) {
                upsert.setNull(4, Types.BIGINT);
            } else {
                upsert.setLong(4, count);
            }
            upsert.setTimestamp(5, windowEnd == null ? null : Timestamp.from(windowEnd));
            upsert.setInt(6, breaches);
            upsert.executeUpdate();
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String text(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
