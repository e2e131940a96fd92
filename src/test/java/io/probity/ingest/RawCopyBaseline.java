package io.probity.ingest;

import io.probity.audit.Verdict;
import io.probity.model.ModelRegistry;
import io.probity.model.ModelVersionInfo;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The raw {@code COPY} side of the ingestion load test (io.probity.ingest.bench.IngestLoad): the
 * same NDJSON bodies that the load test posts, turned into rows by the ingestion path's own parser,
 * validator and encoder, and written with nothing else around the {@code COPY}.
 *
 * <p>{@link #prepare} does the parsing, validation, id allocation and encoding before the clock
 * starts. The timed part is then one {@code COPY ... FROM STDIN (FORMAT binary)} and one commit per
 * batch, which is the most that {@link PredictionWriter#store} could reach on the same server.
 * It lives in this package because the parser, validator and encoder are package-private.
 */
public final class RawCopyBaseline {

    /** Encoded batches and what the validator made of their records. */
    public record PreparedBatches(List<byte[]> copyData, List<byte[]> keyData, int rows, int passed,
                                  int queuedForReview) {
    }

    private RawCopyBaseline() {
    }

    /**
     * Registers a model version directly in {@code model_version}, as the first ingested record of
     * a version would, and returns it.
     */
    public static ModelVersionInfo registerVersion(Connection connection, String model, String version,
                                                   List<String> classes) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO model_version (model, version, classes) VALUES (?, ?, ?) RETURNING id")) {
            insert.setString(1, model);
            insert.setString(2, version);
            Array classArray = connection.createArrayOf("text", classes.toArray());
            insert.setArray(3, classArray);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new ModelVersionInfo(rs.getLong(1), model, version, List.copyOf(classes), Double.NaN,
                        Double.NaN);
            }
        }
    }

    /**
     * Parses, validates and audits the NDJSON bodies, draws ids from {@code prediction_id_seq} and
     * encodes each body as the data of one binary {@code COPY}.
     *
     * @throws IllegalArgumentException when a record is rejected, because the baseline must write
     *                                  the same rows as the ingestion side
     */
    public static PreparedBatches prepare(Connection connection, ModelVersionInfo version, List<byte[]> bodies)
            throws SQLException, IOException {
        PredictionValidator validator = new PredictionValidator();
        validator.registry = new FixedRegistry(version);

        List<byte[]> copyData = new ArrayList<>(bodies.size());
        List<byte[]> keyData = new ArrayList<>(bodies.size());
        int rowCount = 0;
        int passed = 0;
        int queued = 0;
        for (byte[] body : bodies) {
            List<IncomingPrediction> records = new PredictionParser(IngestService.MAX_RECORDS)
                    .parse(new ByteArrayInputStream(body), true);
            List<PredictionRow> rows = new ArrayList<>(records.size());
            for (IncomingPrediction record : records) {
                PredictionRow row = validator.validate(record);
                if (row == null) {
                    throw new IllegalArgumentException("record " + record.predictionId + " was rejected: "
                            + record.errors);
                }
                rows.add(row);
                if (row.audit().verdict() == Verdict.PASS) {
                    passed++;
                }
                // The default review rules: unlabelled, and a failed audit or confidence below 0.6.
                if (row.label() < 0 && (row.audit().verdict() == Verdict.FAIL || row.confidence() < 0.6)) {
                    queued++;
                }
            }

            long[] ids = PredictionWriter.allocateIds(connection, rows.size());
            InputStream data = PredictionWriter.encode(rows, ids, Instant.now()).finish();
            copyData.add(data.readAllBytes());
            keyData.add(PredictionWriter.encodeKeys(rows, ids, PredictionWriter.keyOrder(rows)).finish().readAllBytes());
            rowCount += rows.size();
        }
        return new PreparedBatches(copyData, keyData, rowCount, passed, queued);
    }

    /**
     * Writes one encoded batch: its idempotency keys with {@link PredictionWriter#KEY_COPY_SQL}, its rows with
     * {@link PredictionWriter#COPY_SQL}, then commits. These are the two tables that every stored
     * prediction needs.
     */
    public static void copy(Connection connection, byte[] keyData, byte[] copyData) throws SQLException, IOException {
        connection.setAutoCommit(false);
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(PredictionWriter.KEY_COPY_SQL, new ByteArrayInputStream(keyData));
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(PredictionWriter.COPY_SQL,
                new ByteArrayInputStream(copyData));
        connection.commit();
    }

    /** A registry that knows one model version and never touches the database. */
    private static final class FixedRegistry extends ModelRegistry {

        private final ModelVersionInfo version;

        FixedRegistry(ModelVersionInfo version) {
            this.version = version;
        }

        @Override
        public Optional<ModelVersionInfo> find(String model, String versionName) {
            return matches(model, versionName) ? Optional.of(version) : Optional.empty();
        }

        @Override
        public ModelVersionInfo findOrRegister(String model, String versionName, List<String> classes) {
            if (!matches(model, versionName) || !classes.equals(version.classes())) {
                throw new IllegalArgumentException("the baseline only knows model " + version.model() + " version "
                        + version.version() + " with classes " + version.classes() + ", not " + model + " version "
                        + versionName + " with " + Arrays.toString(classes.toArray()));
            }
            return version;
        }

        private boolean matches(String model, String versionName) {
            return version.model().equals(model) && version.version().equals(versionName);
        }
    }
}
