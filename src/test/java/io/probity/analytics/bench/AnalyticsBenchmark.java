package io.probity.analytics.bench;

import io.agroal.api.AgroalDataSource;
import io.probity.analytics.RollupRebuild;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Loads 1,000,000 and 10,000,000 synthetic predictions (10 classes, 30 days) with binary COPY
 * straight into {@code prediction}, rebuilds their rollups, and times the metrics, drift and time
 * series endpoints over the last 7 days through HTTP on loopback. Enabled only with
 * {@code -Dprobity.benchmark=true}; see BENCHMARKS.md for the command and the figures.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "probity.benchmark", matches = "true")
class AnalyticsBenchmark {


    private static final Logger LOG = Logger.getLogger(AnalyticsBenchmark.class);
    private static final int CLASSES = 10;
    private static final int DAYS = 30;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int CHUNK = 200_000;
    private static final int WARM_UP = 20;
    private static final int MEASURED = 200;
    private static final long SEED = 20260618L;
    /** Microseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int FLOAT8_OID = 701;
    private static final int TEXT_OID = 25;

    @TestHTTPResource("/")
    URL root;

    @jakarta.inject.Inject
    AgroalDataSource dataSource;

    @jakarta.inject.Inject
    RollupRebuild rebuild;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void measureEndpoints() throws Exception {
        StringBuilder report = new StringBuilder();
        for (int size : sizes()) {
            String model = "bench-" + size;
            long versionId = registerVersion(model);
            long loadStarted = System.nanoTime();
            load(model, versionId, size);
            long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
            long rebuildStarted = System.nanoTime();
            rebuild.rebuild(versionId);
            long rebuildMillis = (System.nanoTime() - rebuildStarted) / 1_000_000;
            analyze();
            report.append(String.format("%n%,d predictions: COPY %.1f s, rollup rebuild %.1f s%n", size,
                    loadMillis / 1000.0, rebuildMillis / 1000.0));
            for (Map.Entry<String, String> endpoint : endpoints(model).entrySet()) {
                double[] figures = time(endpoint.getValue());
                report.append(String.format("  %-28s p50 %6.1f ms  p95 %6.1f ms%n", endpoint.getKey(), figures[0],
                        figures[1]));
            }
            LOG.info(report);
        }
        Path out = Path.of("target", "benchmarks", "analytics.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private static int[] sizes() {
        String configured = System.getProperty("probity.benchmark.sizes", "1000000,10000000");
        return Arrays.stream(configured.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    /** The measured requests: the last 7 days of the 30, on hour boundaries, and one off them. */
    private Map<String, String> endpoints(String model) {
        String base = root.toString().replaceAll("/$", "") + "/api/v1/models/" + model;
        Instant end = START.plus(Duration.ofDays(DAYS));
        String window = "from=" + end.minus(Duration.ofDays(7)) + "&to=" + end;
        String offHours = "from=" + end.minus(Duration.ofDays(7)).plusSeconds(1800) + "&to=" + end.minusSeconds(1800);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("metrics", base + "/metrics?" + window);
        endpoints.put("metrics (off-hour window)", base + "/metrics?" + offHours);
        endpoints.put("drift", base + "/drift?" + window);
        endpoints.put("timeseries (hour, 7 metrics)", base + "/timeseries?interval=hour&metric="
                + "count,accuracy,meanConfidence,ece,psi,estimatedAccuracy,auditFailureRate&" + window);
        return endpoints;
    }

