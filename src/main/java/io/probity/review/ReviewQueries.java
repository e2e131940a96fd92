package io.probity.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.db.SqlArrays;
import io.probity.ingest.EffectiveProbabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only queries of the review queue: items, counts, history and reviewer throughput. */
@ApplicationScoped
public class ReviewQueries {

    /** Every item state, in the order the UI shows them. */
    public static final List<String> STATES = List.of("open", "claimed", "resolved", "skipped", "escalated", "expired");

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String ITEM_COLUMNS = "r.id, v.model, v.version, p.prediction_id, p.event_time, r.rule, "
            + "r.rule_set_revision, r.priority, r.inclusion_probability, r.state, r.created_at, r.claimed_by, "
            + "r.claimed_at, r.lease_expires_at, r.decided_by, r.decided_at, r.label, r.note, v.classes, p.logits, "
            + "p.probabilities, p.temperature, p.top_class, p.confidence, p.verdict, p.causes";
    private static final String VERSION_JOIN = "JOIN model_version v ON v.id = r.model_version_id ";
    /**
     * The item with its prediction, joined on id and event time so that only the prediction's
     * partition is read. The prediction of an {@code expired} item may have been dropped by
     * retention; such an item is still listed, without the prediction's fields.
     */
    static final String ITEM_FROM = " FROM review_item r "
            + "LEFT JOIN prediction p ON p.id = r.prediction_pk AND p.event_time = r.prediction_event_time "
            + VERSION_JOIN;

    private static final String FILTER = "(?::text IS NULL OR v.model = ?) AND (?::text IS NULL OR v.version = ?) "
            + "AND (?::text IS NULL OR r.rule = ?) AND (?::text IS NULL OR r.state = ?) "
            + "AND (?::float8 IS NULL OR r.created_at <= now() - make_interval(secs => ?)) ";

    @Inject
    AgroalDataSource dataSource;

    /** Returns items matching a filter, highest priority first, then oldest first. */
    public List<ReviewItem> list(ReviewFilter filter, int limit) {
        String sql = "SELECT " + ITEM_COLUMNS + ITEM_FROM + "WHERE " + FILTER
                + "ORDER BY r.priority DESC, r.created_at, r.id LIMIT ?";
        List<ReviewItem> items = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            int next = bindFilter(query, 1, filter);
            query.setInt(next, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    items.add(toItem(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list review items: " + e.getMessage(), e);
        }
        return items;
    }

    /** Returns one item, or empty when it does not exist. */
    public Optional<ReviewItem> find(long id) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read review item " + id + ": " + e.getMessage(), e);
        }
    }

