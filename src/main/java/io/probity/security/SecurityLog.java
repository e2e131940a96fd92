package io.probity.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The append-only security log: logins, user and key changes, rule and tolerance changes, with
 * who, when, from where and what changed. Each event is committed in its own transaction, so it
 * is kept even when the caller's transaction rolls back. Details never contain passwords or secrets.
 */
@ApplicationScoped
public class SecurityLog {

    private static final Logger LOG = Logger.getLogger(SecurityLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /** One stored event. */
    public record Event(long id, Instant at, String actor, String source, String action, String target,
                        String details) {
    }

    /** Appends an event; a failure to store it is logged and does not fail the caller. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String actor, String source, String action, String target, Map<String, ?> details) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO security_event (actor, source, action, target, details) VALUES (?, ?, ?, ?, ?::jsonb)")) {
            insert.setString(1, actor);
            insert.setString(2, source);
            insert.setString(3, action);
            insert.setString(4, target);
            insert.setString(5, details == null ? null : JSON.writeValueAsString(details));
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            LOG.errorf(e, "Failed to store security event %s on %s by %s", action, target, actor);
        }
    }

    /** Returns events newest first. */
    public List<Event> list(int offset, int limit) {
        List<Event> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, at, actor, source, action, target, details::text FROM security_event "
                             + "ORDER BY id DESC OFFSET ? LIMIT ?")) {
            query.setInt(1, offset);
            query.setInt(2, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.add(new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the security log: " + e.getMessage(), e);
        }
        return events;
    }

    /** Returns the number of stored events. */
    public long count() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM security_event");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count security events: " + e.getMessage(), e);
        }
    }
}
