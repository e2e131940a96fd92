package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the digits data against expected-metrics.json, shipped with the data set, to 1e-9. */
class ExpectedMetricsTest {

    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"reference.ndjson", "shifted.ndjson"})
    void arrayMetricsMatchExpected(String file) {
        JsonNode expected = DigitsDataset.expectedMetrics().get(file);
        LabelledPredictions predictions = DigitsDataset.load(file).predictions();

        assertEquals(expected.get("count").asInt(), predictions.size());
        assertEquals(expected.get("accuracy").asDouble(), CalibrationMetrics.accuracy(predictions), TOLERANCE);
        assertEquals(expected.get("meanConfidence").asDouble(), CalibrationMetrics.meanConfidence(predictions), TOLERANCE);
        assertEquals(expected.get("ece15").asDouble(), CalibrationMetrics.ece(predictions, 15), TOLERANCE);
        assertEquals(expected.get("mce15").asDouble(), CalibrationMetrics.mce(predictions, 15), TOLERANCE);
        assertEquals(expected.get("brier").asDouble(), CalibrationMetrics.brier(predictions), TOLERANCE);
        assertEquals(expected.get("nll").asDouble(), CalibrationMetrics.nll(predictions), TOLERANCE);
        assertReliabilityMatches(expected.get("reliability15"), CalibrationMetrics.reliabilityDiagram(predictions, 15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference.ndjson", "shifted.ndjson"})
    void accumulatorMetricsMatchExpected(String file) {
        JsonNode expected = DigitsDataset.expectedMetrics().get(file);
        DigitsDataset data = DigitsDataset.load(file);
        double[][] probabilities = data.probabilities();
        ReliabilityAccumulator sums = new ReliabilityAccumulator(15);
        for (int i = 0; i < probabilities.length; i++) {
            sums.add(probabilities[i], data.labels()[i]);
        }

        assertEquals(expected.get("count").asLong(), sums.count());
        assertEquals(expected.get("accuracy").asDouble(), sums.accuracy(), TOLERANCE);
        assertEquals(expected.get("meanConfidence").asDouble(), sums.meanConfidence(), TOLERANCE);
        assertEquals(expected.get("ece15").asDouble(), sums.ece(), TOLERANCE);
        assertEquals(expected.get("mce15").asDouble(), sums.mce(), TOLERANCE);
        assertEquals(expected.get("brier").asDouble(), sums.brier(), TOLERANCE);
        assertEquals(expected.get("nll").asDouble(), sums.nll(), TOLERANCE);
        assertReliabilityMatches(expected.get("reliability15"), sums.reliabilityDiagram());
    }

    private static void assertReliabilityMatches(JsonNode expected, List<ReliabilityBin> actual) {
        assertEquals(expected.size(), actual.size(), "number of bins");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode bin = expected.get(i);
            ReliabilityBin actualBin = actual.get(i);
            String where = "bin " + i;
            assertEquals(bin.get("lower").asDouble(), actualBin.lower(), 0.0, where + " lower");
            assertEquals(bin.get("upper").asDouble(), actualBin.upper(), 0.0, where + " upper");
            assertEquals(bin.get("count").asLong(), actualBin.count(), where + " count");
            if (bin.has("accuracy")) {
                assertEquals(bin.get("accuracy").asDouble(), actualBin.accuracy(), TOLERANCE, where + " accuracy");
                assertEquals(bin.get("meanConfidence").asDouble(), actualBin.meanConfidence(), TOLERANCE,
                        where + " meanConfidence");
            } else {
                assertEquals(Double.NaN, actualBin.accuracy(), where + " accuracy of an empty bin");
            }
        }
    }
}
