package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that stored, merged and coarsened sums give the array results to 1e-12. */
class ReliabilityAccumulatorTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void mergedChunksEqualArrayMetrics() {
        LabelledPredictions predictions = DigitsDataset.load("shifted.ndjson").predictions();
        ReliabilityAccumulator merged = new ReliabilityAccumulator(15);
        for (int from = 0; from < predictions.size(); from += 100) {
            LabelledPredictions chunk = predictions.slice(from, Math.min(predictions.size(), from + 100));
            merged.merge(ReliabilityAccumulator.of(chunk, 15));
        }

        assertEquals(predictions.size(), merged.count());
        assertMetricsEqual(predictions, merged, 15);
    }

    @Test
    void restoredSumsEqualOriginal() {
        LabelledPredictions predictions = DigitsDataset.load("reference.ndjson").predictions();
        ReliabilityAccumulator original = ReliabilityAccumulator.of(predictions, 15);

        ReliabilityAccumulator restored = ReliabilityAccumulator.restore(original.binSums(), original.brierSum(),
                original.nllSum());

        assertEquals(original.binSums(), restored.binSums());
        assertMetricsEqual(predictions, restored, 15);
    }

    @Test
    void coarsenedFineBinsEqualDirectBins() {
        LabelledPredictions predictions = DigitsDataset.load("shifted.ndjson").predictions();
        ReliabilityAccumulator fine = ReliabilityAccumulator.of(predictions, 60);

        for (int bins : new int[] {10, 15, 30}) {
            ReliabilityAccumulator coarse = fine.coarsen(bins);
            List<ReliabilityBin> direct = CalibrationMetrics.reliabilityDiagram(predictions, bins);
            for (int i = 0; i < bins; i++) {
                assertEquals(direct.get(i).count(), coarse.reliabilityDiagram().get(i).count(), bins + " bins, bin " + i);
            }
            assertMetricsEqual(predictions, coarse, bins);
        }
    }

    @Test
    void weightedMergeEqualsArrayMetrics() {
        DigitsDataset data = DigitsDataset.load("shifted.ndjson");
        double[][] probabilities = data.probabilities();
        double[] weights = new double[probabilities.length];
        ReliabilityAccumulator first = new ReliabilityAccumulator(15);
        ReliabilityAccumulator second = new ReliabilityAccumulator(15);
        for (int i = 0; i < probabilities.length; i++) {
            weights[i] = 0.5 + (i % 7) * 0.25;
            (i % 2 == 0 ? first : second).add(probabilities[i], data.labels()[i], weights[i]);
        }
        LabelledPredictions predictions = LabelledPredictions.weighted(probabilities, data.labels(), weights);

        assertMetricsEqual(predictions, first.copy().merge(second), 15);
    }

    @Test
    void mergeRejectsDifferentBins() {
        assertThrows(IllegalArgumentException.class,
                () -> new ReliabilityAccumulator(15).merge(new ReliabilityAccumulator(10)));
    }

    @Test
    void coarsenRejectsNonDivisor() {
        assertThrows(IllegalArgumentException.class, () -> new ReliabilityAccumulator(15).coarsen(10));
    }

    @Test
    void addRejectsInvalidInput() {
        ReliabilityAccumulator sums = new ReliabilityAccumulator(15);

        assertThrows(IllegalArgumentException.class, () -> sums.add(new double[] {Double.NaN, 1.0}, 0));
        assertThrows(IllegalArgumentException.class, () -> sums.add(new double[] {0.5, 0.5}, 2));
        assertThrows(IllegalArgumentException.class, () -> sums.add(new double[] {0.5, 0.5}, 0, -1.0));
        assertEquals(0, sums.count(), "rejected predictions leave the sums unchanged");
    }

    @Test
    void emptyAccumulatorGivesNaN() {
        ReliabilityAccumulator sums = new ReliabilityAccumulator(15);

        assertEquals(0, sums.count());
        assertEquals(Double.NaN, sums.accuracy());
        assertEquals(Double.NaN, sums.ece());
        assertEquals(Double.NaN, sums.mce());
        assertEquals(Double.NaN, sums.brier());
        assertEquals(Double.NaN, sums.nll());
    }

    private static void assertMetricsEqual(LabelledPredictions predictions, ReliabilityAccumulator sums, int bins) {
        assertEquals(CalibrationMetrics.accuracy(predictions), sums.accuracy(), TOLERANCE, "accuracy");
        assertEquals(CalibrationMetrics.meanConfidence(predictions), sums.meanConfidence(), TOLERANCE, "meanConfidence");
        assertEquals(CalibrationMetrics.ece(predictions, bins), sums.ece(), TOLERANCE, "ece");
        assertEquals(CalibrationMetrics.mce(predictions, bins), sums.mce(), TOLERANCE, "mce");
        assertEquals(CalibrationMetrics.brier(predictions), sums.brier(), TOLERANCE, "brier");
        assertEquals(CalibrationMetrics.nll(predictions), sums.nll(), TOLERANCE, "nll");
        List<ReliabilityBin> expected = CalibrationMetrics.reliabilityDiagram(predictions, bins);
        List<ReliabilityBin> actual = sums.reliabilityDiagram();
        for (int i = 0; i < bins; i++) {
            assertEquals(expected.get(i).count(), actual.get(i).count(), "bin " + i + " count");
            assertEquals(expected.get(i).weight(), actual.get(i).weight(), TOLERANCE, "bin " + i + " weight");
            assertEquals(expected.get(i).accuracy(), actual.get(i).accuracy(), TOLERANCE, "bin " + i + " accuracy");
            assertEquals(expected.get(i).meanConfidence(), actual.get(i).meanConfidence(), TOLERANCE,
                    "bin " + i + " meanConfidence");
            assertEquals(expected.get(i).accuracyInterval().lower(), actual.get(i).accuracyInterval().lower(), TOLERANCE,
                    "bin " + i + " interval lower");
        }
    }
}
