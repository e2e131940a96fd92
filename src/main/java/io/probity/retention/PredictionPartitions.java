package io.probity.retention;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Creates and drops the time partitions of the {@code prediction} table (see
 * {@code V30__prediction_partitions.sql}).
 *
 * <ul>
 *   <li>Ingestion calls {@link #ensureCovered} before it writes a batch: event times outside every
 *       partition get one, so backfills of old traffic need no preparation. The known ranges are
 *       cached, so a batch whose times are all covered costs one map lookup per row.</li>
 *   <li>{@link #createAhead} creates the partitions of the current interval and the next
 *       {@code probity.partitions.ahead} ones, so live traffic does not wait for DDL.</li>
 *   <li>{@link #dropExpired} drops every partition whose range ends at or before now minus
 *       {@code probity.retention}. Open review items of its predictions become {@code expired}
 *       (with a history row), their idempotency keys are deleted, and {@code analytics_rollup} keeps
 *       their hourly aggregates, so calibration and drift figures of old windows stay available.</li>
 * </ul>
 *
 * <p>A new partition spans one {@link PartitionInterval} unless a neighbouring partition created
 * with another interval overlaps it; then it is cut to the gap between them.
 */
@ApplicationScoped
public class PredictionPartitions {

    private static final Logger LOG = Logger.getLogger(PredictionPartitions.class);
    /** SQLSTATE of "partition would overlap". */
    private static final String INVALID_OBJECT_DEFINITION = "42P17";
    /** Key of the advisory lock that lets one instance at a time drop partitions. */
    private static final long DROP_LOCK = 0x7072_6f62_6974_7931L;

    /** One partition: its table name and its range of event times {@code [from, to)}. */
    public record Partition(String name, Instant from, Instant to) {
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "probity.partitions.interval", defaultValue = "month")
    String intervalSetting;

    @ConfigProperty(name = "probity.partitions.ahead", defaultValue = "2")
    int ahead;

    @ConfigProperty(name = "probity.retention")
    Optional<String> retentionSetting;

    private PartitionInterval interval;
    private Period retention;
    private final ConcurrentSkipListMap<Instant, Partition> byStart = new ConcurrentSkipListMap<>();

    @PostConstruct
    void readSettings() {
        interval = PartitionInterval.parse(intervalSetting);
        if (ahead < 0) {
            throw new IllegalArgumentException("probity.partitions.ahead is " + ahead + "; use 0 or more");
        }
        retention = retentionSetting.filter(text -> !text.isBlank()).map(PredictionPartitions::parseRetention)
                .orElse(null);
    }

    static Period parseRetention(String text) {
        Period period;
        try {
            period = Period.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("probity.retention is \"" + text + "\", which is not an ISO-8601 "
                    + "period; use for example P90D (90 days) or P12M (12 months), or leave it unset to keep "
                    + "every prediction");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("probity.retention is \"" + text + "\"; use a positive period "
                    + "such as P90D, or leave it unset to keep every prediction");
        }
        return period;
    }

    public PartitionInterval interval() {
        return interval;
    }

    /** Returns the retention period, or empty when predictions are kept forever. */
    public Optional<Period> retention() {
        return Optional.ofNullable(retention);
    }

    /**
     * Returns the oldest event time that ingestion still accepts at {@code now}: {@code now} minus
     * the retention period (in UTC calendar terms), or null without retention.
     */
    public Instant retentionCutoff(Instant now) {
        return retention == null ? null : now.atOffset(ZoneOffset.UTC).minus(retention).toInstant();
    }

    /** Creates partitions for the event times that no partition covers yet. */
    public void ensureCovered(Collection<Instant> eventTimes) {
        List<Instant> missing = null;
        for (Instant eventTime : eventTimes) {
            if (!covered(eventTime)) {
                if (missing == null) {
                    missing = new ArrayList<>();
                }
                missing.add(eventTime);
            }
        }
        if (missing != null) {
            create(missing);
        }
    }

    /** Forgets the cached ranges, after a write found no partition for a row. */
    public void invalidate() {
        byStart.clear();
    }

    /** Creates the partitions of the interval that contains {@code now} and of the next {@code ahead} intervals. */
    public void createAhead(Instant now) {
        List<Instant> starts = new ArrayList<>();
        Instant start = interval.start(now);
        for (int i = 0; i <= ahead; i++) {
            starts.add(start);
            start = interval.next(start);
        }
        create(starts);
    }

    /**
     * Drops the partitions whose range ends at or before {@code now} minus the retention period.
     *
     * @return the partitions dropped; empty without retention
     */
    public List<Partition> dropExpired(Instant now) {
        Instant cutoff = retentionCutoff(now);
        return cutoff == null ? List.of() : dropBefore(cutoff);
    }

    /** Drops every partition whose range ends at or before {@code cutoff}, oldest first. */
    public List<Partition> dropBefore(Instant cutoff) {
        List<Partition> dropped = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (Partition partition : list(connection)) {
                if (!partition.to().isAfter(cutoff) && drop(connection, partition, cutoff)) {
                    dropped.add(partition);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to drop prediction partitions before " + cutoff + ": "
                    + e.getMessage(), e);
        } finally {
            invalidate();
        }
        return dropped;
    }

    /** Lists the partitions of {@code prediction} with their ranges, oldest first. */
    public List<Partition> list() {
        try (Connection connection = dataSource.getConnection()) {
            return list(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list prediction partitions: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the start of the oldest partition, or null when there is none. Rollup hours before it
     * hold the aggregates of dropped partitions and have no raw rows left.
     */
    public static Instant oldestPartitionStart(Connection connection) throws SQLException {
        List<Partition> partitions = list(connection);
        return partitions.isEmpty() ? null : partitions.get(0).from();
    }

    static List<Partition> list(Connection connection) throws SQLException {
        // The bounds are cast back to timestamptz in the same session that printed them, so the
        // session's time zone cannot shift them.
        String sql = "SELECT c.relname, b[1]::timestamptz, b[2]::timestamptz FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid "
                + "CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), "
                + "'FROM \\(''([^'']*)''\\) TO \\(''([^'']*)''\\)') b "
                + "WHERE i.inhparent = 'prediction'::regclass ORDER BY 2";
        List<Partition> partitions = new ArrayList<>();
        try (Statement query = connection.createStatement(); ResultSet rs = query.executeQuery(sql)) {
            while (rs.next()) {
                partitions.add(new Partition(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()));
            }
        }
        return partitions;
    }

    private boolean covered(Instant eventTime) {
        Map.Entry<Instant, Partition> below = byStart.floorEntry(eventTime);
        return below != null && eventTime.isBefore(below.getValue().to());
    }

    private synchronized void create(List<Instant> eventTimes) {
        try (Connection connection = dataSource.getConnection()) {
            reload(connection);
            for (Instant eventTime : eventTimes) {
                if (!covered(eventTime)) {
                    createFor(connection, eventTime);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to create a prediction partition: " + e.getMessage(), e);
        }
    }

    private void reload(Connection connection) throws SQLException {
        byStart.clear();
        for (Partition partition : list(connection)) {
            byStart.put(partition.from(), partition);
        }
    }

    private void createFor(Connection connection, Instant eventTime) throws SQLException {
        Instant from = interval.start(eventTime);
        Instant to = interval.next(from);
        Map.Entry<Instant, Partition> below = byStart.floorEntry(eventTime);
        if (below != null && below.getValue().to().isAfter(from)) {
            from = below.getValue().to();
        }
        Map.Entry<Instant, Partition> above = byStart.higherEntry(eventTime);
        if (above != null && above.getKey().isBefore(to)) {
            to = above.getKey();
        }
        String name = PartitionInterval.partitionName(from);

        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement ddl = connection.createStatement()) {
            // Creating a partition locks the parent table. A wait of 30 s for running transactions
            // means something is stuck, so the batch fails with the lock timeout instead.
            ddl.execute("SET LOCAL lock_timeout = '30s'");
            ddl.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF prediction FOR VALUES FROM ('"
                    + from + "') TO ('" + to + "')");
            connection.commit();
            LOG.infof("Created prediction partition %s for event times from %s to %s", name, from, to);
        } catch (SQLException e) {
            connection.rollback();
            // Another instance may have created an overlapping partition since the reload.
            if (!INVALID_OBJECT_DEFINITION.equals(e.getSQLState())) {
                throw e;
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        reload(connection);
        if (!covered(eventTime)) {
            throw new IllegalStateException("No partition of prediction covers " + eventTime + " after creating "
                    + name + " for [" + from + ", " + to + ")");
        }
    }

    /** Drops one partition in one transaction; returns false when another instance dropped it first. */
    private boolean drop(Connection connection, Partition partition, Instant cutoff) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '30s'");
            try (ResultSet rs = statement.executeQuery("SELECT pg_advisory_xact_lock(" + DROP_LOCK + "), "
                    + "to_regclass('" + partition.name() + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(2)) {
                    connection.rollback();
                    return false;
                }
            }

            int expired;
            try (PreparedStatement expire = connection.prepareStatement(
                    "WITH pending AS (SELECT r.id, r.state FROM review_item r WHERE r.state IN ('open', 'claimed', "
                            + "'skipped', 'escalated') AND r.prediction_pk IN (SELECT id FROM " + partition.name()
                            + ") FOR UPDATE), "
                            + "expired AS (UPDATE review_item r SET state = 'expired', decided_by = 'retention', "
                            + "decided_at = now(), claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL "
                            + "FROM pending WHERE r.id = pending.id RETURNING r.id, pending.state AS before_state) "
                            + "INSERT INTO review_history (item_id, actor, action, before, after, note) "
                            + "SELECT id, 'retention', 'expire', jsonb_build_object('state', before_state), "
                            + "jsonb_build_object('state', 'expired'), ? FROM expired")) {
                expire.setString(1, "prediction dropped by retention (partition " + partition.name() + ")");
                expired = expire.executeUpdate();
            }

            int keys = statement.executeUpdate("DELETE FROM prediction_key k USING " + partition.name()
                    + " p WHERE k.model = p.model AND k.prediction_id = p.prediction_id");
            statement.execute("DROP TABLE " + partition.name());
            connection.commit();
            LOG.infof("Dropped prediction partition %s (event times from %s to %s, before the retention cutoff %s): "
                    + "%d predictions, %d open review items expired", partition.name(), partition.from(),
                    partition.to(), cutoff, keys, expired);
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
