package io.probity.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.audit.AuditResult;
import io.probity.audit.SoftmaxAuditor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.probity.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-side queries over models and single predictions, for the REST API and the views. */
@ApplicationScoped
public class ModelQueryService {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelRegistry registry;

    /** Lists every model with its versions and counts, models and versions in name order. */
    public List<ModelSummary> listModels() {
        String sql = "SELECT v.model, v.version, v.classes, count(p.id), count(p.label), "
                + "count(*) FILTER (WHERE p.verdict = 'fail'), min(p.event_time), max(p.event_time) "
                + "FROM model_version v LEFT JOIN prediction p ON p.model_version_id = v.id "
                + "GROUP BY v.id ORDER BY v.model, v.created_at, v.version";
        Map<String, List<ModelSummary.VersionSummary>> byModel = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                ModelSummary.VersionSummary version = new ModelSummary.VersionSummary(rs.getString(2),
                        SqlArrays.strings(rs.getArray(3)), rs.getLong(4), rs.getLong(5), rs.getLong(4) == 0 ? 0 : rs.getLong(6),
                        instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)));
                byModel.computeIfAbsent(rs.getString(1), m -> new ArrayList<>()).add(version);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to list models: " + e.getMessage(), e);
        }

        List<ModelSummary> models = new ArrayList<>();
        byModel.forEach((model, versions) -> models.add(new ModelSummary(model,
                versions.stream().mapToLong(ModelSummary.VersionSummary::count).sum(),
                versions.stream().mapToLong(ModelSummary.VersionSummary::labeledCount).sum(),
                versions)));
        return models;
    }

    /** Returns the model's summary, or empty when no version of it is stored. */
    public Optional<ModelSummary> findModel(String model) {
        return listModels().stream().filter(m -> m.model().equals(model)).findFirst();
    }

    /** Returns one stored prediction with its audit run again, or empty when it is not stored. */
    public Optional<PredictionDetail> findPrediction(String model, String predictionId) {
        String sql = "SELECT v.version, p.prediction_id, p.event_time, v.classes, p.logits, p.probabilities, "
                + "p.temperature, p.predicted_class, p.top_class, p.confidence, p.margin, p.entropy, p.label, "
                + "p.label_source, p.attributes::text, p.verdict, p.ingested_at "
                + "FROM prediction_key k JOIN prediction p ON p.id = k.prediction_pk AND p.event_time = k.event_time "
                + "JOIN model_version v ON v.id = p.model_version_id WHERE k.model = ? AND k.prediction_id = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, model);
            query.setString(2, predictionId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(toDetail(model, rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read prediction " + model + "/" + predictionId, e);
        }
    }

    private PredictionDetail toDetail(String model, ResultSet rs) throws SQLException {
        String version = rs.getString(1);
        List<String> classes = SqlArrays.strings(rs.getArray(4));
        double[] logits = SqlArrays.doubles(rs.getArray(5));
        double[] probabilities = SqlArrays.doubles(rs.getArray(6));
        double temperature = rs.getDouble(7);
        Integer predicted = optionalInt(rs, 8);
        Integer top = optionalInt(rs, 9);
        Integer label = optionalInt(rs, 13);

        ModelVersionInfo info = registry.find(model, version).orElseThrow();
        AuditResult audit = SoftmaxAuditor.audit(logits, probabilities, predicted == null ? -1 : predicted,
                temperature, info.auditSettings());
        PredictionDetail.AuditDetail auditDetail = new PredictionDetail.AuditDetail(audit.verdict().code(),
                rs.getString(16), audit.causes(), finite(audit.maxAbsDiff()), finite(audit.impliedTemperature()),
                audit.classPermutation(), audit.roundingDecimals() >= 0 ? audit.roundingDecimals() : null,
                finite(audit.klDivergence()), audit.explanation());

        return new PredictionDetail(model, version, rs.getString(2), instant(rs.getTimestamp(3)), classes, logits,
                probabilities, audit.recomputed(), temperature, className(classes, predicted),
                className(classes, top), optionalDouble(rs, 10), optionalDouble(rs, 11), optionalDouble(rs, 12),
                className(classes, label), rs.getString(14), json(rs.getString(15)), auditDetail,
                instant(rs.getTimestamp(17)));
    }



    private static Integer optionalInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double optionalDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String className(List<String> classes, Integer index) {
        return index == null || index < 0 || index >= classes.size() ? null : classes.get(index);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored attributes are not valid JSON", e);
        }
    }
}
