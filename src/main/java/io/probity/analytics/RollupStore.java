package io.probity.analytics;

import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@code analytics_rollup}, always on the caller's connection so that rollups
 * change in the same transaction as the predictions and labels they summarise.
 *
 * <p>Ingestion and label changes append their sums to {@code analytics_rollup_pending}
 * ({@link #appendPending}), and {@link #fold} later adds them to {@code analytics_rollup}. The fold
 * and the rebuild, the only writers of {@code analytics_rollup}, add to stored rows under a table
 * lock that keeps other writers out, so no update is lost. Reads go through the view
 * {@code analytics_rollup_all} and sum the rows of each key. The eight 60-bin arrays of a row are
 * stored packed in one {@code bytea} column ({@link RollupBins}).
 */
public final class RollupStore {

    /** The scalar columns of {@code prediction} that rollups are built from, for {@link #addRow}. */
    static final String PREDICTION_COLUMNS = "p.model_version_id, p.event_time, p.top_class, p.verdict, "
            + "p.confidence, p.margin, p.entropy, p.sum_squares, p.label, p.label_probability";

    /** The stored columns, in the order in which {@link #write} binds them. */
    private static final String COLUMNS = "model_version_id, hour, top_class, predictions, audit_failed, "
            + "confidence_sum, bins, brier_sum, nll_sum";

    private static final String INSERT_SQL = "INSERT INTO analytics_rollup (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Overwrites the sums of one stored row. The parameters are bound as for {@link #INSERT_SQL}. */
    private static final String REPLACE_SQL = "UPDATE analytics_rollup r SET predictions = v.predictions, "
            + "audit_failed = v.audit_failed, confidence_sum = v.confidence_sum, bins = v.bins, "
            + "brier_sum = v.brier_sum, nll_sum = v.nll_sum "
            + "FROM (VALUES (?::bigint, ?::timestamptz, ?::smallint, ?::bigint, ?::bigint, ?::float8, ?::bytea, "
            + "?::float8, ?::float8)) AS v (" + COLUMNS + ") "
            + "WHERE r.model_version_id = v.model_version_id AND r.hour = v.hour AND r.top_class = v.top_class";

    private static final String PENDING_SQL = "INSERT INTO analytics_rollup_pending (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private RollupStore() {
    }

    /** One stored or computed rollup row. */
    public record Row(RollupKey key, RollupSums sums) {
    }

    /**
     * Returns the columns that {@link #readRow} reads, from the table or view with the given alias.
     */
    public static String selectColumns(String alias) {
        return COLUMNS.replaceAll("(\\w+)", alias + ".$1");
    }

    /**
     * Adds the sums of every per-class key to its stored row, and their total per hour to the hour's
     * {@link RollupKey#ALL_CLASSES} row, creating missing rows. The caller must hold a lock on
     * {@code analytics_rollup} that keeps other writers out, as the rebuild does.
     */
    public static void addLocked(Connection connection, Map<RollupKey, RollupSums> sums) throws SQLException {
        addToStored(connection, withTotals(sums));
    }

    /**
     * Appends the sums of every per-class key, and their hourly totals, to
     * {@code analytics_rollup_pending}, for {@link #fold} to add to the rollups later. Plain inserts
     * take no row lock that a concurrent batch would wait for.
     */
    public static void appendPending(Connection connection, Map<RollupKey, RollupSums> sums) throws SQLException {
        write(connection, PENDING_SQL, withTotals(sums));
    }

    /**
     * Moves up to {@code limit} pending rows into {@code analytics_rollup} in the caller's
     * transaction: deletes the oldest committed ones, sums them per key and adds each sum to its
     * stored row once.
     *
     * <p>The transaction first locks {@code analytics_rollup} in SHARE ROW EXCLUSIVE mode, which
     * conflicts with any other writer of it (a concurrent fold, the rebuild, any insert or update)
     * but not with readers. The stored rows it reads therefore cannot change before it writes them
     * back, and no row locks (which write WAL for every row) are needed. The rebuild takes the
     * same lock on both tables in the same order, rollups first.
     *
     * @return the number of pending rows moved
     */
    public static int fold(Connection connection, int limit) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "LOCK TABLE analytics_rollup IN SHARE ROW EXCLUSIVE MODE")) {
            lock.execute();
        }

        Map<RollupKey, RollupSums> sums = new TreeMap<>();
        int moved = 0;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM analytics_rollup_pending WHERE id IN "
                + "(SELECT id FROM analytics_rollup_pending ORDER BY id LIMIT ?) RETURNING " + COLUMNS)) {
            delete.unwrap(PGStatement.class).setPrepareThreshold(-1);
            delete.setInt(1, limit);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs, 1);
                    sums.computeIfAbsent(row.key(), k -> new RollupSums()).merge(row.sums());
                    moved++;
                }
            }
        }
        addToStored(connection, sums);
        return moved;
    }

    /**
     * Adds the sums to {@code analytics_rollup}: the stored rows of the keys are read, summed with the
     * new values here and written back whole, and keys without a row are inserted. The caller holds a
     * lock that keeps other writers out, so no other transaction writes these rows in between.
     */
    private static void addToStored(Connection connection, Map<RollupKey, RollupSums> sums) throws SQLException {
        if (sums.isEmpty()) {
            return;
        }
        int n = sums.size();
        long[] versions = new long[n];
        // Hours go as ISO-8601 text in UTC: an array of java.sql.Timestamp is sent as local times, which
        // are ambiguous in the hour that a daylight-saving change repeats.
        String[] hours = new String[n];
        short[] classes = new short[n];
        int k = 0;
        for (RollupKey key : sums.keySet()) {
            versions[k] = key.modelVersionId();
            hours[k] = key.hour().toString();
            classes[k] = (short) key.topClass();
            k++;
        }

        Map<RollupKey, RollupSums> updated = new TreeMap<>();
        // One primary-key lookup per key, whatever number of rows the planner expects from the arrays.
        try (PreparedStatement select = connection.prepareStatement("SELECT " + selectColumns("r")
                + " FROM unnest(?::bigint[], ?::timestamptz[], ?::smallint[]) AS k (v, h, c) "
                + "CROSS JOIN LATERAL (SELECT * FROM analytics_rollup r WHERE r.model_version_id = k.v "
                + "AND r.hour = k.h AND r.top_class = k.c) r")) {
            select.unwrap(PGStatement.class).setPrepareThreshold(-1);
            PGConnection pg = connection.unwrap(PGConnection.class);
            select.setArray(1, pg.createArrayOf("int8", versions));
            select.setArray(2, connection.createArrayOf("text", hours));
            select.setArray(3, pg.createArrayOf("int2", classes));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Row stored = readRow(rs, 1);
                    stored.sums().merge(sums.get(stored.key()));
                    updated.put(stored.key(), stored.sums());
                }
            }
        }

        Map<RollupKey, RollupSums> inserted = new TreeMap<>(sums);
        inserted.keySet().removeAll(updated.keySet());
        write(connection, REPLACE_SQL, updated);
        write(connection, INSERT_SQL, inserted);
    }

    private static Map<RollupKey, RollupSums> withTotals(Map<RollupKey, RollupSums> sums) {
        Map<RollupKey, RollupSums> rows = new TreeMap<>(sums);
        for (Map.Entry<RollupKey, RollupSums> entry : sums.entrySet()) {
            rows.computeIfAbsent(entry.getKey().allClasses(), k -> new RollupSums()).merge(entry.getValue());
        }
        return rows;
    }

    /** Runs {@code sql}, a statement with the 9 stored columns as parameters, once per row, in key order. */
    private static void write(Connection connection, String sql, Map<RollupKey, RollupSums> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Map.Entry<RollupKey, RollupSums> entry : rows.entrySet()) {
                RollupKey key = entry.getKey();
                RollupSums s = entry.getValue();
                insert.setLong(1, key.modelVersionId());
                insert.setTimestamp(2, Timestamp.from(key.hour()));
                insert.setShort(3, (short) key.topClass());
                insert.setLong(4, s.predictions);
                insert.setLong(5, s.auditFailed);
                insert.setDouble(6, s.confidenceSum);
                insert.setBytes(7, RollupBins.pack(s));
                insert.setDouble(8, s.brierSum);
                insert.setDouble(9, s.nllSum);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The values of one prediction that rollups sum, exactly as stored in its {@code prediction}
     * row; NaN and -1 stand for SQL NULL.
     */
    public record PredictionSample(long modelVersionId, Instant eventTime, int topClass, boolean auditFailed,
                                   double confidence, double margin, double normalisedEntropy, double sumSquares,
                                   int label, double labelProbability) {
    }

    /**
     * Adds predictions that the caller has just inserted, from the values it inserted, so the
     * ingestion path does not read its rows back. The sums go to the pending table.
     */
    public static void addPredictions(Connection connection, List<PredictionSample> samples) throws SQLException {
        Map<RollupKey, RollupSums> sums = new TreeMap<>();
        for (PredictionSample sample : samples) {
            int topClass = sample.topClass() < 0 ? RollupKey.NO_VECTOR : sample.topClass();
            RollupSums target = sums.computeIfAbsent(RollupKey.of(sample.modelVersionId(), sample.eventTime(), topClass),
                    k -> new RollupSums());
            target.addPrediction(sample.auditFailed(), sample.confidence(), sample.margin(), sample.normalisedEntropy());
            if (sample.label() >= 0 && !Double.isNaN(sample.confidence())) {
                target.addLabel(1, sample.confidence(), sample.label() == topClass, sample.sumSquares(),
                        sample.labelProbability());
            }
        }
        appendPending(connection, sums);
    }

    /**
     * Moves the labelled sums of the predictions with the given primary keys: {@code sign = -1}
     * removes their current labels, {@code sign = 1} adds them. The label path calls it with -1
     * before its {@code UPDATE} and with 1 after it, in one transaction that holds the rows' locks.
     * The differences go to the pending table, like ingestion's sums.
     */
    public static void moveLabels(Connection connection, long[] ids, int sign) throws SQLException {
        moveLabels(connection, ids, null, sign);
    }

    /**
     * Moves labelled sums as {@link #moveLabels(Connection, long[], int)} does, for predictions whose
     * event times (ISO-8601 text, one per id) are known, so that only their partitions are read.
     */
    public static void moveLabels(Connection connection, long[] ids, String[] eventTimes, int sign)
            throws SQLException {
        appendPending(connection, aggregate(connection, ids, eventTimes, sign));
    }

    private static Map<RollupKey, RollupSums> aggregate(Connection connection, long[] ids, String[] eventTimes,
                                                        int sign) throws SQLException {
        Map<RollupKey, RollupSums> sums = new TreeMap<>();
        if (ids.length == 0) {
            return sums;
        }
        String sql = "SELECT " + PREDICTION_COLUMNS + " FROM prediction p WHERE p.id = ANY (?)"
                + (eventTimes == null ? "" : " AND p.event_time = ANY (?::timestamptz[])")
                + " AND p.label IS NOT NULL AND p.confidence IS NOT NULL";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, connection.createArrayOf("int8", box(ids)));
            if (eventTimes != null) {
                query.setArray(2, connection.createArrayOf("text", eventTimes));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    addRow(rs, sums, false, sign);
                }
            }
        }
        return sums;
    }

    /**
     * Adds one {@code prediction} row, read with {@link #PREDICTION_COLUMNS} first, to the sums of
     * its key: the prediction itself when {@code prediction} is true, and its label (if any) with
     * {@code sign}.
     */
    static void addRow(ResultSet rs, Map<RollupKey, RollupSums> sums, boolean prediction, int sign)
            throws SQLException {
        long version = rs.getLong(1);
        Instant eventTime = rs.getTimestamp(2).toInstant();
        int topClass = rs.getInt(3);
        if (rs.wasNull()) {
            topClass = RollupKey.NO_VECTOR;
        }
        double confidence = nullableDouble(rs, 5);
        RollupSums target = sums.computeIfAbsent(RollupKey.of(version, eventTime, topClass), k -> new RollupSums());
        if (prediction) {
            target.addPrediction("fail".equals(rs.getString(4)), confidence, nullableDouble(rs, 6),
                    nullableDouble(rs, 7));
        }
        int label = rs.getInt(9);
        boolean labelled = !rs.wasNull();
        if (labelled && !Double.isNaN(confidence)) {
            target.addLabel(sign, confidence, label == topClass, rs.getDouble(8), rs.getDouble(10));
        }
    }

    /**
     * Loads the rollup rows of the given versions whose hour starts in {@code [fromHour, toHour)},
     * either bound null for none, of one top class: a class index, {@link RollupKey#ALL_CLASSES}
     * for the hourly totals, or null for every per-class row.
     */
    static List<Row> load(Connection connection, long[] versionIds, Instant fromHour, Instant toHour,
                          Integer topClass) throws SQLException {
        // Only the present bounds go into the SQL, so the planner can use the primary key's range.
        String sql = "SELECT " + COLUMNS + " FROM analytics_rollup_all WHERE model_version_id = ANY (?)"
                + (fromHour == null ? "" : " AND hour >= ?") + (toHour == null ? "" : " AND hour < ?")
                + (topClass == null ? " AND top_class <> " + RollupKey.ALL_CLASSES : " AND top_class = ?");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            // Binary transfer from the first execution, so the bytea columns arrive without hex encoding.
            query.unwrap(PGStatement.class).setPrepareThreshold(-1);
            int parameter = 1;
            query.setArray(parameter++, connection.createArrayOf("int8", box(versionIds)));
            if (fromHour != null) {
                query.setTimestamp(parameter++, Timestamp.from(fromHour));
            }
            if (toHour != null) {
                query.setTimestamp(parameter++, Timestamp.from(toHour));
            }
            if (topClass != null) {
                query.setShort(parameter, topClass.shortValue());
            }
            // Pending rows may share a key with a rollup row or with each other, so rows are summed per key.
            Map<RollupKey, RollupSums> byKey = new TreeMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs, 1);
                    RollupSums existing = byKey.putIfAbsent(row.key(), row.sums());
                    if (existing != null) {
                        existing.merge(row.sums());
                    }
                }
            }
            byKey.forEach((key, sums) -> rows.add(new Row(key, sums)));
        }
        return rows;
    }

    /**
     * Aggregates raw {@code prediction} rows with event time in {@code [from, to)} of the given
     * versions into rollup rows, for the parts of a window that do not fill whole hours. The
     * {@code topClass} argument selects rows as in {@link #load}.
     */
    static List<Row> aggregateRaw(Connection connection, long[] versionIds, Instant from, Instant to,
                                  Integer topClass) throws SQLException {
        boolean oneClass = topClass != null && topClass != RollupKey.ALL_CLASSES;
        String sql = "SELECT " + PREDICTION_COLUMNS + " FROM prediction p WHERE p.model_version_id = ANY (?) "
                + "AND p.event_time >= ? AND p.event_time < ?" + (oneClass ? " AND coalesce(p.top_class, -1) = ?" : "");
        Map<RollupKey, RollupSums> sums = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, connection.createArrayOf("int8", box(versionIds)));
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            if (oneClass) {
                query.setShort(4, topClass.shortValue());
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    addRow(rs, sums, true, 1);
                }
            }
        }
        List<Row> rows = new ArrayList<>(sums.size());
        if (topClass != null && topClass == RollupKey.ALL_CLASSES) {
            Map<RollupKey, RollupSums> totals = new TreeMap<>();
            sums.forEach((key, value) -> totals.computeIfAbsent(key.allClasses(), k -> new RollupSums()).merge(value));
            totals.forEach((key, value) -> rows.add(new Row(key, value)));
        } else {
            sums.forEach((key, value) -> rows.add(new Row(key, value)));
        }
        return rows;
    }

    /**
     * Counts the predictions with a finite vector per top class in {@code [from, to)}, from the
     * per-class rollups of whole hours and the raw rows of partial hours. Either bound may be null.
     */
    public static Map<Integer, Long> classCounts(Connection connection, long[] versionIds, Instant from, Instant to)
            throws SQLException {
        Map<Integer, Long> counts = new TreeMap<>();
        Instant fullFrom = from == null ? null : ceilHour(from);
        Instant fullTo = to == null ? null : to.truncatedTo(ChronoUnit.HOURS);
        List<Instant[]> partial = new ArrayList<>();
        if (fullFrom != null && fullTo != null && !fullFrom.isBefore(fullTo)) {
            partial.add(new Instant[] {from, to});
        } else {
            String sql = "SELECT top_class, sum(predictions) FROM analytics_rollup_all WHERE model_version_id = ANY (?) "
                    + "AND top_class >= 0" + (fullFrom == null ? "" : " AND hour >= ?")
                    + (fullTo == null ? "" : " AND hour < ?") + " GROUP BY top_class";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                int parameter = 1;
                query.setArray(parameter++, connection.createArrayOf("int8", box(versionIds)));
                if (fullFrom != null) {
                    query.setTimestamp(parameter++, Timestamp.from(fullFrom));
                }
                if (fullTo != null) {
                    query.setTimestamp(parameter, Timestamp.from(fullTo));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getInt(1), rs.getLong(2), Long::sum);
                    }
                }
            }
            if (from != null && from.isBefore(fullFrom)) {
                partial.add(new Instant[] {from, fullFrom});
            }
            if (to != null && fullTo.isBefore(to)) {
                partial.add(new Instant[] {fullTo, to});
            }
        }
        for (Instant[] range : partial) {
            try (PreparedStatement query = connection.prepareStatement("SELECT top_class, count(*) FROM prediction "
                    + "WHERE model_version_id = ANY (?) AND event_time >= ? AND event_time < ? "
                    + "AND top_class IS NOT NULL AND confidence IS NOT NULL GROUP BY top_class")) {
                query.setArray(1, connection.createArrayOf("int8", box(versionIds)));
                query.setTimestamp(2, Timestamp.from(range[0]));
                query.setTimestamp(3, Timestamp.from(range[1]));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(rs.getInt(1), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    /**
     * Loads the rows of a window {@code [from, to)}: stored rollups for the whole hours inside it and
     * raw predictions for the partial hours at either end, so the result equals aggregating every raw
     * row of the window. Either bound may be null for none. The {@code topClass} argument selects
     * rows as in {@link #load}: {@link RollupKey#ALL_CLASSES} reads one total row per hour.
     *
     * <p>NOTE: the partial hours read raw rows, so a window that does not start and end on whole
     * hours costs more as the hourly volume grows (at 10 M predictions in 30 days, about 14,000
     * rows per hour, the p95 went from 19 ms to 49 ms; see BENCHMARKS.md).
     */
    public static List<Row> window(Connection connection, long[] versionIds, Instant from, Instant to,
                                   Integer topClass) throws SQLException {
        Instant fullFrom = from == null ? null : ceilHour(from);
        Instant fullTo = to == null ? null : to.truncatedTo(ChronoUnit.HOURS);
        if (fullFrom != null && fullTo != null && !fullFrom.isBefore(fullTo)) {
            // The window lies inside one hour or spans two partial hours.
            return aggregateRaw(connection, versionIds, from, to, topClass);
        }
        List<Row> rows = new ArrayList<>(load(connection, versionIds, fullFrom, fullTo, topClass));
        if (from != null && from.isBefore(fullFrom)) {
            rows.addAll(aggregateRaw(connection, versionIds, from, fullFrom, topClass));
        }
        if (to != null && fullTo.isBefore(to)) {
            rows.addAll(aggregateRaw(connection, versionIds, fullTo, to, topClass));
        }
        return rows;
    }

    private static Instant ceilHour(Instant instant) {
        Instant floor = instant.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.HOURS);
    }

    /**
     * Reads one rollup row whose columns, as listed by {@link #selectColumns}, start at column
     * {@code first}. Set the statement's prepare threshold to -1 so that {@code bins} arrives in
     * binary rather than as hex text.
     */
    public static Row readRow(ResultSet rs, int first) throws SQLException {
        RollupKey key = new RollupKey(rs.getLong(first), rs.getTimestamp(first + 1).toInstant(),
                rs.getShort(first + 2));
        RollupSums sums = new RollupSums();
        sums.predictions = rs.getLong(first + 3);
        sums.auditFailed = rs.getLong(first + 4);
        sums.confidenceSum = rs.getDouble(first + 5);
        RollupBins.unpack(rs.getBytes(first + 6), sums);
        sums.brierSum = rs.getDouble(first + 7);
        sums.nllSum = rs.getDouble(first + 8);
        return new Row(key, sums);
    }

    private static double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : value;
    }

    private static Long[] box(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
