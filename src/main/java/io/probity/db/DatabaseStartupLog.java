package io.probity.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Logs at start which PostgreSQL Probity uses and where its data lives. */
@ApplicationScoped
public class DatabaseStartupLog {

    private static final Logger LOG = Logger.getLogger(DatabaseStartupLog.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    void onStart(@Observes StartupEvent event) {
        if (EmbeddedDatabase.isRunning()) {
            LOG.infof("Using the embedded PostgreSQL 17 at %s; data in %s", url, EmbeddedDatabase.dataDirectory());
        } else {
            LOG.infof("Using the PostgreSQL server at %s", withoutCredentials(url));
        }
    }

    /** Drops query parameters, which may carry a password, from a JDBC URL. */
    static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
