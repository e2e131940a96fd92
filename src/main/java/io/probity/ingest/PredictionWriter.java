package io.probity.ingest;

import io.agroal.api.AgroalDataSource;
import io.probity.analytics.RollupStore;
import io.probity.audit.Verdict;
import io.probity.db.SqlTimes;
import io.probity.retention.PredictionPartitions;
import io.probity.review.ReviewRouter;
import io.probity.review.RoutingCandidate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores validated predictions with one binary {@code COPY} per request, in one transaction
 * that is committed before the caller responds to the client.
 *
 * <p>The transaction first stores the batch's {@code (model, prediction_id)} keys in
 * {@code prediction_key} (a {@code COPY}, or {@code ON CONFLICT DO NOTHING} when some are already
 * stored). The keys it inserted are the new predictions; the others are reported as duplicates. A
 * concurrent request that sends the same key waits on that row until this transaction ends, then
 * finds it (commit) or inserts it (rollback), so nothing is stored twice and nothing partial is kept.
 * Keys are written in one fixed order, so two batches wait for shared keys in the same order.
 *
 * <p>The batch's rollup sums are appended to the pending table ({@link RollupStore#appendPending}),
 * which takes no lock that a concurrent batch waits for, and a background fold adds them to the
 * rollups. Event times without a partition get one before the transaction starts.
 */
@ApplicationScoped
public class PredictionWriter {

    private static final Logger LOG = Logger.getLogger(PredictionWriter.class);
    private static final String DEADLOCK = "40P01";
    private static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATE of "no partition of relation found for row". */
    private static final String NO_PARTITION = "23514";
    private static final int MAX_ATTEMPTS = 4;
    /** The increment of {@code prediction_id_seq}: each value starts a block of this many ids. */
    static final int ID_BLOCK = 1024;

    static final String COPY_SQL = "COPY prediction (id, model, model_version_id, prediction_id, event_time, logits, "
            + "probabilities, temperature, predicted_class, top_class, confidence, margin, entropy, sum_squares, "
            + "label, label_probability, label_source, labeled_at, verdict, causes, max_abs_diff, attributes, "
            + "ingested_at) FROM STDIN (FORMAT binary)";
    private static final int COPY_FIELDS = 23;
    static final String KEY_COPY_SQL = "COPY prediction_key (model, prediction_id, prediction_pk, event_time) "
            + "FROM STDIN (FORMAT binary)";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReviewRouter reviewRouter;

    @Inject
    PredictionPartitions partitions;

