package io.probity.analytics;

import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.db.SqlArrays;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the analytics: model scopes, rollup windows, data ranges and the bounded raw samples
 * that the statistics needing single predictions use.
 */
@ApplicationScoped
public class AnalyticsRepository {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Resolves the versions of a request.
     *
     * @param version the requested version, or null
     * @param latestWhenAbsent without a version, cover only the most recently registered version
     *     instead of all of them
     * @throws ApiException 404 for an unknown model or version, 400 when the covered versions have
     *     different class lists
     */
    public ModelScope scope(String model, String version, boolean latestWhenAbsent) {
        Map<String, Object[]> versions = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, version, classes FROM model_version WHERE model = ? ORDER BY created_at, id")) {
            query.setString(1, model);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getString(2), new Object[] {rs.getLong(1), SqlArrays.strings(rs.getArray(3))});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to look up model " + model + ": " + e.getMessage(), e);
        }
        if (versions.isEmpty()) {
            throw ApiException.notFound("No model " + model + " is stored; list models with GET /api/v1/models");
        }
        List<String> selected = new ArrayList<>();
        if (version != null) {
            if (!versions.containsKey(version)) {
                throw ApiException.notFound("Model " + model + " has no version " + version + "; use one of "
                        + versions.keySet());
            }
            selected.add(version);
        } else if (latestWhenAbsent) {
            selected.add(new ArrayList<>(versions.keySet()).get(versions.size() - 1));
        } else {
            selected.addAll(versions.keySet());
        }

        long[] ids = new long[selected.size()];
        @SuppressWarnings("unchecked")
        List<String> classes = (List<String>) versions.get(selected.get(0))[1];
        for (int i = 0; i < ids.length; i++) {
            Object[] row = versions.get(selected.get(i));
            ids[i] = (Long) row[0];
            if (!classes.equals(row[1])) {
                throw ApiException.badRequest("Model " + model + " has versions with different class lists ("
                        + selected.get(0) + " and " + selected.get(i) + "); choose one with version=");
            }
        }
        return new ModelScope(model, version != null || latestWhenAbsent ? selected.get(0) : null, ids,
                List.copyOf(classes));
    }

    /**
     * Returns the rollup rows of {@code [from, to)}, exact at partial hours, of a class index, of
     * {@link RollupKey#ALL_CLASSES} or of every class (null); see {@link RollupStore#window}.
     */
    public List<RollupStore.Row> window(ModelScope scope, Instant from, Instant to, Integer topClass) {
        try (Connection connection = dataSource.getConnection()) {
            return RollupStore.window(connection, scope.versionIds(), from, to, topClass);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the rollups of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Returns the sums of all predictions of {@code [from, to)}. */
    public RollupSums total(ModelScope scope, Instant from, Instant to) {
        RollupSums total = new RollupSums();
        for (RollupStore.Row row : window(scope, from, to, RollupKey.ALL_CLASSES)) {
            total.merge(row.sums());
        }
        return total;
    }

    /** Returns the number of predictions with a finite vector per top class in {@code [from, to)}. */
    public long[] classCounts(ModelScope scope, Instant from, Instant to) {
        long[] counts = new long[scope.classes().size()];
        try (Connection connection = dataSource.getConnection()) {
            RollupStore.classCounts(connection, scope.versionIds(), from, to).forEach((k, n) -> counts[k] += n);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count the classes of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
        return counts;
    }

    /**
     * Returns the first hour with predictions and the end of the last such hour, or null when the
     * scope has none.
     */
    public Instant[] dataRange(ModelScope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT min(hour), max(hour) FROM analytics_rollup_all WHERE model_version_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("int8", boxed(scope.versionIds())));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                Timestamp first = rs.getTimestamp(1);
                if (first == null) {
                    return null;
                }
                return new Instant[] {first.toInstant(), rs.getTimestamp(2).toInstant().plus(1, ChronoUnit.HOURS)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the data range of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads a bounded sample of raw predictions of {@code [from, to)}: from each UTC hour of the
     * window the first {@code ceil(limit / hours)} predictions in event-time order that match, so
     * the sample spreads over the whole window at a cost set by {@code limit} and not by the
     * number of stored predictions. Each version is probed on its own ({@code unnest}), because with
     * {@code model_version_id = ANY (...)} the index no longer yields rows in event-time order and
     * every row of the hour would be read and sorted before the limit.
     *
     * @param labelledOnly keep only labelled predictions
     * @param topClass keep only this top class, or null for all
     * @return the effective probability inputs of each sampled prediction
     */
    public List<RawPrediction> sample(ModelScope scope, Instant from, Instant to, Integer topClass,
                                      boolean labelledOnly, int limit) {
        long hours = Math.max(1, ChronoUnit.HOURS.between(from.truncatedTo(ChronoUnit.HOURS), to.minusNanos(1)
                .truncatedTo(ChronoUnit.HOURS)) + 1);
        long perHour = Math.max(1, (limit + hours - 1) / hours);
        String sql = "SELECT s.logits, s.probabilities, s.temperature, s.label, s.confidence "
                + "FROM generate_series(date_trunc('hour', ?::timestamptz), ?::timestamptz, interval '1 hour') AS h(start) "
                + "CROSS JOIN unnest(?::bigint[]) AS v(id) "
                + "CROSS JOIN LATERAL (SELECT p.logits, p.probabilities, p.temperature, p.label, p.confidence "
                + "FROM prediction p WHERE p.model_version_id = v.id "
                + "AND p.event_time >= greatest(h.start, ?) AND p.event_time < least(h.start + interval '1 hour', ?) "
                + "AND p.confidence IS NOT NULL " + (labelledOnly ? "AND p.label IS NOT NULL " : "")
                + "AND (?::smallint IS NULL OR p.top_class = ?) ORDER BY p.event_time LIMIT ?) AS s LIMIT ?";
        List<RawPrediction> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            Timestamp fromTs = Timestamp.from(from);
            Timestamp toTs = Timestamp.from(to);
            query.setTimestamp(1, fromTs);
            query.setTimestamp(2, Timestamp.from(to.minusNanos(1000)));
            query.setArray(3, connection.createArrayOf("int8", boxed(scope.versionIds())));
            query.setTimestamp(4, fromTs);
            query.setTimestamp(5, toTs);
            if (topClass == null) {
                query.setNull(6, java.sql.Types.SMALLINT);
                query.setNull(7, java.sql.Types.SMALLINT);
            } else {
                query.setShort(6, topClass.shortValue());
                query.setShort(7, topClass.shortValue());
            }
            query.setLong(8, perHour);
            query.setInt(9, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    int label = rs.getInt(4);
                    Integer labelOrNull = rs.wasNull() ? null : label;
                    rows.add(new RawPrediction(SqlArrays.doubles(rs.getArray(1)), SqlArrays.doubles(rs.getArray(2)),
                            rs.getDouble(3), labelOrNull, rs.getDouble(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to sample predictions of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Reads a bounded sample of top-label confidences of {@code [from, to)}, spread over the hours of
     * the window as {@link #sample} does, without reading the vectors.
     */
    public double[] sampleConfidences(ModelScope scope, Instant from, Instant to, int limit) {
        long hours = Math.max(1, ChronoUnit.HOURS.between(from.truncatedTo(ChronoUnit.HOURS), to.minusNanos(1)
                .truncatedTo(ChronoUnit.HOURS)) + 1);
        long perHour = Math.max(1, (limit + hours - 1) / hours);
        String sql = "SELECT s.confidence FROM generate_series(date_trunc('hour', ?::timestamptz), ?::timestamptz, "
                + "interval '1 hour') AS h(start) CROSS JOIN unnest(?::bigint[]) AS v(id) "
                + "CROSS JOIN LATERAL (SELECT p.confidence FROM prediction p "
                + "WHERE p.model_version_id = v.id AND p.event_time >= greatest(h.start, ?) "
                + "AND p.event_time < least(h.start + interval '1 hour', ?) AND p.confidence IS NOT NULL "
                + "ORDER BY p.event_time LIMIT ?) AS s LIMIT ?";
        List<Double> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setTimestamp(1, Timestamp.from(from));
            query.setTimestamp(2, Timestamp.from(to.minusNanos(1000)));
            query.setArray(3, connection.createArrayOf("int8", boxed(scope.versionIds())));
            query.setTimestamp(4, Timestamp.from(from));
            query.setTimestamp(5, Timestamp.from(to));
            query.setLong(6, perHour);
            query.setInt(7, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getDouble(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to sample confidences of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Returns the stored baseline of a version as {from, to, updatedBy, updatedAt}, or null. */
    Object[] storedBaseline(long versionId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT baseline_from, baseline_to, updated_by, "
                     + "updated_at FROM analytics_baseline WHERE model_version_id = ?")) {
            query.setLong(1, versionId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Object[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getTimestamp(4).toInstant()};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the baseline of model version " + versionId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Inserts or replaces the baseline of a version. */
    void storeBaseline(long versionId, Instant from, Instant to, String user) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO analytics_baseline "
                     + "(model_version_id, baseline_from, baseline_to, updated_by) VALUES (?, ?, ?, ?) "
                     + "ON CONFLICT (model_version_id) DO UPDATE SET baseline_from = EXCLUDED.baseline_from, "
                     + "baseline_to = EXCLUDED.baseline_to, updated_by = EXCLUDED.updated_by, updated_at = now()")) {
            upsert.setLong(1, versionId);
            upsert.setTimestamp(2, Timestamp.from(from));
            upsert.setTimestamp(3, Timestamp.from(to));
            upsert.setString(4, user);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to store the baseline of model version " + versionId + ": "
                    + e.getMessage(), e);
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] result = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** One sampled prediction: the inputs of its effective vector, its label (or null) and confidence. */
    public record RawPrediction(double[] logits, double[] probabilities, double temperature, Integer label,
                                double confidence) {
    }
}
