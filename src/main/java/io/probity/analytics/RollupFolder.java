package io.probity.analytics;

import io.agroal.api.AgroalDataSource;
import io.probity.ops.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves the rollup sums that ingestion appends to {@code analytics_rollup_pending} into
 * {@code analytics_rollup} every {@code probity.analytics.fold-interval}, in transactions of at
 * most {@value #ROWS_PER_FOLD} pending rows, until none is left. Readers sum both tables, so the
 * figures are the same before and after a fold; folding only keeps the pending table small.
 *
 * <p>An advisory lock lets one instance fold at a time, so two instances do not contend for the
 * same rollup rows. A fold that fails rolls back and leaves its rows for the next one.
 */
@ApplicationScoped
public class RollupFolder {

    private static final Logger LOG = Logger.getLogger(RollupFolder.class);
    static final int ROWS_PER_FOLD = 5_000;
    /** Key of the advisory lock held while folding. */
    private static final long FOLD_LOCK = 0x7072_6f62_6974_7932L;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "probity.analytics.fold-interval", defaultValue = "PT1S")
    Duration interval;

    private volatile ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        executor = DaemonThreads.scheduler("probity-rollup-fold");
        executor.scheduleWithFixedDelay(this::foldAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Folds every pending row; returns how many rows were moved. Failures are logged. */
    public int foldAll() {
        int total = 0;
        try {
            int moved;
            do {
                moved = foldOnce();
                total += moved;
            } while (moved == ROWS_PER_FOLD);
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "Failed to fold pending rollup rows into analytics_rollup; the next fold retries them");
        }
        return total;
    }

    private int foldOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement lock = connection.createStatement();
                     ResultSet rs = lock.executeQuery("SELECT pg_try_advisory_xact_lock(" + FOLD_LOCK + ")")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.rollback();
                        return 0;
                    }
                }
                int moved = RollupStore.fold(connection, ROWS_PER_FOLD);
                connection.commit();
                if (moved > 0) {
                    LOG.debugf("Folded %d pending rollup rows into analytics_rollup", moved);
                }
                return moved;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
