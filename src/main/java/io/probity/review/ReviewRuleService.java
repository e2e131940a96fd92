package io.probity.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.db.SqlArrays;
import io.probity.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and replaces the review routing rules of a model version. Every replacement is kept as a
 * new revision with its author and time; ingestion routes with the newest one.
 */
@ApplicationScoped
public class ReviewRuleService {

    private static final Logger LOG = Logger.getLogger(ReviewRuleService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /** A stored model version: its row key, name and classes. */
    record VersionRow(long id, String version, List<String> classes) {
    }

    /**
     * Returns the rule set in force for a version: the newest revision, or the built-in default.
     *
     * @param version null when the model has exactly one version
     * @throws ApiException 404 for an unknown model or version, 400 when the version is needed
     */
    public ReviewRuleSet current(String model, String version) {
        try (Connection connection = dataSource.getConnection()) {
            VersionRow row = findVersion(connection, model, version);
            List<ReviewRuleSet> revisions = load(connection, model, row, 1);
            return revisions.isEmpty() ? ReviewRuleSet.defaultFor(model, row.version()) : revisions.get(0);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read review rules of " + model + ": " + e.getMessage(), e);
        }
    }

    /** Returns every stored revision of a version, newest first. */
    public List<ReviewRuleSet> revisions(String model, String version) {
        try (Connection connection = dataSource.getConnection()) {
            VersionRow row = findVersion(connection, model, version);
            return load(connection, model, row, Integer.MAX_VALUE);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read review rules of " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Validates a rule set and stores it as the version's next revision.
     *
     * @throws ApiException 400 for invalid rules, 403 without the ops role, 404 for an unknown version
     */
    public ReviewRuleSet replace(String model, String version, JsonNode body, ReviewActor actor) {
        ReviewActors.require(actor, Role.OPS, "change review rules");
        try (Connection connection = dataSource.getConnection()) {
            VersionRow row = findVersion(connection, model, version);
            ReviewRuleParser.Parsed parsed = ReviewRuleParser.parse(body, row.classes());

            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT 1 FROM model_version WHERE id = ? FOR UPDATE");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO review_rule_set (model_version_id, revision, rules, sample_fraction, created_by) "
                                 + "SELECT ?, coalesce(max(revision), 0) + 1, ?::jsonb, ?, ? FROM review_rule_set "
                                 + "WHERE model_version_id = ? RETURNING revision")) {
                // Serialises concurrent replacements of one version, so revisions never collide.
                lock.setLong(1, row.id());
                lock.executeQuery().close();
                insert.setLong(1, row.id());
                insert.setString(2, JSON.writeValueAsString(parsed.rules()));
                insert.setDouble(3, parsed.sampleFraction());
                insert.setString(4, actor.name());
                insert.setLong(5, row.id());
                int revision;
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    revision = rs.getInt(1);
                }
                connection.commit();
                LOG.infof("Review rules of %s version %s replaced by %s: revision %d, %d rules, sample fraction %s",
                        model, row.version(), actor.name(), revision, parsed.rules().size(), parsed.sampleFraction());
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            return load(connection, model, row, 1).get(0);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Failed to store review rules of " + model + ": " + e.getMessage(), e);
        }
    }

    private static List<ReviewRuleSet> load(Connection connection, String model, VersionRow row, int limit)
            throws SQLException {
        List<ReviewRuleSet> result = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT revision, rules, sample_fraction, created_by, created_at FROM review_rule_set "
                        + "WHERE model_version_id = ? ORDER BY revision DESC LIMIT ?")) {
            query.setLong(1, row.id());
            query.setInt(2, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    result.add(new ReviewRuleSet(model, row.version(), rs.getInt(1), false,
                            ReviewRouter.readRules(rs.getString(2)), rs.getDouble(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return result;
    }

    /** Finds a version; a null version is allowed when the model has exactly one. */
    static VersionRow findVersion(Connection connection, String model, String version) throws SQLException {
        List<VersionRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, version, classes FROM model_version WHERE model = ? AND (?::text IS NULL OR version = ?) "
                        + "ORDER BY created_at, id")) {
            query.setString(1, model);
            query.setString(2, version);
            query.setString(3, version);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new VersionRow(rs.getLong(1), rs.getString(2), SqlArrays.strings(rs.getArray(3))));
                }
            }
        }
        if (rows.isEmpty()) {
            throw ApiException.notFound("No model " + model + (version == null ? "" : " version " + version)
                    + " is stored; rules can be set once the version's first prediction is ingested "
                    + "(list models with GET /api/v1/models)");
        }
        if (rows.size() > 1) {
            throw ApiException.badRequest("Model " + model + " has " + rows.size() + " versions "
                    + rows.stream().map(VersionRow::version).toList() + "; choose one with ?version=");
        }
        return rows.get(0);
    }

    private static java.util.Map<String, Object> editable(ReviewRuleSet set) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("rules", set.rules());
        body.put("sampleFraction", set.sampleFraction());
        return body;
    }

    /** Converts a rule set to the JSON body that {@code PUT} accepts, for editing in the UI. */
    public static String toEditableJson(ReviewRuleSet set) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    editable(set));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Review rules cannot be written as JSON", e);
        }
    }
}
