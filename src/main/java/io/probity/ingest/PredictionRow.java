package io.probity.ingest;

import io.probity.audit.AuditResult;

import java.time.Instant;

/**
 * A validated and audited prediction, ready to be written. Class fields are indexes into the
 * model version's class list, -1 when absent; summary fields are NaN when the record has no
 * finite probability vector.
 */
record PredictionRow(
        int index,
        String model,
        long modelVersionId,
        String predictionId,
        Instant eventTime,
        double[] logits,
        double[] probabilities,
        double temperature,
        int predictedClass,
        int topClass,
        double confidence,
        double margin,
        double normalisedEntropy,
        double sumSquares,
        int label,
        double labelProbability,
        String attributesJson,
        AuditResult audit) {
}
