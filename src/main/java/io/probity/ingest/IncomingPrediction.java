package io.probity.ingest;

import io.probity.api.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * One prediction record as parsed from the request, before validation. Fields are null when the
 * record did not send them; {@link #errors} collects type errors found while parsing.
 */
final class IncomingPrediction {

    final int index;
    String model;
    String modelVersion;
    String predictionId;
    String timestamp;
    List<String> classes;
    double[] logits;
    double[] probabilities;
    String predictedClassName;
    Integer predictedClassIndex;
    Double temperature;
    String labelName;
    Integer labelIndex;
    String attributesJson;
    final List<FieldError> errors = new ArrayList<>();

    IncomingPrediction(int index) {
        this.index = index;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }
}
