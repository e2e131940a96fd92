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

    @Override
    public Map<String, String> start() {
        String url = System.getenv("PROBITY_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", System.getenv().getOrDefault("PROBITY_TEST_DB_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("PROBITY_TEST_DB_PASSWORD", ""));
        }

        Path dataDir = Path.of("target", "test-pgdata").toAbsolutePath();
        if (!EmbeddedDatabase.isRunning()) {
            deleteRecursively(dataDir);
        }
        String embeddedUrl = EmbeddedDatabase.start(dataDir);
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
