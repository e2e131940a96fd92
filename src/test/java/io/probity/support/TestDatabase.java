package io.probity.support;

import io.probity.db.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives every {@code @QuarkusTest} a real PostgreSQL: the server named by the environment
 * variable {@code PROBITY_TEST_DB_URL} (with {@code PROBITY_TEST_DB_USER} and
 * {@code PROBITY_TEST_DB_PASSWORD}), or else a fresh embedded PostgreSQL 17 under
 * {@code target/test-pgdata}.
 */
@QuarkusTestResource(TestDatabase.class)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    /** System property with the JDBC URL of the embedded server that this JVM started. */
    private static final String RUNNING_URL = "probity.test.embedded-db-url";

    @Override
    public Map<String, String> start() {
        String url = System.getenv("PROBITY_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", System.getenv().getOrDefault("PROBITY_TEST_DB_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("PROBITY_TEST_DB_PASSWORD", ""));
        }

        // A test profile restarts Quarkus in a new class loader, where the static state of
        // EmbeddedDatabase is empty again. A system property lasts for the JVM, so the server started
        // first is reused. Starting a second one deleted the first one's data folder under it, and
        // that server was left running after the tests.
        String running = System.getProperty(RUNNING_URL);
        String embeddedUrl;
        if (running != null) {
            embeddedUrl = running;
        } else {
            Path dataDir = Path.of("target", "test-pgdata").toAbsolutePath();
            deleteRecursively(dataDir);
            embeddedUrl = EmbeddedDatabase.start(dataDir);
            System.setProperty(RUNNING_URL, embeddedUrl);
        }
        return Map.of("quarkus.datasource.jdbc.url", embeddedUrl,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        // The embedded server stops with the JVM through zonky's shutdown hook.
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("Failed to clear " + folder, e);
        }
    }
}
