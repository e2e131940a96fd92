package io.probity.ingest.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.probity.db.EmbeddedDatabase;
import io.probity.ingest.IngestService;
import io.probity.ingest.RawCopyBaseline;
import io.probity.model.ModelVersionInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Load test of {@code POST /api/v1/predictions} against a raw binary {@code COPY} of the same rows.
 *
 * <p>Starts an embedded PostgreSQL 17 (fsync and synchronous_commit on) with a fresh data folder,
 * starts the Probity jar as a child process pointed at it, and then for each repetition:
 * generates seeded 10-class predictions ({@link SyntheticPredictions}), posts them as NDJSON
 * bodies from several concurrent clients and measures predictions per second, then writes the same
 * predictions under another model name with {@link RawCopyBaseline} (one binary {@code COPY} and
 * commit per batch, same concurrency) and measures rows per second. A warm-up of both paths comes
 * first, and a {@code CHECKPOINT} precedes every timed phase so that no phase pays for the
 * previous one's dirty pages. Bodies and {@code COPY} data are built before each clock starts.
 *
 * <p>Run it with bench/ingest-load.sh, which builds the jar and the classpath; {@code --help}
 * lists the options.
 */
public final class IngestLoad {

    static final String INGEST_MODEL = "bench-ingest";
    static final String COPY_MODEL = "bench-copy";
    private static final String NDJSON = "application/x-ndjson";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonFactory JSON = new JsonFactory();

    private final Options options;
    private final long deadline;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ProbityServer server;
    private String apiKey;
    private long postmasterPid;

