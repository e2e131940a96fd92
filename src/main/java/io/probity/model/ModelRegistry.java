package io.probity.model;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and registers model versions for the ingestion path, with an in-memory cache.
 * A version is registered the first time a record with a class list arrives for it; the class
 * list never changes afterwards.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<String, ModelVersionInfo> cache = new ConcurrentHashMap<>();

    @Inject
    AgroalDataSource dataSource;

    /** Returns the stored version, or empty when it has never been seen. */
    public Optional<ModelVersionInfo> find(String model, String version) {
        ModelVersionInfo cached = cache.get(key(model, version));
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection connection = dataSource.getConnection()) {
            Optional<ModelVersionInfo> loaded = select(connection, model, version);
            loaded.ifPresent(info -> cache.put(key(model, version), info));
            return loaded;
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read model version " + model + "/" + version, e);
        }
    }

    /**
     * Returns the stored version, registering it with {@code classes} when it is new.
     * Concurrent first registrations of one version resolve to the same row.
     */
    public ModelVersionInfo findOrRegister(String model, String version, List<String> classes) {
        Optional<ModelVersionInfo> existing = find(model, version);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO model_version (model, version, classes) VALUES (?, ?, ?) "
                            + "ON CONFLICT (model, version) DO NOTHING")) {
                insert.setString(1, model);
                insert.setString(2, version);
                insert.setArray(3, connection.createArrayOf("text", classes.toArray()));
                if (insert.executeUpdate() == 1) {
                    LOG.infof("Registered model %s version %s with %d classes", model, version, classes.size());
                }
            }
            ModelVersionInfo info = select(connection, model, version).orElseThrow();
            cache.put(key(model, version), info);
            return info;
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to register model version " + model + "/" + version, e);
        }
    }

    /** Drops a cached version after its overrides were edited. */
    public void invalidate(String model, String version) {
        cache.remove(key(model, version));
    }

    private static Optional<ModelVersionInfo> select(Connection connection, String model, String version)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, classes, temperature_override, tolerance_override FROM model_version "
                        + "WHERE model = ? AND version = ?")) {
            query.setString(1, model);
            query.setString(2, version);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array classes = rs.getArray(2);
                List<String> classList = Arrays.asList((String[]) classes.getArray());
                double temperature = rs.getDouble(3);
                if (rs.wasNull()) {
                    temperature = Double.NaN;
                }
                double tolerance = rs.getDouble(4);
                if (rs.wasNull()) {
                    tolerance = Double.NaN;
                }
                return Optional.of(new ModelVersionInfo(rs.getLong(1), model, version, List.copyOf(classList),
                        temperature, tolerance));
            }
        }
    }

    private static String key(String model, String version) {
        return model + '\u0000' + version;
    }
}
