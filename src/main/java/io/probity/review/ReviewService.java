package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.api.FieldError;
import io.probity.db.SqlArrays;
import io.probity.ingest.IngestResponse;
import io.probity.ingest.LabelRecord;
import io.probity.ingest.LabelService;
import io.probity.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Actions on the review queue: claim, resolve, skip, escalate, release and undo. Each action
 * runs in one transaction that locks the item row and appends a {@code review_history} row.
 *
 * <p>A claim is a lease of {@code probity.review.lease} (15 minutes by default). Only the holder
 * of a valid lease may resolve, skip or escalate the item, so two reviewers never decide the same
 * item. An expired lease returns the item to the queue at the next claim. The holder may undo
 * their decision while the lease of the claim they decided under still runs.
 *
 * <p>Resolving stores the class through {@link LabelService} with source {@code review} and sets
 * {@code prediction.label_weight} to 1 / the item's inclusion probability, which weighted
 * calibration figures read.
 */
@ApplicationScoped
public class ReviewService {

    private static final Logger LOG = Logger.getLogger(ReviewService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longest accepted note, in characters. */
    public static final int MAX_NOTE_LENGTH = 2000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LabelService labelService;

    @ConfigProperty(name = "probity.review.lease", defaultValue = "PT15M")
    Duration lease;

    /**
     * The locked item row with what the actions check. {@code predictionEventTime} is the partition
     * key of the prediction as ISO-8601 text in UTC, null when retention has dropped the prediction.
     */
    private record Locked(long id, String state, String claimedBy, Instant leaseExpiresAt, boolean leaseValid,
                          String decidedBy, Instant decidedAt, Integer label, String note, long predictionPk,
                          double inclusionProbability, String model, String version, String predictionId,
                          List<String> classes, String predictionEventTime) {

        String labelName() {
            return label == null ? null : classes.get(label);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Returns the lease length of a claim. */
    public Duration lease() {
        return lease;
    }

    /**
     * Claims the next item: open, or skipped by someone else; highest priority first, then oldest.
     * Items locked by concurrent claims are skipped ({@code FOR UPDATE SKIP LOCKED}), so concurrent
     * callers never receive the same item.
     *
     * @param model   null for any model
     * @param version null for any version
     * @return empty when no item is waiting
     */
    public Optional<ReviewItem> claimNext(ReviewActor actor, String model, String version) {
        ReviewActors.require(actor, Role.REVIEWER, "claim review items");
        return inTransaction(connection -> {
            expireLeases(connection);
            String sql = "WITH next AS (SELECT r.id, r.state FROM review_item r "
                    + "JOIN model_version v ON v.id = r.model_version_id "
                    + "WHERE (r.state = 'open' OR (r.state = 'skipped' AND r.decided_by <> ?)) "
                    + "AND (?::text IS NULL OR v.model = ?) AND (?::text IS NULL OR v.version = ?) "
                    + "ORDER BY r.priority DESC, r.created_at, r.id LIMIT 1 FOR UPDATE OF r SKIP LOCKED) "
                    + "UPDATE review_item r SET state = 'claimed', claimed_by = ?, claimed_at = now(), "
                    + "lease_expires_at = now() + make_interval(secs => ?) FROM next WHERE r.id = next.id "
                    + "RETURNING r.id, next.state, r.lease_expires_at";
            try (PreparedStatement claim = connection.prepareStatement(sql)) {
                claim.setString(1, actor.name());
                claim.setString(2, model);
                claim.setString(3, model);
                claim.setString(4, version);
                claim.setString(5, version);
                claim.setString(6, actor.name());
                claim.setDouble(7, lease.toMillis() / 1000.0);
                try (ResultSet rs = claim.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long id = rs.getLong(1);
                    ObjectNode before = JSON.createObjectNode().put("state", rs.getString(2));
                    ObjectNode after = claimedState(actor, rs.getTimestamp(3).toInstant());
                    appendHistory(connection, id, actor.name(), "claim", before, after, null);
                    return ReviewQueries.find(connection, id);
                }
            }
        });
    }

    /**
     * Claims a chosen item. Claiming an item one already holds returns it unchanged.
     *
     * @throws ApiException 404 for an unknown item, 409 when another reviewer holds it or it is
     *                      resolved, 403 for an escalated item without the ops role
     */
    public ReviewItem claim(ReviewActor actor, long id) {
        ReviewActors.require(actor, Role.REVIEWER, "claim review items");
        return inTransaction(connection -> {
            expireLeases(connection);
            Locked item = lock(connection, id);
            if ("claimed".equals(item.state()) && item.leaseValid()) {
                if (!item.claimedBy().equals(actor.name())) {
                    throw heldByOther(item);
                }
                return ReviewQueries.find(connection, id).orElseThrow();
            }
            if ("resolved".equals(item.state())) {
                throw conflict("already-resolved", "Review item " + id + " is already resolved by " + item.decidedBy()
                        + " as " + item.labelName() + "; claim another item", item);
            }
            if ("escalated".equals(item.state())) {
                ReviewActors.require(actor, Role.OPS, "claim escalated review items");
            }
            Instant expires;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE review_item SET state = 'claimed', claimed_by = ?, claimed_at = now(), "
                            + "lease_expires_at = now() + make_interval(secs => ?) WHERE id = ? RETURNING lease_expires_at")) {
                update.setString(1, actor.name());
                update.setDouble(2, lease.toMillis() / 1000.0);
                update.setLong(3, id);
                try (ResultSet rs = update.executeQuery()) {
                    rs.next();
                    expires = rs.getTimestamp(1).toInstant();
                }
            }
            appendHistory(connection, id, actor.name(), "claim", snapshot(item), claimedState(actor, expires), null);
            return ReviewQueries.find(connection, id).orElseThrow();
        });
    }

    /**
     * Resolves a claimed item with the true class and an optional note, and stores the class as
     * the prediction's label (source {@code review}).
     *
     * @throws ApiException 400 for a class the version does not have, 409 unless the caller holds a
     *                      valid lease on the item
     */
    public ReviewItem resolve(ReviewActor actor, long id, String label, String note) {
        String cleanNote = checkNote(note);
        if (label == null || label.isBlank()) {
            throw new ApiException(400, "bad-request", "label is missing; send the true class name",
                    List.of(new FieldError("label", "is missing")));
        }
        return inTransaction(connection -> {
            Locked item = lock(connection, id);
            requireHolder(item, actor);
            int classIndex = item.classes().indexOf(label);
            if (classIndex < 0) {
                throw new ApiException(400, "bad-request", "label \"" + label + "\" is not a class of model "
                        + item.model() + " version " + item.version() + "; send one of " + item.classes(),
                        List.of(new FieldError("label", "is not a class of the model version")));
            }
            ObjectNode before = snapshot(item);
            before.set("prediction", predictionLabel(connection, item));

            // LabelService commits on its own connection. It resolves only open items, and this one
            // is claimed, so it does not wait for the lock held here.
            // NOTE: when this transaction fails after that commit, the label stays stored while the
            // item stays claimed; resolving the item again completes it.
            IngestResponse response = labelService.apply(
                    List.of(new LabelRecord(item.model(), item.predictionId(), label)), "review",
                    io.probity.security.Principal.SYSTEM);
            if (response.rejected() > 0) {
                throw ApiException.badRequest(response.results().get(0).errors().get(0).message());
            }
            double weight = 1.0 / item.inclusionProbability();
            try (PreparedStatement setWeight = connection.prepareStatement(
                    "UPDATE prediction SET label_weight = ? WHERE id = ? AND event_time = ?::timestamptz");
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE review_item SET state = 'resolved', label = ?, note = ?, decided_by = ?, "
                                 + "decided_at = now() WHERE id = ?")) {
                setWeight.setDouble(1, weight);
                setWeight.setLong(2, item.predictionPk());
                setWeight.setString(3, item.predictionEventTime());
                setWeight.executeUpdate();
                update.setShort(1, (short) classIndex);
                update.setString(2, cleanNote);
                update.setString(3, actor.name());
                update.setLong(4, id);
                update.executeUpdate();
            }
            ObjectNode after = JSON.createObjectNode().put("state", "resolved").put("label", label)
                    .put("labelWeight", weight).put("decidedBy", actor.name());
            appendHistory(connection, id, actor.name(), "resolve", before, after, cleanNote);
            LOG.infof("Review item %d (model %s, prediction %s) resolved by %s as %s", id, item.model(),
                    item.predictionId(), actor.name(), label);
            return ReviewQueries.find(connection, id).orElseThrow();
        });
    }

