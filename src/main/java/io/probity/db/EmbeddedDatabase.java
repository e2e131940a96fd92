package io.probity.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the embedded PostgreSQL 17 server (zonky binaries) that Probity uses when no
 * datasource URL is configured. The data folder is kept between runs, so stored
 * predictions survive a restart.
 *
 * <p>zonky starts PostgreSQL with {@code -F} (fsync off) and {@code synchronous_commit=off};
 * both are switched back on here because an acknowledged prediction must be durable.
 */
public final class EmbeddedDatabase {

    private static EmbeddedPostgres server;
    private static Path dataDirectory;

    private EmbeddedDatabase() {
    }

    /**
     * Starts the server on a free loopback port, once per JVM.
     *
     * @param dataDir folder for the cluster; created and initialised when empty
     * @return the JDBC URL of the {@code postgres} database, user {@code postgres}
     */
    public static synchronized String start(Path dataDir) {
        if (server == null) {
            try {
                Files.createDirectories(dataDir);
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_wal_size", "2GB")
                        .setPGStartupWait(java.time.Duration.ofSeconds(60))
                        .start();
                dataDirectory = dataDir;
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to start the embedded PostgreSQL in " + dataDir
                        + "; check that the folder is writable and not used by another Probity process", e);
            }
        }
        return jdbcUrl();
    }

    /** Returns whether this JVM started the embedded server. */
    public static synchronized boolean isRunning() {
        return server != null;
    }

    public static synchronized Path dataDirectory() {
        return dataDirectory;
    }

    public static synchronized String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }
}