    /**
     * Stores the rows that are not yet stored and returns the ones skipped as duplicates.
     */
    public Set<PredictionKey> store(List<PredictionRow> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        List<Instant> eventTimes = new ArrayList<>(rows.size());
        for (PredictionRow row : rows) {
            eventTimes.add(row.eventTime());
        }
        for (int attempt = 1; ; attempt++) {
            partitions.ensureCovered(eventTimes);
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    long[] ids = allocateIds(connection, rows.size());
                    boolean[] fresh = reserveKeys(connection, rows, ids);
                    Set<PredictionKey> duplicates = new HashSet<>();
                    List<PredictionRow> freshRows = new ArrayList<>(rows.size());
                    long[] freshIds = new long[rows.size()];
                    for (int i = 0; i < rows.size(); i++) {
                        PredictionRow row = rows.get(i);
                        if (fresh[i]) {
                            freshIds[freshRows.size()] = ids[i];
                            freshRows.add(row);
                        } else {
                            duplicates.add(new PredictionKey(row.model(), row.predictionId()));
                        }
                    }

                    if (!freshRows.isEmpty()) {
                        long[] storedIds = Arrays.copyOf(freshIds, freshRows.size());
                        copy(connection, freshRows, storedIds);
                        queueForReview(connection, freshRows, storedIds);
                        RollupStore.addPredictions(connection, rollupSamples(freshRows));
                    }
                    connection.commit();
                    return duplicates;
                } catch (SQLException e) {
                    connection.rollback();
                    if (attempt < MAX_ATTEMPTS && NO_PARTITION.equals(e.getSQLState())) {
                        // Another instance dropped a partition that the cache still listed.
                        LOG.infof("No partition for a row of a batch of %d predictions; refreshing partitions and "
                                + "retrying (attempt %d)", rows.size(), attempt);
                        partitions.invalidate();
                        continue;
                    }
                    if (attempt < MAX_ATTEMPTS && DEADLOCK.equals(e.getSQLState())) {
                        LOG.infof("Deadlock while storing a batch of %d predictions; retrying (attempt %d)",
                                rows.size(), attempt);
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Failed to store " + rows.size() + " predictions: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stores the keys of the rows in {@code prediction_key} and returns, per row, whether its key was
     * new. Rows must have distinct keys.
     *
     * <p>A batch without stored keys, the usual case, takes one binary {@code COPY} inside a
     * savepoint. In the load test it took about a third less PostgreSQL time than
     * {@code INSERT ... ON CONFLICT}, which inserts and checks every row on its own. When the
     * {@code COPY} meets a stored key (a retried request, or a concurrent one with the same key that
     * commits first), the savepoint is rolled back and the keys go in with {@code ON CONFLICT DO
     * NOTHING}, whose returned keys are the new ones. Both write the keys in the order of
     * {@link #keyOrder}.
     */
    private static boolean[] reserveKeys(Connection connection, List<PredictionRow> rows, long[] ids)
            throws SQLException {
        int[] order = keyOrder(rows);
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(KEY_COPY_SQL, encodeKeys(rows, ids, order).finish());
            connection.releaseSavepoint(beforeCopy);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeCopy);
            return insertNewKeys(connection, rows, ids, order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean[] fresh = new boolean[rows.size()];
        Arrays.fill(fresh, true);
        return fresh;
    }

    /**
     * Returns the row indexes in the order in which every writer stores keys: by the hash of the key,
     * then by model and prediction id when hashes are equal. Any fixed total order keeps concurrent
     * batches from waiting on each other's keys in a cycle. Sorting packed hashes as primitives
     * avoids comparing the strings, which took 4 % of the server's CPU samples in the load test.
     */
    static int[] keyOrder(List<PredictionRow> rows) {
        int n = rows.size();
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            // The high 32 bits order by hash (String caches it); the low 32 bits carry the row index.
            packed[i] = ((long) keyHash(rows.get(i)) << 32) | i;
        }
        Arrays.sort(packed);

        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = (int) packed[k];
        }
        // Rows with equal hashes (rare) are put in key order, so the order does not depend on the batch.
        Comparator<Integer> byKey = Comparator.comparing((Integer i) -> rows.get(i).model())
                .thenComparing(i -> rows.get(i).predictionId());
        for (int start = 0; start < n; ) {
            int end = start + 1;
            while (end < n && packed[end] >>> 32 == packed[start] >>> 32) {
                end++;
            }
            if (end - start > 1) {
                Integer[] tied = new Integer[end - start];
                for (int k = start; k < end; k++) {
                    tied[k - start] = order[k];
                }
                Arrays.sort(tied, byKey);
                for (int k = start; k < end; k++) {
                    order[k] = tied[k - start];
                }
            }
            start = end;
        }
        return order;
    }

    private static int keyHash(PredictionRow row) {
        return 31 * row.model().hashCode() + row.predictionId().hashCode();
    }

    /**
     * Encodes the keys of the rows, in the given order, for {@link #KEY_COPY_SQL}; shared with the
     * raw {@code COPY} baseline of the load test.
     */
    static BinaryCopyEncoder encodeKeys(List<PredictionRow> rows, long[] ids, int[] order) {
        BinaryCopyEncoder encoder = new BinaryCopyEncoder(rows.size() * 96);
        for (int i : order) {
            PredictionRow row = rows.get(i);
            encoder.startRow(4);
            encoder.writeText(row.model());
            encoder.writeText(row.predictionId());
            encoder.writeBigint(ids[i]);
            encoder.writeTimestamp(row.eventTime());
        }
        return encoder;
    }

    /**
     * Inserts the keys with {@code ON CONFLICT DO NOTHING} and returns, per row, whether its key was
     * inserted. A key that a concurrent transaction has inserted but not committed makes this insert
     * wait until that transaction ends.
     */
    private static boolean[] insertNewKeys(Connection connection, List<PredictionRow> rows, long[] ids, int[] order)
            throws SQLException {
        int n = rows.size();
        String[] models = new String[n];
        String[] predictionIds = new String[n];
        long[] pks = new long[n];
        long[] micros = new long[n];
        Map<Long, Integer> rowByPk = new HashMap<>(n * 2);
        for (int k = 0; k < n; k++) {
            int i = order[k];
            PredictionRow row = rows.get(i);
            models[k] = row.model();
            predictionIds[k] = row.predictionId();
            pks[k] = ids[i];
            // The key must hold the same microseconds as the row that the COPY stores.
            micros[k] = BinaryCopyEncoder.epochMicros(row.eventTime());
            rowByPk.put(ids[i], i);
        }

        boolean[] fresh = new boolean[n];
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO prediction_key (model, prediction_id, "
                + "prediction_pk, event_time) SELECT m, p, k, " + SqlTimes.fromEpochMicros("t") + " "
                + "FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) AS u (m, p, k, t) "
                + "ON CONFLICT (model, prediction_id) DO NOTHING RETURNING prediction_pk")) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            insert.setArray(1, pg.createArrayOf("text", models));
            insert.setArray(2, pg.createArrayOf("text", predictionIds));
            insert.setArray(3, pg.createArrayOf("int8", pks));
            insert.setArray(4, pg.createArrayOf("int8", micros));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    fresh[rowByPk.get(rs.getLong(1))] = true;
                }
            }
        }
        return fresh;
    }

    /** Takes one sequence value per {@link #ID_BLOCK} rows; each value starts a block of consecutive ids. */
    static long[] allocateIds(Connection connection, int count) throws SQLException {
        long[] ids = new long[count];
        int blocks = (count + ID_BLOCK - 1) / ID_BLOCK;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT nextval('prediction_id_seq') FROM generate_series(1, ?)")) {
            query.setInt(1, blocks);
            try (ResultSet rs = query.executeQuery()) {
                int filled = 0;
                while (rs.next() && filled < count) {
                    long first = rs.getLong(1);
                    for (int j = 0; j < ID_BLOCK && filled < count; j++) {
                        ids[filled++] = first + j;
                    }
                }
                if (filled != count) {
                    throw new IllegalStateException("prediction_id_seq gave " + filled + " ids, expected " + count);
                }
            }
        }
        return ids;
    }

    private static void copy(Connection connection, List<PredictionRow> rows, long[] ids) throws SQLException {
        try {
            BinaryCopyEncoder encoder = encode(rows, ids, Instant.now());
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL, encoder.finish());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes rows for {@link #COPY_SQL}; shared with the raw {@code COPY} baseline of the load test. */
    static BinaryCopyEncoder encode(List<PredictionRow> rows, long[] ids, Instant ingestedAt) throws IOException {
        int width = rows.get(0).logits() != null ? rows.get(0).logits().length : 4;
        BinaryCopyEncoder encoder = new BinaryCopyEncoder(rows.size() * (400 + 24 * width));
        for (int i = 0; i < rows.size(); i++) {
            PredictionRow row = rows.get(i);
            encoder.startRow(COPY_FIELDS);
            encoder.writeBigint(ids[i]);
            encoder.writeText(row.model());
            encoder.writeBigint(row.modelVersionId());
            encoder.writeText(row.predictionId());
            encoder.writeTimestamp(row.eventTime());
            encoder.writeDoubleArray(row.logits());
            encoder.writeDoubleArray(row.probabilities());
            encoder.writeDouble(row.temperature());
            encoder.writeClassIndex(row.predictedClass());
            encoder.writeClassIndex(row.topClass());
            encoder.writeOptionalDouble(row.confidence());
            encoder.writeOptionalDouble(row.margin());
            encoder.writeOptionalDouble(row.normalisedEntropy());
            encoder.writeOptionalDouble(row.sumSquares());
            encoder.writeClassIndex(row.label());
            encoder.writeOptionalDouble(row.labelProbability());
            encoder.writeText(row.label() >= 0 ? "ingest" : null);
            if (row.label() >= 0) {
                encoder.writeTimestamp(ingestedAt);
            } else {
                encoder.writeNull();
            }
            encoder.writeText(row.audit().verdict().code());
            encoder.writeTextArray(row.audit().causes());
            encoder.writeOptionalDouble(row.audit().maxAbsDiff());
            encoder.writeJsonb(row.attributesJson());
            encoder.writeTimestamp(ingestedAt);
        }
        return encoder;
    }

    /** Hands the fresh rows to review routing, which queues the ones its rules select. */
    private static List<RollupStore.PredictionSample> rollupSamples(List<PredictionRow> rows) {
        List<RollupStore.PredictionSample> samples = new ArrayList<>(rows.size());
        for (PredictionRow row : rows) {
            // The row stores microseconds, so the hour bucket is taken from the same truncated instant.
            Instant eventTime = row.eventTime().truncatedTo(ChronoUnit.MICROS);
            samples.add(new RollupStore.PredictionSample(row.modelVersionId(), eventTime, row.topClass(),
                    row.audit().verdict() == Verdict.FAIL, row.confidence(), row.margin(), row.normalisedEntropy(),
                    row.sumSquares(), row.label(), row.labelProbability()));
        }
        return samples;
    }

    private void queueForReview(Connection connection, List<PredictionRow> rows, long[] ids) throws SQLException {
        List<RoutingCandidate> candidates = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            PredictionRow row = rows.get(i);
            candidates.add(new RoutingCandidate(ids[i], BinaryCopyEncoder.epochMicros(row.eventTime()),
                    row.modelVersionId(), row.model(), row.predictionId(), row.label() >= 0,
                    row.audit().verdict() == Verdict.FAIL, row.confidence(), row.margin(), row.normalisedEntropy(),
                    row.logits(), row.probabilities(), row.temperature()));
        }
        reviewRouter.queue(connection, candidates);
    }
}
