package io.probity.ingest;

import io.agroal.api.AgroalDataSource;
import io.probity.analytics.RollupStore;
import io.probity.audit.Verdict;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores validated predictions with one binary {@code COPY} per request, in one transaction
 * that is committed before the caller responds to the client.
 *
 * <p>Rows whose {@code (model, prediction_id)} already exists are skipped and reported as
 * duplicates. When a concurrent request commits the same id between the duplicate check and the
 * {@code COPY}, the unique constraint aborts the transaction and the whole batch is retried, so
 * the retry finds that id as a duplicate; nothing is stored twice and nothing partial is kept.
 */
@ApplicationScoped
public class PredictionWriter {

    private static final Logger LOG = Logger.getLogger(PredictionWriter.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_ATTEMPTS = 4;

    static final String COPY_SQL = "COPY prediction (id, model, model_version_id, prediction_id, event_time, logits, "
            + "probabilities, temperature, predicted_class, top_class, confidence, margin, entropy, sum_squares, "
            + "label, label_probability, label_source, labeled_at, verdict, causes, max_abs_diff, attributes, "
            + "ingested_at) FROM STDIN (FORMAT binary)";
    private static final int COPY_FIELDS = 23;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReviewRouter reviewRouter;

    /**
     * Stores the rows that are not yet stored and returns the ones skipped as duplicates.
     */
    public Set<PredictionKey> store(List<PredictionRow> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    Set<PredictionKey> duplicates = findExisting(connection, rows);
                    List<PredictionRow> fresh = new ArrayList<>(rows.size());
                    for (PredictionRow row : rows) {
                        if (!duplicates.contains(new PredictionKey(row.model(), row.predictionId()))) {
                            fresh.add(row);
                        }
                    }
                    if (!fresh.isEmpty()) {
                        long[] ids = allocateIds(connection, fresh.size());
                        copy(connection, fresh, ids);
                        RollupStore.addPredictions(connection, rollupSamples(fresh));
                        queueForReview(connection, fresh, ids);
                    }
                    connection.commit();
                    return duplicates;
                } catch (SQLException e) {
                    connection.rollback();
                    if (UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < MAX_ATTEMPTS) {
                        LOG.debugf("Concurrent insert of the same prediction ids; retrying batch (attempt %d)", attempt);
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Failed to store " + rows.size() + " predictions: " + e.getMessage(), e);
            }
        }
    }

    private static Set<PredictionKey> findExisting(Connection connection, List<PredictionRow> rows)
            throws SQLException {
        Map<String, List<String>> idsByModel = new LinkedHashMap<>();
        for (PredictionRow row : rows) {
            idsByModel.computeIfAbsent(row.model(), m -> new ArrayList<>()).add(row.predictionId());
        }

        Set<PredictionKey> existing = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT prediction_id FROM prediction WHERE model = ? AND prediction_id = ANY (?)")) {
            for (Map.Entry<String, List<String>> entry : idsByModel.entrySet()) {
                query.setString(1, entry.getKey());
                query.setArray(2, connection.createArrayOf("text", entry.getValue().toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        existing.add(new PredictionKey(entry.getKey(), rs.getString(1)));
                    }
                }
            }
        }
        return existing;
    }

    private static long[] allocateIds(Connection connection, int count) throws SQLException {
        long[] ids = new long[count];
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT nextval('prediction_id_seq') FROM generate_series(1, ?)")) {
            query.setInt(1, count);
            try (ResultSet rs = query.executeQuery()) {
                for (int i = 0; i < count && rs.next(); i++) {
                    ids[i] = rs.getLong(1);
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
            Instant eventTime = row.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
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
            candidates.add(new RoutingCandidate(ids[i], row.modelVersionId(), row.model(), row.predictionId(),
                    row.label() >= 0, row.audit().verdict() == Verdict.FAIL, row.confidence(), row.margin(),
                    row.normalisedEntropy(), row.logits(), row.probabilities(), row.temperature()));
        }
        reviewRouter.queue(connection, candidates);
    }
}
