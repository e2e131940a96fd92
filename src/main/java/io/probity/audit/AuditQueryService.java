package io.probity.audit;

import io.agroal.api.AgroalDataSource;
import io.probity.db.SqlArrays;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists and counts predictions whose audit verdict is {@code warn} or {@code fail}. */
@ApplicationScoped
public class AuditQueryService {

    @Inject
    AgroalDataSource dataSource;

    /** Returns one page of findings, newest first. */
    public List<AuditFinding> findings(AuditFilter filter, int offset, int limit) {
        Query query = where(filter);
        String sql = "SELECT p.model, v.version, p.prediction_id, p.event_time, p.verdict, p.causes, p.max_abs_diff, "
                + "p.confidence FROM prediction p JOIN model_version v ON v.id = p.model_version_id"
                + query.sql + " ORDER BY p.event_time DESC, p.id DESC OFFSET ? LIMIT ?";
        query.parameters.add(offset);
        query.parameters.add(limit);

        List<AuditFinding> findings = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, query.parameters);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                findings.add(new AuditFinding(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), SqlArrays.strings(rs.getArray(6)),
                        nullableDouble(rs, 7), nullableDouble(rs, 8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list audit findings: " + e.getMessage(), e);
        }
        return findings;
    }

    /** Returns the number of findings that match the filter. */
    public int count(AuditFilter filter) {
        Query query = where(filter);
        String sql = "SELECT count(*) FROM prediction p JOIN model_version v ON v.id = p.model_version_id" + query.sql;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, query.parameters);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count audit findings: " + e.getMessage(), e);
        }
    }

    /** Returns how many findings carry each cause, most frequent first. */
    public Map<String, Long> causeCounts(AuditFilter filter) {
        Query query = where(new AuditFilter(filter.model(), filter.version(), null, filter.verdict(), filter.from(),
                filter.to()));
        String sql = "SELECT cause, count(*) FROM prediction p JOIN model_version v ON v.id = p.model_version_id "
                + "CROSS JOIN LATERAL unnest(p.causes) AS cause" + query.sql
                + " GROUP BY cause ORDER BY count(*) DESC, cause";
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, query.parameters);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count audit causes: " + e.getMessage(), e);
        }
        return counts;
    }

    private static Query where(AuditFilter filter) {
        Query query = new Query();
        StringBuilder sql = new StringBuilder(" WHERE p.verdict <> 'pass'");
        if (filter.verdict() != null) {
            sql.append(" AND p.verdict = ?");
            query.parameters.add(filter.verdict());
        }
        if (filter.model() != null) {
            sql.append(" AND p.model = ?");
            query.parameters.add(filter.model());
        }
        if (filter.version() != null) {
            sql.append(" AND v.version = ?");
            query.parameters.add(filter.version());
        }
        if (filter.cause() != null) {
            sql.append(" AND ? = ANY (p.causes)");
            query.parameters.add(filter.cause());
        }
        if (filter.from() != null) {
            sql.append(" AND p.event_time >= ?");
            query.parameters.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND p.event_time < ?");
            query.parameters.add(Timestamp.from(filter.to()));
        }
        query.sql = sql.toString();
        return query;
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static final class Query {
        String sql;
        final List<Object> parameters = new ArrayList<>();
    }
}
