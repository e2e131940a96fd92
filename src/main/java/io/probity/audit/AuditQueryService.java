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
import java.time.Instant;
import java.time.ZoneOffset;
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
                filter.to(), filter.models()));
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

    /**
     * Counts predictions and audit causes per hour or day of event time over the filter's window.
     * Buckets without predictions are left out.
     */
    public CauseTimeline timeline(AuditFilter filter, String interval) {
        if (!"hour".equals(interval) && !"day".equals(interval)) {
            throw new IllegalArgumentException("interval must be hour or day, got " + interval);
        }
        AuditFilter everyVerdict = filter.everyVerdict();
        Query totalsQuery = whereAnyVerdict(everyVerdict);
        String bucket = "date_trunc('" + interval + "', p.event_time AT TIME ZONE 'UTC')";
        String totalsSql = "SELECT " + bucket + " AS b, count(*) FROM prediction p "
                + "JOIN model_version v ON v.id = p.model_version_id" + totalsQuery.sql + " GROUP BY b ORDER BY b";
        Query causesQuery = where(everyVerdict);
        String causesSql = "SELECT " + bucket + " AS b, cause, count(*) FROM prediction p "
                + "JOIN model_version v ON v.id = p.model_version_id CROSS JOIN LATERAL unnest(p.causes) AS cause"
                + causesQuery.sql + " GROUP BY b, cause";

        List<Instant> buckets = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        Map<String, long[]> causeCounts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = prepare(connection, totalsSql, totalsQuery.parameters);
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    buckets.add(rs.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC));
                    totals.add(rs.getLong(2));
                }
            }
            try (PreparedStatement statement = prepare(connection, causesSql, causesQuery.parameters);
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Instant start = rs.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC);
                    int index = buckets.indexOf(start);
                    if (index >= 0) {
                        causeCounts.computeIfAbsent(rs.getString(2), c -> new long[buckets.size()])[index] = rs.getLong(3);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to build the audit timeline: " + e.getMessage(), e);
        }
        return new CauseTimeline(interval, buckets, totals.stream().mapToLong(Long::longValue).toArray(), causeCounts);
    }

    /** Returns the most frequent causes of each model version, at most {@code perVersion} each. */
    public List<VersionCauseCount> topCausesPerVersion(AuditFilter filter, int perVersion) {
        AuditFilter everyVerdict = filter.everyVerdict();
        Query query = where(everyVerdict);
        Query totalsQuery = whereAnyVerdict(everyVerdict);
        String sql = "WITH totals AS (SELECT p.model_version_id, count(*) AS total FROM prediction p "
                + "JOIN model_version v ON v.id = p.model_version_id" + totalsQuery.sql + " GROUP BY p.model_version_id), "
                + "ranked AS (SELECT v.model, v.version, cause, count(*) AS n, p.model_version_id, "
                + "row_number() OVER (PARTITION BY p.model_version_id ORDER BY count(*) DESC, cause) AS rank "
                + "FROM prediction p JOIN model_version v ON v.id = p.model_version_id "
                + "CROSS JOIN LATERAL unnest(p.causes) AS cause" + query.sql
                + " GROUP BY v.model, v.version, cause, p.model_version_id) "
                + "SELECT r.model, r.version, r.cause, r.n, t.total FROM ranked r JOIN totals t USING (model_version_id) "
                + "WHERE r.rank <= ? ORDER BY r.model, r.version, r.n DESC";
        List<Object> parameters = new ArrayList<>(totalsQuery.parameters);
        parameters.addAll(query.parameters);
        parameters.add(perVersion);

        List<VersionCauseCount> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(new VersionCauseCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to rank audit causes: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Builds the WHERE clause of a filter over findings: predictions whose verdict is not pass. */
    private static Query where(AuditFilter filter) {
        return where(filter, true);
    }

    /** Builds the WHERE clause of a filter over all predictions, for the denominators of rates. */
    private static Query whereAnyVerdict(AuditFilter filter) {
        return where(filter, false);
    }

    private static Query where(AuditFilter filter, boolean findingsOnly) {
        Query query = new Query();
        StringBuilder sql = new StringBuilder(findingsOnly ? " WHERE p.verdict <> 'pass'" : " WHERE TRUE");
        if (filter.verdict() != null) {
            sql.append(" AND p.verdict = ?");
            query.parameters.add(filter.verdict());
        }
        if (filter.model() != null) {
            sql.append(" AND p.model = ?");
            query.parameters.add(filter.model());
        }
        if (filter.models() != null) {
            sql.append(" AND p.model = ANY (?)");
            query.parameters.add(filter.models().toArray(String[]::new));
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