    static Optional<ReviewItem> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + ITEM_COLUMNS + ITEM_FROM + "WHERE r.id = ?")) {
            query.setLong(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(toItem(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Returns the oldest item that a reviewer holds with a valid lease, so a reloaded review
     * screen resumes it instead of claiming another.
     */
    public Optional<ReviewItem> heldBy(String reviewer, String model, String version) {
        String sql = "SELECT " + ITEM_COLUMNS + ITEM_FROM + "WHERE r.state = 'claimed' AND r.claimed_by = ? "
                + "AND r.lease_expires_at > now() AND (?::text IS NULL OR v.model = ?) "
                + "AND (?::text IS NULL OR v.version = ?) ORDER BY r.claimed_at, r.id LIMIT 1";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, reviewer);
            query.setString(2, model);
            query.setString(3, model);
            query.setString(4, version);
            query.setString(5, version);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(toItem(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the items held by " + reviewer + ": " + e.getMessage(), e);
        }
    }

    /** Counts matching items per state (ignoring the filter's state) and finds the oldest open one. */
    public QueueSummary summary(ReviewFilter filter) {
        ReviewFilter anyState = new ReviewFilter(filter.model(), filter.version(), filter.rule(), null, filter.minAge());
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(state -> counts.put(state, 0L));
        Instant oldestOpen = null;
        String sql = "SELECT r.state, count(*), min(r.created_at) FROM review_item r " + VERSION_JOIN
                + "WHERE " + FILTER + "GROUP BY r.state";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            bindFilter(query, 1, anyState);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                    if ("open".equals(rs.getString(1))) {
                        oldestOpen = rs.getTimestamp(3).toInstant();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count review items: " + e.getMessage(), e);
        }
        return new QueueSummary(counts, oldestOpen);
    }

    /**
     * An item's history, oldest action first. Routing stores no history row for {@code queued},
     * because ingestion would write one per queued prediction. That first entry is derived from the
     * item row, with no history id, unless the database contains a stored one from before.
     */
    private static final String HISTORY_SQL = "SELECT NULL::bigint, i.id, i.created_at, 'router', 'queued', NULL, "
            + "jsonb_build_object('state', 'open', 'rule', i.rule, 'ruleSetRevision', i.rule_set_revision, "
            + "'priority', i.priority, 'inclusionProbability', i.inclusion_probability)::text, NULL, 0 AS part "
            + "FROM review_item i WHERE i.id = ? "
            + "AND NOT EXISTS (SELECT 1 FROM review_history h WHERE h.item_id = i.id AND h.action = 'queued') "
            + "UNION ALL "
            + "SELECT id, item_id, at, actor, action, before::text, after::text, note, 1 FROM review_history "
            + "WHERE item_id = ? ORDER BY part, 1";

    /** Returns an item's history, oldest action first. */
    public List<ReviewHistoryEntry> history(long itemId) {
        List<ReviewHistoryEntry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(HISTORY_SQL)) {
            query.setLong(1, itemId);
            query.setLong(2, itemId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    entries.add(new ReviewHistoryEntry(rs.wasNull() ? null : id, rs.getLong(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getString(5), json(rs.getString(6)), json(rs.getString(7)),
                            rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the history of review item " + itemId + ": "
                    + e.getMessage(), e);
        }
        if (entries.isEmpty() && find(itemId).isEmpty()) {
            throw ApiException.notFound("Review item " + itemId + " does not exist; list items with GET /api/v1/review/items");
        }
        return entries;
    }

    /** Returns each reviewer's decisions in the last hour and day, most active first. */
    public List<ReviewerThroughput> throughput() {
        String sql = "SELECT actor, "
                + "sum(CASE WHEN at > now() - interval '1 hour' THEN sign END), sum(sign), "
                + "sum(CASE WHEN action = 'resolve' THEN 1 WHEN action = 'undo' AND undone = 'resolved' THEN -1 ELSE 0 END) "
                + "FROM (SELECT actor, at, action, before ->> 'state' AS undone, "
                + "CASE WHEN action = 'undo' THEN -1 ELSE 1 END AS sign FROM review_history "
                + "WHERE at > now() - interval '1 day' AND action IN ('resolve', 'skip', 'escalate', 'undo')) d "
                + "GROUP BY actor ORDER BY 3 DESC, actor";
        List<ReviewerThroughput> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(new ReviewerThroughput(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to compute reviewer throughput: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Returns the distinct rule names of queued items, for the rule filter. */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT DISTINCT rule FROM review_item ORDER BY rule");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list review rules in use: " + e.getMessage(), e);
        }
        return names;
    }

    private static int bindFilter(PreparedStatement query, int index, ReviewFilter filter) throws SQLException {
        String[] values = {filter.model(), filter.version(), filter.rule(), filter.state()};
        for (String value : values) {
            query.setString(index++, value);
            query.setString(index++, value);
        }
        Double seconds = filter.minAge() == null ? null : (double) filter.minAge().toSeconds();
        query.setObject(index++, seconds, java.sql.Types.DOUBLE);
        query.setObject(index++, seconds, java.sql.Types.DOUBLE);
        return index;
    }

    static ReviewItem toItem(ResultSet rs) throws SQLException {
        List<String> classes = SqlArrays.strings(rs.getArray(19));
        double[] effective = EffectiveProbabilities.of(SqlArrays.doubles(rs.getArray(20)),
                SqlArrays.doubles(rs.getArray(21)), rs.getDouble(22));
        int top = rs.getInt(23);
        String topClass = rs.wasNull() ? null : classes.get(top);
        double confidence = rs.getDouble(24);
        Double confidenceValue = rs.wasNull() ? null : confidence;
        int revision = rs.getInt(7);
        Integer revisionValue = rs.wasNull() ? null : revision;
        int label = rs.getInt(17);
        String labelName = rs.wasNull() ? null : classes.get(label);
        return new ReviewItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs.getTimestamp(5)), rs.getString(6), revisionValue, rs.getInt(8), rs.getDouble(9),
                rs.getString(10), instant(rs.getTimestamp(11)), rs.getString(12), instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)), rs.getString(15), instant(rs.getTimestamp(16)), labelName,
                rs.getString(18), classes, effective, topClass, confidenceValue, rs.getString(25),
                SqlArrays.strings(rs.getArray(26)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored review history is not valid JSON: " + e.getMessage(), e);
        }
    }
}
