package io.probity.ingest;

import io.agroal.api.AgroalDataSource;
import io.probity.analytics.RollupStore;
import io.probity.api.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import io.probity.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores ground-truth labels for predictions that are already stored, from the labels API and
 * from the review queue. Setting the label a prediction already has is reported as a duplicate.
 * A different label replaces the old one (a correction). All updates of a request commit
 * together.
 */
@ApplicationScoped
public class LabelService {

    private static final Logger LOG = Logger.getLogger(LabelService.class);

    @Inject
    AgroalDataSource dataSource;

    /**
     * Applies labels and returns one result per record, in input order.
     *
     * @param source where the labels come from, stored with them ({@code api} or {@code review})
     * @param caller the authenticated caller; labels of models it may not write are rejected
     */
    public IngestResponse apply(List<LabelRecord> labels, String source, io.probity.security.Principal caller) {
        RecordResult[] results = new RecordResult[labels.size()];
        Map<String, List<Integer>> indexesByModel = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            LabelRecord label = labels.get(i);
            List<FieldError> errors = new ArrayList<>();
            if (label == null) {
                errors.add(new FieldError("", "record is null; send {model, predictionId, label}"));
            } else {
                if (isBlank(label.model())) {
                    errors.add(new FieldError("model", "is missing; send the model name"));
                }
                if (isBlank(label.predictionId())) {
                    errors.add(new FieldError("predictionId", "is missing; send the id the prediction was ingested with"));
                }
                if (!isBlank(label.model()) && !caller.mayAccessModel(label.model())) {
                    errors.add(new FieldError("model", "\"" + label.model() + "\" is not one of the models "
                            + caller.name() + " may label; ask an admin for a key or account that covers it"));
                }
                if (isBlank(label.label())) {
                    errors.add(new FieldError("label", "is missing; send the true class name"));
                }
                for (String[] field : new String[][] {{"model", label.model()}, {"predictionId", label.predictionId()},
                        {"label", label.label()}}) {
                    if (field[1] != null && field[1].indexOf('\u0000') >= 0) {
                        errors.add(new FieldError(field[0], "contains the character U+0000, which no stored name or "
                                + "id contains; remove it"));
                    }
                }
            }
            if (!errors.isEmpty()) {
                results[i] = new RecordResult(i, label == null ? null : label.predictionId(), RecordResult.REJECTED,
                        null, errors);
            } else {
                indexesByModel.computeIfAbsent(label.model(), m -> new ArrayList<>()).add(i);
            }
        }

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<Integer>> entry : indexesByModel.entrySet()) {
                    applyForModel(connection, entry.getKey(), entry.getValue(), labels, results, source);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to store " + labels.size() + " labels: " + e.getMessage(), e);
        }

        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (RecordResult result : results) {
            switch (result.status()) {
                case RecordResult.ACCEPTED -> accepted++;
                case RecordResult.DUPLICATE -> duplicates++;
                default -> rejected++;
            }
        }
        LOG.infof("Labels from %s: %d accepted, %d unchanged, %d rejected", source, accepted, duplicates, rejected);
        return new IngestResponse(accepted, duplicates, rejected, List.of(results));
    }

    private static void applyForModel(Connection connection, String model, List<Integer> indexes,
                                      List<LabelRecord> labels, RecordResult[] results, String source)
            throws SQLException {
        Map<String, StoredPrediction> stored = load(connection, model, indexes, labels);

        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE prediction SET label = ?, label_probability = ?, label_source = ?, labeled_at = now(), "
                        + "label_weight = NULL WHERE id = ? AND event_time = ?::timestamptz");
             // Resolves the prediction's open review item and records that in the item's history.
             PreparedStatement resolve = connection.prepareStatement(
                     "WITH resolved AS (UPDATE review_item SET state = 'resolved', label = ?, decided_by = ?, "
                             + "decided_at = now() WHERE prediction_pk = ? AND state = 'open' RETURNING id) "
                             + "INSERT INTO review_history (item_id, actor, action, before, after) "
                             + "SELECT id, ?, 'label', jsonb_build_object('state', 'open'), jsonb_build_object("
                             + "'state', 'resolved', 'label', ?::text, 'labelSource', ?::text) FROM resolved")) {
            List<Long> relabelled = new ArrayList<>();
            List<String> relabelledTimes = new ArrayList<>();
            for (int i : indexes) {
                LabelRecord label = labels.get(i);
                StoredPrediction prediction = stored.get(label.predictionId());
                if (prediction == null) {
                    results[i] = rejected(i, label, "predictionId", "no prediction \"" + label.predictionId()
                            + "\" is stored for model " + model + "; ingest the prediction before its label");
                    continue;
                }
                int classIndex = classIndex(prediction.classes, label.label());
                if (classIndex < 0) {
                    results[i] = rejected(i, label, "label", "\"" + label.label() + "\" is not a class of model "
                            + model + " version " + prediction.version + "; use one of " + prediction.classes);
                    continue;
                }
                if (prediction.label != null && prediction.label == classIndex) {
                    results[i] = new RecordResult(i, label.predictionId(), RecordResult.DUPLICATE, null, null);
                    continue;
                }

                double[] effective = EffectiveProbabilities.of(prediction.logits, prediction.probabilities,
                        prediction.temperature);
                update.setShort(1, (short) classIndex);
                if (effective == null) {
                    update.setNull(2, java.sql.Types.DOUBLE);
                } else {
                    update.setDouble(2, effective[classIndex]);
                }
                update.setString(3, source);
                update.setLong(4, prediction.id);
                // The event time lets PostgreSQL skip the other partitions of prediction.
                update.setString(5, prediction.eventTime);
                update.addBatch();
                relabelled.add(prediction.id);
                relabelledTimes.add(prediction.eventTime);
                resolve.setShort(1, (short) classIndex);
                resolve.setString(2, source);
                resolve.setLong(3, prediction.id);
                resolve.setString(4, "labels-" + source);
                resolve.setString(5, label.label());
                resolve.setString(6, source);
                resolve.addBatch();
                prediction.label = classIndex;
                results[i] = new RecordResult(i, label.predictionId(), RecordResult.ACCEPTED, null, null);
            }
            // The rollups' labelled sums follow the label: out with the old one, in with the new one.
            long[] ids = relabelled.stream().mapToLong(Long::longValue).toArray();
            String[] eventTimes = relabelledTimes.toArray(String[]::new);
            RollupStore.moveLabels(connection, ids, eventTimes, -1);
            update.executeBatch();
            RollupStore.moveLabels(connection, ids, eventTimes, 1);
            resolve.executeBatch();
        }
    }

    private static Map<String, StoredPrediction> load(Connection connection, String model, List<Integer> indexes,
                                                      List<LabelRecord> labels) throws SQLException {
        String[] ids = indexes.stream().map(i -> labels.get(i).predictionId()).toArray(String[]::new);
        Map<String, StoredPrediction> stored = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT p.id, p.prediction_id, p.label, p.logits, p.probabilities, p.temperature, v.classes, v.version, "
                        + "p.event_time "
                        + "FROM prediction_key k JOIN prediction p ON p.id = k.prediction_pk AND p.event_time = k.event_time "
                        + "JOIN model_version v ON v.id = p.model_version_id "
                        + "WHERE k.model = ? AND k.prediction_id = ANY (?) FOR UPDATE OF p")) {
            query.setString(1, model);
            query.setArray(2, connection.createArrayOf("text", ids));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    StoredPrediction p = new StoredPrediction();
                    p.id = rs.getLong(1);
                    int label = rs.getInt(3);
                    p.label = rs.wasNull() ? null : label;
                    p.logits = SqlArrays.doubles(rs.getArray(4));
                    p.probabilities = SqlArrays.doubles(rs.getArray(5));
                    p.temperature = rs.getDouble(6);
                    p.classes = SqlArrays.strings(rs.getArray(7));
                    p.version = rs.getString(8);
                    p.eventTime = rs.getObject(9, OffsetDateTime.class).toInstant().toString();
                    stored.put(rs.getString(2), p);
                }
            }
        }
        return stored;
    }


    /**
     * Returns the index of a class given by name or, when no class has that name, by its index
     * written as a whole number; -1 when it is neither.
     */
    static int classIndex(List<String> classes, String label) {
        int byName = classes.indexOf(label);
        if (byName >= 0) {
            return byName;
        }
        try {
            int index = Integer.parseInt(label.trim());
            return index >= 0 && index < classes.size() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static RecordResult rejected(int index, LabelRecord label, String field, String message) {
        return new RecordResult(index, label.predictionId(), RecordResult.REJECTED, null,
                List.of(new FieldError(field, message)));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static final class StoredPrediction {
        long id;
        Integer label;
        double[] logits;
        double[] probabilities;
        double temperature;
        List<String> classes;
        String version;
        /** The partition key, as ISO-8601 text in UTC, so that no time zone of the JVM can shift it. */
        String eventTime;
    }
}
