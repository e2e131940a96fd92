package io.probity.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The digits demo data (899 predictions per file, classes "0" to "9") and the JSON files of expected
 * values, read from the test classpath. Probabilities are the float64 softmax of the {@code logits}
 * field, as the expected values were computed, not the float32 {@code probabilities} field.
 */
public record DigitsDataset(double[][] logits, int[] labels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads {@code reference.ndjson} or {@code shifted.ndjson} from {@code demo/digits}. */
    public static DigitsDataset load(String fileName) {
        List<double[]> logits = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream stream = resource("/demo/digits/" + fileName);
                BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JSON.readTree(line);
                double[] values = new double[row.get("logits").size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = row.get("logits").get(k).doubleValue();
                }
                logits.add(values);
                labels.add(Integer.parseInt(row.get("label").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + fileName, e);
        }
        return new DigitsDataset(logits.toArray(new double[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Reads {@code datasets/digits/expected-metrics.json}, the values computed with the data set. */
    public static JsonNode expectedMetrics() {
        return readJson("/datasets/digits/expected-metrics.json");
    }

    /** Reads {@code reference/reference-values.json}, written by {@code compute_references.py}. */
    public static JsonNode referenceValues() {
        return readJson("/reference/reference-values.json");
    }

    /** Returns the float64 softmax of every row's logits. */
    public double[][] probabilities() {
        double[][] probabilities = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = ProbabilityVectors.softmax(logits[i]);
        }
        return probabilities;
    }

    /** Returns the rows as an unweighted batch. */
    public LabelledPredictions predictions() {
        return LabelledPredictions.of(probabilities(), labels);
    }

    /** Returns the top-label confidence of every row. */
    public double[] confidences() {
        return predictions().confidences();
    }

    private static JsonNode readJson(String path) {
        try (InputStream stream = resource(path)) {
            return JSON.readTree(stream);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + path, e);
        }
    }

    private static InputStream resource(String path) {
        InputStream stream = DigitsDataset.class.getResourceAsStream(path);
        if (stream == null) {
            throw new IllegalStateException("test resource " + path + " not found on the classpath");
        }
        return stream;
    }
}
