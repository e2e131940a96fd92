package io.probity.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.calibration.DigitsDataset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramTest {

    private static long[] toLongs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference.ndjson", "shifted.ndjson"})
    void confidenceHistogramMatchesExpected(String file) {
        JsonNode expected = DigitsDataset.expectedMetrics().get(file).get("confidenceHistogram10");

        Histogram histogram = Histogram.of(DigitsDataset.load(file).confidences(), 10);

        assertArrayEquals(toLongs(expected), histogram.counts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void distributionMatchesNumpyHistogram(String dataset) {
        JsonNode expected = DigitsDataset.referenceValues().get("calibration").get(dataset);
        double[][] probabilities = DigitsDataset.load(dataset + ".ndjson").probabilities();

        ConfidenceDistribution overall = ConfidenceDistribution.of(probabilities, 10);
        List<ConfidenceDistribution> perClass = ConfidenceDistribution.perPredictedClass(probabilities, 10, 10);

        JsonNode histograms = expected.get("histograms10");
        assertArrayEquals(toLongs(histograms.get("confidence")), overall.confidence().counts());
        assertArrayEquals(toLongs(histograms.get("margin")), overall.margin().counts());
        assertArrayEquals(toLongs(histograms.get("normalisedEntropy")), overall.normalisedEntropy().counts());
        for (int k = 0; k < 10; k++) {
            assertArrayEquals(toLongs(expected.get("perPredictedClassConfidence10").get(k)),
                    perClass.get(k).confidence().counts(), "predicted class " + k);
        }
        ConfidenceDistribution summed = ConfidenceDistribution.of(new double[0][], 10);
        for (ConfidenceDistribution distribution : perClass) {
            summed = summed.merge(distribution);
        }
        assertEquals(overall, summed, "per-class histograms add up to the overall ones");
    }

    @Test
    void edgesFollowNumpyLinspace() {
        assertEquals(0.30000000000000004, Histogram.edge(3, 10));
        assertEquals(1.0, Histogram.edge(10, 10));
        assertEquals(2, Histogram.binIndex(0.3, 10), "0.3 lies below NumPy's edge 0.30000000000000004");
        assertEquals(3, Histogram.binIndex(0.30000000000000004, 10));
        assertEquals(0, Histogram.binIndex(0.0, 10));
        assertEquals(9, Histogram.binIndex(1.0, 10), "the last bin is closed");
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 15, 20})
    void fineBinsCoarsenToDirectBins(int bins) {
        double[] confidences = DigitsDataset.load("shifted.ndjson").confidences();

        Histogram coarse = Histogram.of(confidences, 60).coarsen(bins);

        assertEquals(Histogram.of(confidences, bins), coarse);
    }

    @Test
    void mergeAddsCounts() {
        Histogram merged = Histogram.fromCounts(new long[] {1, 2}).merge(Histogram.fromCounts(new long[] {3, 0}));

        assertArrayEquals(new long[] {4, 2}, merged.counts());
        assertEquals(6, merged.total());
        assertArrayEquals(new double[] {4 / 6.0, 2 / 6.0}, merged.proportions(), 1e-15);
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[] {Double.NaN}, 10));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[] {1.5}, 10));
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromCounts(new long[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> Histogram.empty(15).coarsen(10));
        assertThrows(IllegalArgumentException.class, () -> Histogram.empty(10).merge(Histogram.empty(15)));
    }

    @Test
    void emptyHistogramHasNaNProportions() {
        Histogram empty = Histogram.of(new double[0], 5);

        assertEquals(0, empty.total());
        assertEquals(Double.NaN, empty.proportions()[0]);
    }
}
