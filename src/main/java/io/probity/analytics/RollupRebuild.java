package io.probity.analytics;

import io.agroal.api.AgroalDataSource;
import io.probity.retention.PredictionPartitions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the rollups of a model version from its raw predictions. At start-up it builds them for
 * every version that has predictions but no rollups, which is the case for data stored before the
 * rollup table existed; bulk loads that bypass the ingestion path call {@link #rebuild} too.
 */
@ApplicationScoped
public class RollupRebuild {

    private static final Logger LOG = Logger.getLogger(RollupRebuild.class);
    private static final int FETCH_SIZE = 10_000;

    @Inject
    AgroalDataSource dataSource;

    void onStart(@Observes StartupEvent event) {
        List<Long> missing = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT v.id FROM model_version v WHERE EXISTS (SELECT 1 FROM prediction p "
                             + "WHERE p.model_version_id = v.id) AND NOT EXISTS (SELECT 1 FROM analytics_rollup_all r "
                             + "WHERE r.model_version_id = v.id)");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                missing.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            LOG.errorf(e, "Failed to look for model versions without rollups; analytics may miss older data");
            return;
        }
        for (long versionId : missing) {
            rebuild(versionId);
        }
    }

    /**
     * Replaces the rollups of one model version with sums over all of its stored predictions. Rollup
     * hours before the oldest partition of {@code prediction} are kept: retention dropped their rows.
     *
     * <p>The transaction locks {@code analytics_rollup} and its pending table against writes (SHARE ROW
     * EXCLUSIVE) before it reads. An ingestion or label transaction therefore either committed before
     * the rebuild read its rows, or waits and adds its sums after the rebuild commits, so none is
     * counted twice or lost.
     *
     * @return the number of rollup rows written
     */
    public int rebuild(long modelVersionId) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "LOCK TABLE analytics_rollup, analytics_rollup_pending IN SHARE ROW EXCLUSIVE MODE");
                     PreparedStatement delete = connection.prepareStatement(
                             "DELETE FROM analytics_rollup WHERE model_version_id = ? "
                                     + "AND hour >= coalesce(?::timestamptz, '-infinity')");
                     PreparedStatement deletePending = connection.prepareStatement(
                             "DELETE FROM analytics_rollup_pending WHERE model_version_id = ? "
                                     + "AND hour >= coalesce(?::timestamptz, '-infinity')")) {
                    lock.execute();
                    // Hours before the oldest partition were dropped by retention: their rollups
                    // are all that is left of them, so they are kept.
                    Instant retainedFrom = PredictionPartitions.oldestPartitionStart(connection);
                    for (PreparedStatement statement : List.of(delete, deletePending)) {
                        statement.setLong(1, modelVersionId);
                        statement.setTimestamp(2, retainedFrom == null ? null : Timestamp.from(retainedFrom));
                        statement.executeUpdate();
                    }
                }
                Map<RollupKey, RollupSums> sums = new TreeMap<>();
                long predictions = 0;
                try (PreparedStatement query = connection.prepareStatement("SELECT " + RollupStore.PREDICTION_COLUMNS
                        + " FROM prediction p WHERE p.model_version_id = ?")) {
                    query.setLong(1, modelVersionId);
                    query.setFetchSize(FETCH_SIZE);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            RollupStore.addRow(rs, sums, true, 1);
                            predictions++;
                        }
                    }
                }
                RollupStore.addLocked(connection, sums);
                connection.commit();
                LOG.infof("Rebuilt %d rollup rows of model version %d from %d predictions in %d ms", sums.size(),
                        modelVersionId, predictions, (System.nanoTime() - started) / 1_000_000);
                return sums.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to rebuild the rollups of model version " + modelVersionId
                    + ": " + e.getMessage(), e);
        }
    }
}
