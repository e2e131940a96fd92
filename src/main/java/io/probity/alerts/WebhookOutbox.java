package io.probity.alerts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.UUID;

/**
 * The SQL of the {@code webhook_outbox} delivery queue: enqueue in the caller's transaction,
 * claim a due row under a lease, and store the outcome of an attempt.
 *
 * <p>A claim takes the oldest due row with {@code FOR UPDATE SKIP LOCKED}, so concurrent workers of
 * any instance take different rows, and sets {@code locked_until} and a fresh {@code lease_id}.
 * The row lock ends with the claim statement, and the lease keeps other workers away while the
 * request is sent. Completion only updates a row whose {@code lease_id} is still the claim's.
 */
@ApplicationScoped
public class WebhookOutbox {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    private static final String CLAIM_SQL = "UPDATE webhook_outbox o SET locked_until = now() + ? * interval "
            + "'1 millisecond', lease_id = ?, updated_at = now() WHERE o.id = (SELECT id FROM webhook_outbox "
            + "WHERE state = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until <= now()) "
            + "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
            + "RETURNING o.id, o.transition_id, o.url, o.body, o.attempts";

    @Inject
    AgroalDataSource dataSource;

    /**
     * One claimed row.
     *
     * @param attempt the number of the attempt about to be sent, 1 for the first
     */
    public record Claim(long id, long transitionId, String url, byte[] body, int attempt, UUID leaseId) {
    }

    /** Inserts a pending delivery on the caller's connection, so it commits with the caller's transaction. */
    public void enqueue(Connection connection, long transitionId, String url, byte[] body) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO webhook_outbox (transition_id, url, body) VALUES (?, ?, ?)")) {
            insert.setLong(1, transitionId);
            insert.setString(2, url);
            insert.setBytes(3, body);
            insert.executeUpdate();
        }
    }

    /** Claims the oldest due row for {@code lease}, or returns null when none is due. */
    public Claim claim(Duration lease) throws SQLException {
        UUID leaseId = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(CLAIM_SQL)) {
            update.setLong(1, lease.toMillis());
            update.setObject(2, leaseId);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Claim(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBytes(4), rs.getInt(5) + 1,
                        leaseId);
            }
        }
    }

    /**
     * Stores one attempt in {@code webhook_delivery} and moves the row to {@code nextState}, in one
     * transaction. A pending row becomes due again after {@code retryAfter}.
     *
     * @return false when another worker took the row after the lease expired, so the row is left as
     *     it is. The attempt is stored in either case, because the request was sent.
     */
    public boolean complete(Claim claim, Integer status, String error, String nextState, Duration retryAfter)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean updated = storeAttempt(connection, claim, status, error, nextState, retryAfter);
                connection.commit();
                return updated;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean storeAttempt(Connection connection, Claim claim, Integer status, String error,
                                        String nextState, Duration retryAfter) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO webhook_delivery (transition_id, url, attempt, status_code, error, succeeded) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, claim.transitionId());
            insert.setString(2, claim.url());
            insert.setInt(3, claim.attempt());
            if (status == null) {
                insert.setNull(4, Types.INTEGER);
            } else {
                insert.setInt(4, status);
            }
            insert.setString(5, error);
            insert.setBoolean(6, error == null);
            insert.executeUpdate();
        }

        int updated;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE webhook_outbox SET attempts = ?, state = ?, last_error = ?, "
                        + "next_attempt_at = now() + ? * interval '1 millisecond', locked_until = NULL, "
                        + "lease_id = NULL, updated_at = now() WHERE id = ? AND lease_id = ?")) {
            update.setInt(1, claim.attempt());
            update.setString(2, nextState);
            update.setString(3, error);
            update.setLong(4, retryAfter.toMillis());
            update.setLong(5, claim.id());
            update.setObject(6, claim.leaseId());
            updated = update.executeUpdate();
        }
        return updated == 1;
    }

    /** Ends a lease without counting an attempt, so the row is due again at once. */
    public void release(Claim claim) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE webhook_outbox SET locked_until = NULL, lease_id = NULL, updated_at = now() "
                             + "WHERE id = ? AND lease_id = ?")) {
            update.setLong(1, claim.id());
            update.setObject(2, claim.leaseId());
            update.executeUpdate();
        }
    }
}