    private IngestLoad(Options options) {
        this.options = options;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeLimitSeconds);
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(Options.USAGE);
            return;
        }
        try {
            new IngestLoad(options).run();
        } catch (Exception e) {
            System.err.println("Load test failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        // Exit explicitly so that zonky's shutdown hook stops PostgreSQL now.
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = options.workDir.toAbsolutePath();
        Path pgdata = work.resolve("pgdata");
        deleteRecursively(pgdata);
        deleteRecursively(work.resolve("probity-data"));
        Files.createDirectories(work);

        System.out.println("Starting the embedded PostgreSQL in " + pgdata);
        String jdbcUrl = EmbeddedDatabase.start(pgdata);
        postmasterPid = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).trim());
        Files.writeString(work.resolve("postgres.url"), jdbcUrl + "\n");

        apiKey = "bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        System.out.println("Starting " + options.jar + " (log in " + work.resolve("server.log") + ")");
        ProbityServer started = ProbityServer.start(options.jar.toAbsolutePath(), jdbcUrl, apiKey,
                options.serverJvmOptions, work.resolve("server.log"), work.resolve("server.pid"));
        server = started;
        try (started) {
            server.awaitReady(http, Duration.ofSeconds(120));
            try (Connection admin = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                admin.setAutoCommit(true);
                printSetup(admin);
                List<Connection> copyConnections = openConnections(jdbcUrl, options.clients);
                try {
                    measure(admin, copyConnections);
                } finally {
                    for (Connection connection : copyConnections) {
                        connection.close();
                    }
                }
            }
        }
    }

    private void measure(Connection admin, List<Connection> copyConnections) throws Exception {
        ModelVersionInfo copyVersion = RawCopyBaseline.registerVersion(admin, COPY_MODEL, SyntheticPredictions.VERSION,
                SyntheticPredictions.CLASSES);

        System.out.printf(Locale.ROOT, "Warm-up: %,d predictions through each path%n", options.warmup);
        List<SyntheticPredictions.Prediction> warmup = SyntheticPredictions.generate(options.seed, options.warmup, options.timeOrdered);
        List<byte[]> warmupBodies = SyntheticPredictions.ndjsonBatches(warmup, INGEST_MODEL, options.batch, options.numberFormat, true);
        // The first body registers the model version, so it goes alone before the others.
        postBatches(warmupBodies.subList(0, 1), 1);
        postBatches(warmupBodies.subList(1, warmupBodies.size()), options.clients);
        copyBatches(copyConnections, RawCopyBaseline.prepare(admin, copyVersion,
                SyntheticPredictions.ndjsonBatches(warmup, COPY_MODEL, options.batch, options.numberFormat, false)));

        double[] ingestRates = new double[options.repetitions];
        double[] copyRates = new double[options.repetitions];
        CpuTimes[] ingestCpu = new CpuTimes[options.repetitions];
        CpuTimes[] copyCpu = new CpuTimes[options.repetitions];
        RawCopyBaseline.PreparedBatches prepared = null;
        for (int rep = 0; rep < options.repetitions; rep++) {
            List<SyntheticPredictions.Prediction> predictions =
                    SyntheticPredictions.generate(options.seed + 1 + rep, options.records, options.timeOrdered);
            List<byte[]> bodies = SyntheticPredictions.ndjsonBatches(predictions, INGEST_MODEL, options.batch, options.numberFormat, false);
            prepared = RawCopyBaseline.prepare(admin, copyVersion,
                    SyntheticPredictions.ndjsonBatches(predictions, COPY_MODEL, options.batch, options.numberFormat, false));

            checkpoint(admin);
            CpuTimes before = cpuTimes();
            long ingestNanos = postBatches(bodies, options.clients);
            ingestCpu[rep] = cpuTimes().since(before);

            checkpoint(admin);
            before = cpuTimes();
            long copyNanos = copyBatches(copyConnections, prepared);
            copyCpu[rep] = cpuTimes().since(before);

            ingestRates[rep] = options.records / (ingestNanos / 1e9);
            copyRates[rep] = prepared.rows() / (copyNanos / 1e9);
            System.out.printf(Locale.ROOT, "Repetition %d: ingest %,.0f predictions/s (%.2f s), raw COPY %,.0f rows/s "
                            + "(%.2f s), ratio %.2f%n", rep + 1, ingestRates[rep], ingestNanos / 1e9, copyRates[rep],
                    copyNanos / 1e9, ingestRates[rep] / copyRates[rep]);
            System.out.printf(Locale.ROOT, "  CPU per 1,000 records, ingest: %s; raw COPY: %s%n",
                    perThousand(ingestCpu[rep], options.records), perThousand(copyCpu[rep], prepared.rows()));
        }

        printSummary(ingestRates, copyRates, prepared);
        verifyStored(admin);
    }

    /** Posts the bodies from {@code clients} threads and returns the elapsed time in nanoseconds. */
    private long postBatches(List<byte[]> bodies, int clients) throws Exception {
        // Record counts are taken before the clock starts, like the bodies themselves.
        int[] records = new int[bodies.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = countLines(bodies.get(i));
        }
        return runConcurrently(clients, bodies.size(), (worker, index) -> post(bodies.get(index), records[index]));
    }

    private void post(byte[] body, int records) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/predictions"))
                .timeout(REQUEST_TIMEOUT)
                .header("X-API-Key", apiKey)
                .header("Content-Type", NDJSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST /api/v1/predictions returned " + response.statusCode() + ": "
                        + new String(in.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8));
            }
            int[] counts = readCounts(in);
            if (counts[0] != records) {
                throw new IllegalStateException("POST /api/v1/predictions accepted " + counts[0] + " of " + records
                        + " records (" + counts[1] + " duplicates, " + counts[2] + " rejected); see the server log");
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** Reads {@code accepted}, {@code duplicates} and {@code rejected}, which precede the results array. */
    private static int[] readCounts(InputStream in) throws IOException {
        int[] counts = {-1, -1, -1};
        JsonParser parser = JSON.createParser(in);
        parser.nextToken();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "accepted" -> counts[0] = parser.getIntValue();
                case "duplicates" -> counts[1] = parser.getIntValue();
                case "rejected" -> counts[2] = parser.getIntValue();
                default -> {
                    return counts;
                }
            }
        }
        return counts;
    }

    private static int countLines(byte[] body) {
        int lines = 0;
        for (byte b : body) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** Copies the batches from one thread per connection and returns the elapsed time in nanoseconds. */
    private long copyBatches(List<Connection> connections, RawCopyBaseline.PreparedBatches batches) throws Exception {
        return runConcurrently(connections.size(), batches.copyData().size(),
                (worker, index) -> RawCopyBaseline.copy(connections.get(worker), batches.keyData().get(index),
                        batches.copyData().get(index)));
    }

    @FunctionalInterface
    private interface BatchTask {
        void run(int worker, int index) throws Exception;
    }

    /**
     * Runs {@code task} for indexes 0 to {@code count - 1}, each taken by the next free worker, and
     * returns the time from the start to the end of the last task in nanoseconds.
     */
    private long runConcurrently(int workers, int count, BatchTask task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<Void>> futures = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.run(worker, i);
                    }
                    return null;
                }));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the load test ran past its time limit of "
                            + options.timeLimitSeconds + " s; lower --records or --repetitions, or raise --time-limit");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private CpuTimes cpuTimes() {
        return CpuTimes.read(server.pid(), postmasterPid);
    }

    private static String perThousand(CpuTimes cpu, int records) {
        return String.format(Locale.ROOT, "server %s, PostgreSQL %s, client %s", millisPerThousand(cpu.serverMillis(),
                records), millisPerThousand(cpu.postgresMillis(), records), millisPerThousand(cpu.clientMillis(), records));
    }

    private static String millisPerThousand(long millis, int records) {
        return millis < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f ms", millis * 1000.0 / records);
    }

    private static List<Connection> openConnections(String jdbcUrl, int count) throws SQLException {
        List<Connection> connections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            connections.add(DriverManager.getConnection(jdbcUrl, "postgres", ""));
        }
        return connections;
    }

    private static void checkpoint(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }

    private void printSetup(Connection admin) throws SQLException {
        System.out.printf(Locale.ROOT, "Java %s, %d processors; %s; fsync=%s, synchronous_commit=%s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                queryText(admin, "SELECT version()"), queryText(admin, "SHOW fsync"),
                queryText(admin, "SHOW synchronous_commit"));
        System.out.printf(Locale.ROOT, "Parameters: %,d records per repetition, %d repetitions, batches of %,d, "
                        + "%d concurrent clients, %,d warm-up records, numbers as %s text, seed %d%n", options.records,
                options.repetitions, options.batch, options.clients, options.warmup,
                options.numberFormat.name().toLowerCase(Locale.ROOT), options.seed);
    }

    private static void printSummary(double[] ingestRates, double[] copyRates,
                                     RawCopyBaseline.PreparedBatches lastBatches) {
        double ingest = median(ingestRates);
        double copy = median(copyRates);
        System.out.println();
        System.out.printf(Locale.ROOT, "Ingest   (POST /api/v1/predictions): median %,9.0f predictions/s, range %,.0f to %,.0f%n",
                ingest, min(ingestRates), max(ingestRates));
        System.out.printf(Locale.ROOT, "Raw COPY (binary, same rows):        median %,9.0f rows/s,        range %,.0f to %,.0f%n",
                copy, min(copyRates), max(copyRates));
        System.out.printf(Locale.ROOT, "Ratio ingest / raw COPY (medians):   %.2f%n", ingest / copy);
        System.out.printf(Locale.ROOT, "Records of the last repetition: %.1f %% passed the audit, %.1f %% queued for "
                        + "review%n", 100.0 * lastBatches.passed() / lastBatches.rows(),
                100.0 * lastBatches.queuedForReview() / lastBatches.rows());
    }

    /** Checks that every posted prediction was stored once, and prints the row counts. */
    private void verifyStored(Connection admin) throws SQLException {
        long expected = options.warmup + (long) options.records * options.repetitions;
        long ingested = queryLong(admin, "SELECT count(*) FROM prediction WHERE model = '" + INGEST_MODEL + "'");
        long copied = queryLong(admin, "SELECT count(*) FROM prediction WHERE model = '" + COPY_MODEL + "'");
        long failed = queryLong(admin, "SELECT count(*) FROM prediction WHERE model = '" + INGEST_MODEL
                + "' AND verdict <> 'pass'");
        long reviews = queryLong(admin, "SELECT count(*) FROM review_item");
        System.out.printf(Locale.ROOT, "Stored: %,d ingested rows (%,d not passing the audit), %,d copied rows, "
                + "%,d review items%n", ingested, failed, copied, reviews);
        if (ingested != expected || copied != expected) {
            throw new IllegalStateException("expected " + expected + " rows for each model, found " + ingested
                    + " ingested and " + copied + " copied");
        }
    }

    private static String queryText(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Command-line options; every one has a default. */
    static final class Options {

        static final String USAGE = """
                Usage: IngestLoad [--option=value ...]
                  --records=N          predictions per repetition (default 200000)
                  --repetitions=N      timed repetitions of both paths, at least 1 (default 5)
                  --batch=N            records per request and per COPY, at most %d (default 1000)
                  --clients=N          concurrent HTTP clients and COPY connections (default 4)
                  --warmup=N           predictions sent through both paths before timing (default 600000)
                  --time-order=O       live (default): each repetition's records sorted by timestamp, as live
                                       traffic arrives; random: shuffled over 14 days, the worst case for the
                                       hourly rollups, which a batch then updates in hundreds of rows
                  --number-format=F    float64 (default): float32 values written as their exact float64 decimal,
                                       as Python's json module writes array.tolist(); float32: written as
                                       Float.toString, which the audit has to recognise as float32 text
                  --seed=N             seed of the generated predictions (default 20260601)
                  --time-limit=S       abort after this many seconds (default 600)
                  --jar=PATH           Probity jar (default target/quarkus-app/quarkus-run.jar)
                  --work-dir=PATH      folder for the database, logs and process ids (default target/bench/ingest);
                                       its pgdata folder is deleted at the start
                  --server-jvm-options="OPTS"  JVM options of the Probity server, separated by spaces (default none)
                """.formatted(IngestService.MAX_RECORDS);

        int records = 200_000;
        int repetitions = 5;
        int batch = 1_000;
        int clients = 4;
        int warmup = 600_000;
        long seed = 20260601L;
        SyntheticPredictions.NumberFormat numberFormat = SyntheticPredictions.NumberFormat.FLOAT64;
        boolean timeOrdered = true;
        long timeLimitSeconds = 600;
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Path workDir = Path.of("target", "bench", "ingest");
        List<String> serverJvmOptions = List.of();

        /** Parses the arguments; returns null for {@code --help}. */
        static Options parse(String[] args) {
            Options options = new Options();
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                int equals = arg.indexOf('=');
                if (!arg.startsWith("--") || equals < 0) {
                    throw new IllegalArgumentException("Invalid argument \"" + arg + "\"; use --option=value");
                }
                String name = arg.substring(2, equals);
                String value = arg.substring(equals + 1);
                switch (name) {
                    case "records" -> options.records = positive(name, value);
                    case "repetitions" -> options.repetitions = positive(name, value);
                    case "batch" -> options.batch = positive(name, value);
                    case "clients" -> options.clients = positive(name, value);
                    case "warmup" -> options.warmup = positive(name, value);
                    case "seed" -> options.seed = Long.parseLong(value);
                    case "number-format" -> options.numberFormat = numberFormat(value);
                    case "time-order" -> {
                        if (!value.equals("live") && !value.equals("random")) {
                            throw new IllegalArgumentException("--time-order must be live or random, got \"" + value + "\"");
                        }
                        options.timeOrdered = value.equals("live");
                    }
                    case "time-limit" -> options.timeLimitSeconds = positive(name, value);
                    case "jar" -> options.jar = Path.of(value);
                    case "work-dir" -> options.workDir = Path.of(value);
                    case "server-jvm-options" -> options.serverJvmOptions = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("Unknown option --" + name);
                }
            }
            if (options.batch > IngestService.MAX_RECORDS) {
                throw new IllegalArgumentException("--batch is " + options.batch + " but the API accepts at most "
                        + IngestService.MAX_RECORDS + " records per request");
            }
            return options;
        }

        private static SyntheticPredictions.NumberFormat numberFormat(String value) {
            return switch (value) {
                case "float64" -> SyntheticPredictions.NumberFormat.FLOAT64;
                case "float32" -> SyntheticPredictions.NumberFormat.FLOAT32;
                default -> throw new IllegalArgumentException("--number-format must be float64 or float32, got \""
                        + value + "\"");
            };
        }

        private static int positive(String name, String value) {
            int parsed;
            try {
                parsed = Integer.parseInt(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, got \"" + value + "\"");
            }
            if (parsed < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1, got " + parsed);
            }
            return parsed;
        }
    }
}
