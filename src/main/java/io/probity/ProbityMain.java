package io.probity;

import io.probity.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;

/**
 * Entry point: starts the embedded PostgreSQL when no datasource URL is configured, then Quarkus.
 *
 * <p>The URL counts as configured when the system property {@code quarkus.datasource.jdbc.url}
 * or the environment variable {@code QUARKUS_DATASOURCE_JDBC_URL} is set.
 */
@QuarkusMain
public final class ProbityMain {

    private ProbityMain() {
    }

    public static void main(String... args) {
        if (configured("quarkus.datasource.jdbc.url") == null) {
            String dataDir = configured("probity.data-dir");
            if (dataDir == null) {
                dataDir = Path.of(System.getProperty("user.home"), ".probity").toString();
            }

            String url = EmbeddedDatabase.start(Path.of(dataDir, "pgdata"));
            System.setProperty("quarkus.datasource.jdbc.url", url);
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "");
        }

        Quarkus.run(args);
    }

    private static String configured(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            String envName = property.toUpperCase().replace('.', '_').replace('-', '_');
            value = System.getenv(envName);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
