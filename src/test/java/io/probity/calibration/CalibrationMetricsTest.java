package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks calibration statistics against reference-values.json (scikit-learn 1.2.1, SciPy 1.10,
 * NumPy 1.24) to 1e-9, and the documented edge cases.
 */
class CalibrationMetricsTest {

    private static final double TOLERANCE = 1e-9;

    private static JsonNode reference(String dataset) {
        return DigitsDataset.referenceValues().get("calibration").get(dataset);
    }

    private static LabelledPredictions load(String dataset) {
        return DigitsDataset.load(dataset + ".ndjson").predictions();
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void brierMatchesSklearnOneVsRestSum(String dataset) {
        assertEquals(reference(dataset).get("brierSumOfOneVsRest").asDouble(),
                CalibrationMetrics.brier(load(dataset)), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void nllMatchesSklearnLogLoss(String dataset) {
        assertEquals(reference(dataset).get("logLoss").asDouble(), CalibrationMetrics.nll(load(dataset)), TOLERANCE);
    }

    /**
     * calibration_curve(strategy="uniform") reports only non-empty bins, with linspace edges; those
     * equal i/B for B = 15, and for B = 10 no digits confidence lies on the one-ulp differences.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference/uniform15", "reference/uniform10", "shifted/uniform15", "shifted/uniform10"})
    void equalWidthBinsMatchCalibrationCurve(String datasetAndCase) {
        String[] parts = datasetAndCase.split("/");
        JsonNode expected = reference(parts[0]).get(parts[1]);
        int bins = Integer.parseInt(parts[1].substring("uniform".length()));
        LabelledPredictions predictions = load(parts[0]);

        assertNonEmptyBinsMatch(expected, CalibrationMetrics.reliabilityDiagram(predictions, bins));
        assertEquals(expected.get("ece").asDouble(), CalibrationMetrics.ece(predictions, bins), TOLERANCE);
        assertEquals(expected.get("mce").asDouble(), CalibrationMetrics.mce(predictions, bins), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference/quantile10", "reference/quantile15", "shifted/quantile10", "shifted/quantile15"})
    void equalMassBinsMatchCalibrationCurveQuantile(String datasetAndCase) {
        String[] parts = datasetAndCase.split("/");
        JsonNode expected = reference(parts[0]).get(parts[1]);
        int bins = Integer.parseInt(parts[1].substring("quantile".length()));
        LabelledPredictions predictions = load(parts[0]);

        assertNonEmptyBinsMatch(expected, CalibrationMetrics.adaptiveReliabilityDiagram(predictions, bins));
        assertEquals(expected.get("ece").asDouble(), CalibrationMetrics.adaptiveEce(predictions, bins), TOLERANCE);
    }

    private static void assertNonEmptyBinsMatch(JsonNode expected, List<ReliabilityBin> diagram) {
        List<ReliabilityBin> nonEmpty = new ArrayList<>();
        for (ReliabilityBin bin : diagram) {
            if (!bin.isEmpty()) {
                nonEmpty.add(bin);
            }
        }
        assertEquals(expected.get("counts").size(), nonEmpty.size(), "number of non-empty bins");
        for (int i = 0; i < nonEmpty.size(); i++) {
            String where = "non-empty bin " + i;
            assertEquals(expected.get("counts").get(i).asLong(), nonEmpty.get(i).count(), where + " count");
            assertEquals(expected.get("accuracy").get(i).asDouble(), nonEmpty.get(i).accuracy(), TOLERANCE,
                    where + " accuracy");
            assertEquals(expected.get("meanConfidence").get(i).asDouble(), nonEmpty.get(i).meanConfidence(),
                    TOLERANCE, where + " meanConfidence");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void wilsonIntervalsMatchNumpy(String dataset) {
        JsonNode expected = reference(dataset).get("wilson15");
        List<ReliabilityBin> diagram = CalibrationMetrics.reliabilityDiagram(load(dataset), 15);
        for (int i = 0; i < 15; i++) {
            Interval interval = diagram.get(i).accuracyInterval();
            if (expected.get(i).isNull()) {
                assertEquals(Interval.UNDEFINED, interval, "bin " + i);
            } else {
                assertEquals(expected.get(i).get(0).asDouble(), interval.lower(), TOLERANCE, "bin " + i + " lower");
                assertEquals(expected.get(i).get(1).asDouble(), interval.upper(), TOLERANCE, "bin " + i + " upper");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void classwiseEceMatchesPerClassCalibrationCurve(String dataset) {
        assertEquals(reference(dataset).get("classwiseEce15").asDouble(),
                CalibrationMetrics.classwiseEce(load(dataset), 15), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void weightedMetricsMatchSklearnSampleWeight(String dataset) {
        JsonNode expected = reference(dataset).get("weighted");
        DigitsDataset data = DigitsDataset.load(dataset + ".ndjson");
        double[] weights = new double[data.labels().length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + (i % 4);
        }
        LabelledPredictions predictions = LabelledPredictions.weighted(data.probabilities(), data.labels(), weights);

        assertEquals(expected.get("accuracy").asDouble(), CalibrationMetrics.accuracy(predictions), TOLERANCE);
        assertEquals(expected.get("meanConfidence").asDouble(), CalibrationMetrics.meanConfidence(predictions), TOLERANCE);
        assertEquals(expected.get("ece15").asDouble(), CalibrationMetrics.ece(predictions, 15), TOLERANCE);
        assertEquals(expected.get("brierSumOfOneVsRest").asDouble(), CalibrationMetrics.brier(predictions), TOLERANCE);
        assertEquals(expected.get("logLoss").asDouble(), CalibrationMetrics.nll(predictions), TOLERANCE);
    }

    @Test
    void integerWeightsEqualRepeatedRows() {
        double[][] probabilities = {{0.9, 0.1}, {0.6, 0.4}, {0.3, 0.7}};
        int[] labels = {0, 1, 1};
        LabelledPredictions weighted = LabelledPredictions.weighted(probabilities, labels, new double[] {2, 1, 3});
        LabelledPredictions repeated = LabelledPredictions.of(
                new double[][] {{0.9, 0.1}, {0.9, 0.1}, {0.6, 0.4}, {0.3, 0.7}, {0.3, 0.7}, {0.3, 0.7}},
                new int[] {0, 0, 1, 1, 1, 1});

        assertEquals(CalibrationMetrics.ece(repeated, 10), CalibrationMetrics.ece(weighted, 10), 1e-15);
        assertEquals(CalibrationMetrics.classwiseEce(repeated, 10), CalibrationMetrics.classwiseEce(weighted, 10), 1e-15);
        assertEquals(CalibrationMetrics.nll(repeated), CalibrationMetrics.nll(weighted), 1e-15);
        assertEquals(CalibrationMetrics.brier(repeated), CalibrationMetrics.brier(weighted), 1e-15);
    }

    @Test
    void weightedWilsonUsesEffectiveSampleSize() {
        LabelledPredictions predictions = LabelledPredictions.weighted(
                new double[][] {{0.95, 0.05}, {0.95, 0.05}}, new int[] {0, 1}, new double[] {3, 1});
        ReliabilityBin bin = CalibrationMetrics.reliabilityDiagram(predictions, 10).get(9);

        assertEquals(0.75, bin.accuracy(), 1e-15);
        assertEquals(Interval.wilson(0.75, 16.0 / 10.0, Interval.Z_95), bin.accuracyInterval());
    }

    @Test
    void bootstrapIntervalIsSeededAndOrdered() {
        LabelledPredictions predictions = load("shifted");

        Interval first = CalibrationMetrics.bootstrapEceInterval(predictions, 15, 200, 42L);
        Interval second = CalibrationMetrics.bootstrapEceInterval(predictions, 15, 200, 42L);
        Interval otherSeed = CalibrationMetrics.bootstrapEceInterval(predictions, 15, 200, 7L);

        assertEquals(first, second);
        assertFalse(first.equals(otherSeed), "a different seed should draw different resamples");
        assertTrue(first.lower() < first.upper());
        double ece = CalibrationMetrics.ece(predictions, 15);
        assertTrue(first.lower() < ece, "shifted ECE " + ece + " below " + first);
        assertTrue(ece < first.upper(), "shifted ECE " + ece + " above " + first);
    }

    @Test
    void bootstrapRejectsZeroResamples() {
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationMetrics.bootstrapEceInterval(load("reference"), 15, 0, 1L));
    }

    @Test
    void emptyInputGivesNaN() {
        LabelledPredictions empty = LabelledPredictions.of(new double[0][], new int[0]);

        assertEquals(Double.NaN, CalibrationMetrics.accuracy(empty));
        assertEquals(Double.NaN, CalibrationMetrics.meanConfidence(empty));
        assertEquals(Double.NaN, CalibrationMetrics.ece(empty, 15));
        assertEquals(Double.NaN, CalibrationMetrics.mce(empty, 15));
        assertEquals(Double.NaN, CalibrationMetrics.adaptiveEce(empty, 15));
        assertEquals(Double.NaN, CalibrationMetrics.classwiseEce(empty, 15));
        assertEquals(Double.NaN, CalibrationMetrics.brier(empty));
        assertEquals(Double.NaN, CalibrationMetrics.nll(empty));
        assertEquals(Interval.UNDEFINED, CalibrationMetrics.bootstrapEceInterval(empty, 15, 10, 1L));
        assertEquals(15, CalibrationMetrics.reliabilityDiagram(empty, 15).size());
        assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.adaptiveReliabilityDiagram(empty, 15));
    }

    @Test
    void singlePredictionGivesExactValues() {
        LabelledPredictions single = LabelledPredictions.of(new double[][] {{0.2, 0.8}}, new int[] {0});

        assertEquals(0.0, CalibrationMetrics.accuracy(single));
        assertEquals(0.8, CalibrationMetrics.meanConfidence(single));
        assertEquals(0.8, CalibrationMetrics.ece(single, 15), 1e-15);
        assertEquals(0.8, CalibrationMetrics.mce(single, 15), 1e-15);
        assertEquals(0.8, CalibrationMetrics.adaptiveEce(single, 15), 1e-15);
        assertEquals(0.64 + 0.64, CalibrationMetrics.brier(single), 1e-15);
        assertEquals(-Math.log(0.2), CalibrationMetrics.nll(single), 1e-15);
        Interval bootstrap = CalibrationMetrics.bootstrapEceInterval(single, 15, 20, 3L);
        assertEquals(0.8, bootstrap.lower(), 1e-15);
        assertEquals(0.8, bootstrap.upper(), 1e-15);
    }

    @Test
    void allPredictionsInOneBin() {
        LabelledPredictions predictions = LabelledPredictions.of(
                new double[][] {{0.91, 0.09}, {0.92, 0.08}, {0.93, 0.07}, {0.94, 0.06}}, new int[] {0, 0, 0, 1});
        List<ReliabilityBin> diagram = CalibrationMetrics.reliabilityDiagram(predictions, 10);

        assertEquals(4, diagram.get(9).count());
        for (int i = 0; i < 9; i++) {
            assertTrue(diagram.get(i).isEmpty(), "bin " + i + " should be empty");
        }
        assertEquals(Math.abs(0.75 - 0.925), CalibrationMetrics.ece(predictions, 10), 1e-15);
        assertEquals(CalibrationMetrics.ece(predictions, 10), CalibrationMetrics.mce(predictions, 10), 1e-15);
    }

    @Test
    void zeroAndOneConfidenceFallInEndBins() {
        // The first row has confidence 1.0, and the second row's top label has confidence 0.5.
        LabelledPredictions predictions = LabelledPredictions.of(new double[][] {{1.0, 0.0}, {0.5, 0.5}},
                new int[] {0, 1});
        List<ReliabilityBin> diagram = CalibrationMetrics.reliabilityDiagram(predictions, 4);

        assertEquals(1, diagram.get(3).count(), "confidence 1.0 belongs to the last bin");
        assertEquals(1, diagram.get(1).count(), "confidence 0.5 belongs to (0.25, 0.5]");
        assertEquals(0, diagram.get(1).accuracy(), "argmax ties resolve to class 0, which is wrong here");
    }

    @Test
    void zeroWeightsGiveNaN() {
        LabelledPredictions predictions = LabelledPredictions.weighted(new double[][] {{0.7, 0.3}, {0.4, 0.6}},
                new int[] {0, 0}, new double[] {0, 0});

        assertEquals(Double.NaN, CalibrationMetrics.accuracy(predictions));
        assertEquals(Double.NaN, CalibrationMetrics.ece(predictions, 15));
        assertEquals(Double.NaN, CalibrationMetrics.mce(predictions, 15));
        assertEquals(Double.NaN, CalibrationMetrics.classwiseEce(predictions, 15));
        assertEquals(Double.NaN, CalibrationMetrics.brier(predictions));
        assertEquals(Double.NaN, CalibrationMetrics.nll(predictions));
        assertEquals(Interval.UNDEFINED, CalibrationMetrics.bootstrapEceInterval(predictions, 15, 5, 1L));
        ReliabilityBin bin = CalibrationMetrics.reliabilityDiagram(predictions, 15).get(10);
        assertEquals(1, bin.count());
        assertTrue(bin.isEmpty(), "a bin with weight 0 counts as empty");
        assertEquals(Interval.UNDEFINED, bin.accuracyInterval());
    }

    @Test
    void nllClipsZeroProbability() {
        LabelledPredictions predictions = LabelledPredictions.of(new double[][] {{1.0, 0.0}}, new int[] {1});

        assertEquals(-Math.log(1e-15), CalibrationMetrics.nll(predictions), 1e-12);
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.of(new double[][] {{Double.NaN, 0.5}}, new int[] {0}), "NaN probability");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.of(new double[][] {{1.2, -0.2}}, new int[] {0}), "out of [0, 1]");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.of(new double[][] {{0.5, 0.5}}, new int[] {2}), "label out of range");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.of(new double[][] {{0.5, 0.5}, {1.0}}, new int[] {0, 0}), "ragged rows");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.of(new double[][] {{0.5, 0.5}}, new int[] {0, 1}), "length mismatch");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.weighted(new double[][] {{0.5, 0.5}}, new int[] {0}, new double[] {-1}),
                "negative weight");
        assertThrows(IllegalArgumentException.class,
                () -> LabelledPredictions.weighted(new double[][] {{0.5, 0.5}}, new int[] {0},
                        new double[] {Double.NaN}), "NaN weight");
    }
}