    /** Returns the p50 and p95 latency in milliseconds of {@link #MEASURED} sequential requests. */
    private double[] time(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", TestData.API_KEY)
                .timeout(Duration.ofSeconds(60)).GET().build();
        for (int i = 0; i < WARM_UP; i++) {
            send(request);
        }
        double[] millis = new double[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long started = System.nanoTime();
            send(request);
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {millis[MEASURED / 2], millis[(int) Math.ceil(MEASURED * 0.95) - 1]};
    }

    private void send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> request.uri() + " answered " + response.body());
    }

    private long registerVersion(String model) throws SQLException {
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            classes.add("class-" + k);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO model_version (model, version, classes) VALUES (?, 'v1', ?) RETURNING id")) {
            insert.setString(1, model);
            insert.setArray(2, connection.createArrayOf("text", classes.toArray()));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void analyze() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE prediction");
            statement.execute("VACUUM ANALYZE analytics_rollup");
        }
    }

    /**
     * Writes {@code size} predictions spread evenly over {@link #DAYS} days. Logits favour a true
     * class; 30 % carry a label drawn from the softmax, so the model is calibrated, except in the
     * last 7 days, where the logits are sharpened (overconfident) to give the drift figures work.
     */
    private void load(String model, long versionId, int size) throws Exception {
        SplittableRandom random = new SplittableRandom(SEED + size);
        long spanMicros = Duration.ofDays(DAYS).toNanos() / 1000;
        Instant driftStart = START.plus(Duration.ofDays(DAYS - 7));
        String sql = "COPY prediction (model, model_version_id, prediction_id, event_time, logits, temperature, "
                + "predicted_class, top_class, confidence, margin, entropy, sum_squares, label, label_probability, "
                + "verdict, causes) FROM STDIN (FORMAT binary)";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int first = 0; first < size; first += CHUNK) {
                int rows = Math.min(CHUNK, size - first);
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(rows * 330);
                DataOutputStream out = new DataOutputStream(buffer);
                out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
                out.writeInt(0);
                out.writeInt(0);
                for (int i = first; i < first + rows; i++) {
                    Instant eventTime = START.plusNanos((long) ((double) i / size * spanMicros) * 1000);
                    double sharpen = eventTime.isBefore(driftStart) ? 1.0 : 1.8;
                    writeRow(out, random, model, versionId, "p-" + i, eventTime, sharpen);
                }
                out.writeShort(-1);
                out.flush();
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql,
                        new ByteArrayInputStream(buffer.toByteArray()));
            }
        }
    }

    private static void writeRow(DataOutputStream out, SplittableRandom random, String model, long versionId,
                                 String predictionId, Instant eventTime, double sharpen) throws IOException {
        int trueClass = random.nextInt(CLASSES);
        double[] logits = new double[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            logits[k] = sharpen * (random.nextGaussian() * 1.5 + (k == trueClass ? 3.0 : 0.0));
        }
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] p = new double[CLASSES];
        double sum = 0;
        for (int k = 0; k < CLASSES; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        int top = 0;
        double entropy = 0;
        double sumSquares = 0;
        for (int k = 0; k < CLASSES; k++) {
            p[k] /= sum;
            if (p[k] > p[top]) {
                top = k;
            }
        }
        double second = 0;
        for (int k = 0; k < CLASSES; k++) {
            if (k != top) {
                second = Math.max(second, p[k]);
            }
            if (p[k] > 0) {
                entropy -= p[k] * Math.log(p[k]);
            }
            sumSquares += p[k] * p[k];
        }
        int label = -1;
        if (random.nextDouble() < 0.3) {
            // Draw the label from the unsharpened model, so the sharpened window is overconfident.
            label = random.nextDouble() < 0.8 ? trueClass : random.nextInt(CLASSES);
        }

        out.writeShort(16);
        writeText(out, model);
        writeLong(out, versionId);
        writeText(out, predictionId);
        long micros = eventTime.getEpochSecond() * 1_000_000L + eventTime.getNano() / 1000;
        writeLong(out, micros - POSTGRES_EPOCH_MICROS);
        out.writeInt(20 + CLASSES * 12);
        out.writeInt(1);
        out.writeInt(0);
        out.writeInt(FLOAT8_OID);
        out.writeInt(CLASSES);
        out.writeInt(1);
        for (double logit : logits) {
            out.writeInt(8);
            out.writeDouble(logit);
        }
        writeDouble(out, 1.0);
        writeShort(out, top);
        writeShort(out, top);
        writeDouble(out, p[top]);
        writeDouble(out, p[top] - second);
        writeDouble(out, Math.min(1.0, entropy / Math.log(CLASSES)));
        writeDouble(out, sumSquares);
        if (label >= 0) {
            writeShort(out, label);
            writeDouble(out, p[label]);
        } else {
            out.writeInt(-1);
            out.writeInt(-1);
        }
        writeText(out, random.nextDouble() < 0.01 ? "fail" : "pass");
        out.writeInt(20);
        out.writeInt(1);
        out.writeInt(0);
        out.writeInt(TEXT_OID);
        out.writeInt(0);
        out.writeInt(1);
    }

    private static void writeText(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void writeLong(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    private static void writeDouble(DataOutputStream out, double value) throws IOException {
        out.writeInt(8);
        out.writeDouble(value);
    }

    private static void writeShort(DataOutputStream out, int value) throws IOException {
        out.writeInt(2);
        out.writeShort(value);
    }
}
