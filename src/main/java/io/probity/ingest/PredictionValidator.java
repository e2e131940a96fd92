package io.probity.ingest;

import io.probity.audit.AuditResult;
import io.probity.audit.SoftmaxAuditor;
import io.probity.model.ModelRegistry;
import io.probity.model.ModelVersionInfo;
import io.probity.retention.PredictionPartitions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a parsed record, resolves its model version and audits its softmax.
 *
 * <p>A record is rejected only when it cannot be stored meaningfully: a missing model or
 * prediction id, a class list that is missing for a new version or differs from the registered
 * one, a vector whose length is not the number of classes, an unknown predicted or label class,
 * a bad timestamp or temperature. Everything else, including NaN values and a broken softmax,
 * is stored with its audit.
 */
@ApplicationScoped
class PredictionValidator {

    /**
     * Maximum length of a model name, version name or prediction id, in UTF-16 units. A model name and an id
     * share one index entry, and 400 keeps it under PostgreSQL's btree limit of about 2,700 bytes.
     */
    static final int MAX_NAME_LENGTH = 400;

    /** Version name used when a record sends no {@code modelVersion}. */
    static final String DEFAULT_VERSION = "default";

    @Inject
    ModelRegistry registry;

    /** Null in the load test's raw COPY baseline, which builds a validator without CDI. */
    @Inject
    PredictionPartitions partitions;

    /** Returns the row to store, or null after adding the reasons to {@code record.errors}. */
    PredictionRow validate(IncomingPrediction record) {
        if (isBlank(record.model)) {
            record.error("model", "is missing; send the model name, for example \"fraud-screen\"");
        }
        if (isBlank(record.predictionId)) {
            record.error("predictionId", "is missing; send an id that is unique within the model");
        }
        checkText(record, "model", record.model);
        checkText(record, "modelVersion", record.modelVersion);
        checkText(record, "predictionId", record.predictionId);
        if (record.logits == null && record.probabilities == null) {
            record.error("logits", "logits and probabilities are both missing; send at least one of them");
        }
        if (record.classes != null) {
            checkClassNames(record);
        }
        if (!record.errors.isEmpty()) {
            return null;
        }

        String version = isBlank(record.modelVersion) ? DEFAULT_VERSION : record.modelVersion;
        ModelVersionInfo info = resolveVersion(record, version);
        if (info == null) {
            return null;
        }

        int classCount = info.classes().size();
        checkLength(record, "logits", record.logits, classCount);
        checkLength(record, "probabilities", record.probabilities, classCount);
        int predicted = classIndex(record, "predictedClass", record.predictedClassName,
                record.predictedClassIndex, info);
        int label = classIndex(record, "label", record.labelName, record.labelIndex, info);
        Instant eventTime = parseTimestamp(record);
        checkRetention(record, eventTime);
        double temperature = record.temperature == null ? 1.0 : record.temperature;
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            record.error("temperature", "is " + temperature + "; send a finite number above 0, or leave it "
                    + "out for 1.0");
        }
        if (!record.errors.isEmpty()) {
            return null;
        }

