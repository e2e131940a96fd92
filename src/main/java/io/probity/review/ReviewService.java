package io.probity.review;

import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.db.SqlArrays;
import io.probity.ingest.EffectiveProbabilities;
import io.probity.ingest.IngestResponse;
import io.probity.ingest.LabelRecord;
import io.probity.ingest.LabelService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First cut of the human review queue. Ingestion queues predictions without a label whose
 * confidence is below 0.6 or whose audit failed; resolving an item stores the chosen class as
 * the prediction's label (source {@code review}), so it counts in the calibration figures.
 */
@ApplicationScoped
public class ReviewService {

    private static final Logger LOG = Logger.getLogger(ReviewService.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LabelService labelService;

    /** Returns open items, oldest prediction first, optionally for one model. */
    public List<ReviewItem> openItems(String model, int limit) {
        String sql = "SELECT r.id, p.model, v.version, p.prediction_id, p.event_time, r.reason, r.state, r.created_at, "
                + "v.classes, p.logits, p.probabilities, p.temperature, p.top_class, p.confidence, p.causes "
                + "FROM review_item r JOIN prediction p ON p.id = r.prediction_pk "
                + "JOIN model_version v ON v.id = r.model_version_id "
                + "WHERE r.state = 'open' AND (?::text IS NULL OR p.model = ?) "
                + "ORDER BY p.event_time, r.id LIMIT ?";
        List<ReviewItem> items = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, model);
            query.setString(2, model);
            query.setInt(3, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    items.add(toItem(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list review items: " + e.getMessage(), e);
        }
        return items;
    }

    /** Returns the number of items per state. */
    public Map<String, Long> countsByState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("open", 0L);
        counts.put("resolved", 0L);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT state, count(*) FROM review_item GROUP BY state");
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count review items: " + e.getMessage(), e);
        }
        return counts;
    }

    /**
     * Resolves an open item with the true class chosen by a reviewer.
     *
     * @throws ApiException 404 when the item does not exist, 409 when it is already resolved,
     *                      400 when the class is not one of the model version's classes
     */
    public void resolve(long itemId, String label, String reviewer, String note) {
        String model;
        String predictionId;
        String state;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT p.model, p.prediction_id, r.state FROM review_item r "
                             + "JOIN prediction p ON p.id = r.prediction_pk WHERE r.id = ?")) {
            query.setLong(1, itemId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Review item " + itemId + " does not exist");
                }
                model = rs.getString(1);
                predictionId = rs.getString(2);
                state = rs.getString(3);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read review item " + itemId, e);
        }
        if (!"open".equals(state)) {
            throw new ApiException(409, "conflict", "Review item " + itemId + " is already " + state);
        }

        IngestResponse response = labelService.apply(List.of(new LabelRecord(model, predictionId, label)), "review",
                io.probity.security.Principal.SYSTEM);
        if (response.rejected() > 0) {
            throw ApiException.badRequest(response.results().get(0).errors().get(0).message());
        }

        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE review_item SET state = 'resolved', resolved_by = ?, resolved_at = now(), note = ? "
                             + "WHERE id = ?")) {
            update.setString(1, reviewer);
            update.setString(2, note == null || note.isBlank() ? null : note);
            update.setLong(3, itemId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to resolve review item " + itemId, e);
        }
        LOG.infof("Review item %d (model %s, prediction %s) resolved by %s as %s", itemId, model, predictionId,
                reviewer, label);
    }

    private static ReviewItem toItem(ResultSet rs) throws SQLException {
        List<String> classes = SqlArrays.strings(rs.getArray(9));
        double[] effective = EffectiveProbabilities.of(SqlArrays.doubles(rs.getArray(10)),
                SqlArrays.doubles(rs.getArray(11)), rs.getDouble(12));
        int top = rs.getInt(13);
        String topClass = rs.wasNull() ? null : classes.get(top);
        double confidence = rs.getDouble(14);
        Double confidenceValue = rs.wasNull() ? null : confidence;
        return new ReviewItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                classes, effective, topClass, confidenceValue, SqlArrays.strings(rs.getArray(15)));
    }
}