    /** Skips a claimed item: other reviewers can claim it next. */
    public ReviewItem skip(ReviewActor actor, long id, String note) {
        return decide(actor, id, "skip", "skipped", note);
    }

    /** Escalates a claimed item to ops: it leaves the reviewers' queue until an ops user claims it. */
    public ReviewItem escalate(ReviewActor actor, long id, String note) {
        return decide(actor, id, "escalate", "escalated", note);
    }

    private ReviewItem decide(ReviewActor actor, long id, String action, String state, String note) {
        String cleanNote = checkNote(note);
        return inTransaction(connection -> {
            Locked item = lock(connection, id);
            requireHolder(item, actor);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE review_item SET state = ?, note = ?, decided_by = ?, decided_at = now() WHERE id = ?")) {
                update.setString(1, state);
                update.setString(2, cleanNote);
                update.setString(3, actor.name());
                update.setLong(4, id);
                update.executeUpdate();
            }
            ObjectNode after = JSON.createObjectNode().put("state", state).put("decidedBy", actor.name());
            appendHistory(connection, id, actor.name(), action, snapshot(item), after, cleanNote);
            LOG.infof("Review item %d (model %s, prediction %s): %s by %s", id, item.model(), item.predictionId(),
                    action, actor.name());
            return ReviewQueries.find(connection, id).orElseThrow();
        });
    }

    /**
     * Returns a claimed item to the queue. The holder may release it after the lease ran out too.
     *
     * @throws ApiException 409 unless the caller holds the item
     */
    public ReviewItem release(ReviewActor actor, long id) {
        return inTransaction(connection -> {
            Locked item = lock(connection, id);
            if (!"claimed".equals(item.state()) || !actor.name().equals(item.claimedBy())) {
                requireHolder(item, actor);
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE review_item SET state = 'open', claimed_by = NULL, claimed_at = NULL, "
                            + "lease_expires_at = NULL WHERE id = ?")) {
                update.setLong(1, id);
                update.executeUpdate();
            }
            appendHistory(connection, id, actor.name(), "release", snapshot(item),
                    JSON.createObjectNode().put("state", "open"), null);
            return ReviewQueries.find(connection, id).orElseThrow();
        });
    }

    /**
     * Undoes the caller's decision on an item (resolve, skip or escalate) while the lease it was
     * made under still runs. The item is claimed by the caller again, and an undone resolve puts
     * back the prediction's previous label.
     *
     * @throws ApiException 409 when the last action on the item is not the caller's decision or the
     *                      lease has ended
     */
    public ReviewItem undo(ReviewActor actor, long id) {
        return inTransaction(connection -> {
            Locked item = lock(connection, id);
            JsonNode[] last = lastAction(connection, id);
            // An item without stored history rows has only its derived "queued" entry.
            String lastAction = last == null ? "queued" : last[0].asText();
            boolean isDecision = List.of("resolve", "skip", "escalate").contains(lastAction);
            if (!isDecision || !actor.name().equals(last[1].asText())) {
                throw conflict("nothing-to-undo", "Review item " + id + " has no decision of " + actor.name()
                        + " to undo: its last action is " + lastAction + " by " + (last == null ? "router" : last[1].asText()),
                        item);
            }
            if (!item.leaseValid()) {
                throw conflict("lease-expired", "The lease on review item " + id + " ended at " + item.leaseExpiresAt()
                        + "; a decision can only be undone within the lease it was made under", item);
            }
            JsonNode before = last[2];
            if ("resolve".equals(lastAction)) {
                restorePredictionLabel(connection, item, before.get("prediction"));
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE review_item SET state = 'claimed', label = ?, note = ?, decided_by = ?, "
                            + "decided_at = ?::timestamptz WHERE id = ?")) {
                JsonNode previousLabel = before.get("label");
                int previousIndex = previousLabel == null || previousLabel.isNull() ? -1
                        : item.classes().indexOf(previousLabel.asText());
                if (previousIndex < 0) {
                    update.setNull(1, Types.SMALLINT);
                } else {
                    update.setShort(1, (short) previousIndex);
                }
                update.setString(2, text(before, "note"));
                update.setString(3, text(before, "decidedBy"));
                update.setString(4, text(before, "decidedAt"));
                update.setLong(5, id);
                update.executeUpdate();
            }
            appendHistory(connection, id, actor.name(), "undo", snapshot(item),
                    claimedState(actor, item.leaseExpiresAt()), null);
            LOG.infof("Review item %d: %s by %s undone", id, lastAction, actor.name());
            return ReviewQueries.find(connection, id).orElseThrow();
        });
    }

    /** Returns every claimed item whose lease has ended to the queue; returns how many. */
    public int expireLeases() {
        return inTransaction(ReviewService::expireLeases);
    }

    private static int expireLeases(Connection connection) throws SQLException {
        // SKIP LOCKED: an item that another transaction is deciding on is left to that transaction.
        String sql = "WITH expired AS (SELECT id, claimed_by, lease_expires_at FROM review_item "
                + "WHERE state = 'claimed' AND lease_expires_at <= now() FOR UPDATE SKIP LOCKED), "
                + "reopened AS (UPDATE review_item r SET state = 'open', claimed_by = NULL, claimed_at = NULL, "
                + "lease_expires_at = NULL FROM expired WHERE r.id = expired.id RETURNING r.id) "
                + "INSERT INTO review_history (item_id, actor, action, before, after) "
                + "SELECT e.id, 'system', 'lease-expired', jsonb_build_object('state', 'claimed', 'claimedBy', "
                + "e.claimed_by, 'leaseExpiresAt', e.lease_expires_at), jsonb_build_object('state', 'open') "
                + "FROM expired e JOIN reopened USING (id)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int expired = statement.executeUpdate();
            if (expired > 0) {
                LOG.infof("Returned %d review items with expired leases to the queue", expired);
            }
            return expired;
        }
    }

    private static Locked lock(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT r.state, r.claimed_by, r.lease_expires_at, r.lease_expires_at > now(), r.decided_by, "
                        + "r.decided_at, r.label, r.note, r.prediction_pk, r.inclusion_probability, v.model, v.version, "
                        + "p.prediction_id, v.classes, r.prediction_event_time FROM review_item r "
                        + "LEFT JOIN prediction p ON p.id = r.prediction_pk AND p.event_time = r.prediction_event_time "
                        + "JOIN model_version v ON v.id = r.model_version_id WHERE r.id = ? FOR UPDATE OF r")) {
            query.setLong(1, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Review item " + id
                            + " does not exist; list items with GET /api/v1/review/items");
                }
                int label = rs.getInt(7);
                Integer labelValue = rs.wasNull() ? null : label;
                return new Locked(id, rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                        rs.getBoolean(4), rs.getString(5), instant(rs.getTimestamp(6)), labelValue, rs.getString(8),
                        rs.getLong(9), rs.getDouble(10), rs.getString(11), rs.getString(12), rs.getString(13),
                        SqlArrays.strings(rs.getArray(14)), isoInstant(rs.getObject(15, OffsetDateTime.class)));
            }
        }
    }

    private static String isoInstant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    private static void requireHolder(Locked item, ReviewActor actor) {
        if (!"claimed".equals(item.state())) {
            String by = item.decidedBy() == null ? "" : " by " + item.decidedBy();
            throw conflict("not-claimed", "Review item " + item.id() + " is " + item.state()
                    + ("open".equals(item.state()) ? "" : by) + "; claim it first with POST /api/v1/review/items/"
                    + item.id() + "/claim", item);
        }
        if (!item.claimedBy().equals(actor.name())) {
            if (item.leaseValid()) {
                throw heldByOther(item);
            }
            throw conflict("not-claimed", "Review item " + item.id() + " was claimed by " + item.claimedBy()
                    + " and that lease has ended; claim it first", item);
        }
        if (!item.leaseValid()) {
            throw conflict("lease-expired", "Your lease on review item " + item.id() + " ended at "
                    + item.leaseExpiresAt() + "; claim it again", item);
        }
    }

    private static ApiException heldByOther(Locked item) {
        return conflict("claimed-by-other", "Review item " + item.id() + " is claimed by " + item.claimedBy()
                + " until " + item.leaseExpiresAt() + "; claim another item", item);
    }

    /** A 409 whose details name the item's state and, when it has one, its holder. */
    private static ApiException conflict(String code, String message, Locked item) {
        List<FieldError> details = item.claimedBy() != null && "claimed".equals(item.state())
                ? List.of(new FieldError("state", item.state()), new FieldError("claimedBy", item.claimedBy()))
                : List.of(new FieldError("state", item.state()));
        return new ApiException(409, code, message, details);
    }

    private static String checkNote(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        if (note.length() > MAX_NOTE_LENGTH) {
            throw new ApiException(400, "bad-request", "note has " + note.length() + " characters; send at most "
                    + MAX_NOTE_LENGTH, List.of(new FieldError("note", "is too long")));
        }
        return note.strip();
    }

    private static ObjectNode snapshot(Locked item) {
        ObjectNode node = JSON.createObjectNode().put("state", item.state());
        node.put("claimedBy", item.claimedBy());
        node.put("leaseExpiresAt", item.leaseExpiresAt() == null ? null : item.leaseExpiresAt().toString());
        node.put("decidedBy", item.decidedBy());
        node.put("decidedAt", item.decidedAt() == null ? null : item.decidedAt().toString());
        node.put("label", item.labelName());
        node.put("note", item.note());
        return node;
    }

    private static ObjectNode claimedState(ReviewActor actor, Instant leaseExpiresAt) {
        return JSON.createObjectNode().put("state", "claimed").put("claimedBy", actor.name())
                .put("leaseExpiresAt", leaseExpiresAt.toString());
    }

    /** Reads the prediction's current label fields, which an undo of the resolve puts back. */
    private static ObjectNode predictionLabel(Connection connection, Locked item) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT label, label_probability, label_source, labeled_at, label_weight FROM prediction "
                        + "WHERE id = ? AND event_time = ?::timestamptz")) {
            query.setLong(1, item.predictionPk());
            query.setString(2, item.predictionEventTime());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                ObjectNode node = JSON.createObjectNode();
                int label = rs.getInt(1);
                boolean labelled = !rs.wasNull();
                node.put("label", labelled ? item.classes().get(label) : null);
                double probability = rs.getDouble(2);
                node.put("labelProbability", rs.wasNull() ? null : probability);
                node.put("labelSource", rs.getString(3));
                Timestamp labeledAt = rs.getTimestamp(4);
                node.put("labeledAt", labeledAt == null ? null : labeledAt.toInstant().toString());
                double weight = rs.getDouble(5);
                node.put("labelWeight", rs.wasNull() ? null : weight);
                node.put("labelIndex", labelled ? Integer.valueOf(label) : null);
                return node;
            }
        }
    }

    /** Puts back the label a prediction had before a review decision, and moves the rollups' labelled sums with it. */
    private static void restorePredictionLabel(Connection connection, Locked item, JsonNode previous)
            throws SQLException {
        long[] ids = {item.predictionPk()};
        String[] eventTimes = {item.predictionEventTime()};
        io.probity.analytics.RollupStore.moveLabels(connection, ids, eventTimes, -1);
        restoreLabelColumns(connection, item, previous);
        io.probity.analytics.RollupStore.moveLabels(connection, ids, eventTimes, 1);
    }

    private static void restoreLabelColumns(Connection connection, Locked item, JsonNode previous)
            throws SQLException {
        // With the event time, PostgreSQL reads only the partition that contains the prediction.
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE prediction SET label = ?, label_probability = ?, label_source = ?, "
                        + "labeled_at = ?::timestamptz, label_weight = ? WHERE id = ? AND event_time = ?::timestamptz")) {
            boolean hadLabel = previous.hasNonNull("label");
            if (hadLabel) {
                update.setShort(1, (short) previous.get("labelIndex").asInt());
            } else {
                update.setNull(1, Types.SMALLINT);
            }
            update.setObject(2, previous.hasNonNull("labelProbability") ? previous.get("labelProbability").asDouble() : null,
                    Types.DOUBLE);
            update.setString(3, text(previous, "labelSource"));
            update.setString(4, text(previous, "labeledAt"));
            update.setObject(5, previous.hasNonNull("labelWeight") ? previous.get("labelWeight").asDouble() : null,
                    Types.DOUBLE);
            update.setLong(6, item.predictionPk());
            update.setString(7, item.predictionEventTime());
            update.executeUpdate();
        }
    }

    /** Returns the item's last history row as {action, actor, before}, or null. */
    private static JsonNode[] lastAction(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT action, actor, before::text FROM review_history WHERE item_id = ? ORDER BY id DESC LIMIT 1")) {
            query.setLong(1, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new JsonNode[]{JSON.getNodeFactory().textNode(rs.getString(1)),
                        JSON.getNodeFactory().textNode(rs.getString(2)), ReviewQueries.json(rs.getString(3))};
            }
        }
    }

    private static void appendHistory(Connection connection, long itemId, String actor, String action,
                                      JsonNode before, JsonNode after, String note) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO review_history (item_id, actor, action, before, after, note) "
                        + "VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            insert.setLong(1, itemId);
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, before == null ? null : before.toString());
            insert.setString(5, after.toString());
            insert.setString(6, note);
            insert.executeUpdate();
        }
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Review queue update failed: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