        return buildRow(record, info, eventTime, temperature, predicted, label);
    }

    private PredictionRow buildRow(IncomingPrediction record, ModelVersionInfo info, Instant eventTime,
                                   double temperature, int predicted, int label) {
        AuditResult audit = SoftmaxAuditor.audit(record.logits, record.probabilities, predicted, temperature,
                info.auditSettings());

        double[] effective = EffectiveProbabilities.of(record.logits, record.probabilities, temperature);

        int top = -1;
        double confidence = Double.NaN;
        double margin = Double.NaN;
        double entropy = Double.NaN;
        double sumSquares = Double.NaN;
        if (effective != null) {
            VectorSummary summary = VectorSummary.of(effective);
            top = summary.topClass();
            confidence = summary.confidence();
            margin = summary.margin();
            entropy = summary.normalisedEntropy();
            sumSquares = summary.sumSquares();
        }
        double labelProbability = label >= 0 && effective != null ? effective[label] : Double.NaN;

        return new PredictionRow(record.index, record.model, info.id(), record.predictionId, eventTime,
                record.logits, record.probabilities, temperature, predicted, top, confidence, margin, entropy,
                sumSquares, label, labelProbability, record.attributesJson, audit);
    }

    private ModelVersionInfo resolveVersion(IncomingPrediction record, String version) {
        ModelVersionInfo info = registry.find(record.model, version).orElse(null);
        if (info == null) {
            if (record.classes == null || record.classes.isEmpty()) {
                record.error("classes", "is missing, and model " + record.model + " version " + version
                        + " has not been seen before; send the class list with the first record of a version");
                return null;
            }
            return registry.findOrRegister(record.model, version, record.classes);
        }
        if (record.classes != null && !record.classes.equals(info.classes())) {
            record.error("classes", "is " + record.classes + " but model " + record.model + " version " + version
                    + " was registered with " + info.classes() + "; send the registered list in the same order, "
                    + "or use a new modelVersion");
            return null;
        }
        return info;
    }

    private static void checkClassNames(IncomingPrediction record) {
        List<String> classes = record.classes;
        if (classes.isEmpty()) {
            record.error("classes", "is empty; send at least one class name");
            return;
        }
        HashSet<String> seen = new HashSet<>();
        for (String name : classes) {
            if (name == null || name.isBlank()) {
                record.error("classes", "contains an empty class name; every class needs a name");
                return;
            }
            if (name.indexOf('\u0000') >= 0) {
                record.error("classes", "contains a class name with the character U+0000, which PostgreSQL cannot "
                        + "store; remove it from the name");
                return;
            }
            if (!seen.add(name)) {
                record.error("classes", "contains \"" + name + "\" twice; class names must be unique");
                return;
            }
        }
    }

    /** Rejects U+0000, which PostgreSQL text cannot store, and names longer than {@link #MAX_NAME_LENGTH}. */
    private static void checkText(IncomingPrediction record, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\u0000') >= 0) {
            record.error(field, "contains the character U+0000, which PostgreSQL cannot store; remove it");
        } else if (value.length() > MAX_NAME_LENGTH) {
            record.error(field, "has " + value.length() + " characters; send at most " + MAX_NAME_LENGTH);
        }
    }

    private static void checkLength(IncomingPrediction record, String field, double[] values, int classCount) {
        if (values != null && values.length != classCount) {
            record.error(field, "has " + values.length + " values but the model version has " + classCount
                    + " classes; send one value per class, in the order of classes");
        }
    }

    private static int classIndex(IncomingPrediction record, String field, String name, Integer index,
                                  ModelVersionInfo info) {
        if (name != null) {
            int found = info.classIndex(name);
            if (found < 0) {
                record.error(field, "\"" + name + "\" is not a class of model " + info.model() + " version "
                        + info.version() + "; use one of " + info.classes());
            }
            return found;
        }
        if (index != null) {
            if (index < 0 || index >= info.classes().size()) {
                record.error(field, "index " + index + " is out of range; send a class name or an index from 0 to "
                        + (info.classes().size() - 1));
                return -1;
            }
            return index;
        }
        return -1;
    }

    private static Instant parseTimestamp(IncomingPrediction record) {
        if (record.timestamp == null) {
            return Instant.now();
        }
        try {
            return EventTimeParser.parse(record.timestamp);
        } catch (DateTimeParseException e) {
            record.error("timestamp", "\"" + record.timestamp + "\" is not an ISO-8601 date-time with an offset; "
                    + "send for example 2026-06-01T00:00:00Z");
            return null;
        }
    }

    /** Rejects an event time that the retention setting would drop at once. */
    private void checkRetention(IncomingPrediction record, Instant eventTime) {
        Instant cutoff = partitions == null || eventTime == null ? null : partitions.retentionCutoff(Instant.now());
        if (cutoff != null && eventTime.isBefore(cutoff)) {
            record.error("timestamp", "\"" + record.timestamp + "\" is older than the retention period "
                    + partitions.retention().orElseThrow() + ", which keeps predictions from " + cutoff
                    + " on; send predictions from that period, or raise probity.retention");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
