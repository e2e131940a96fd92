package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemperatureScalingTest {

    @ParameterizedTest
    @ValueSource(strings = {"reference", "shifted"})
    void fitMatchesScipy(String dataset) {
        JsonNode expected = DigitsDataset.referenceValues().get("temperature").get(dataset);
        DigitsDataset data = DigitsDataset.load(dataset + ".ndjson");

        TemperatureScaling.Result result = TemperatureScaling.fit(data.logits(), data.labels(), 15);

        assertEquals(expected.get("temperatureMinimizeScalar").asDouble(), result.temperature(), 1e-6,
                "minimize_scalar on log T");
        assertEquals(expected.get("temperatureGradientRoot").asDouble(), result.temperature(), 1e-9,
                "brentq root of dNLL/dbeta");
        assertEquals(expected.get("nllAfter").asDouble(), result.nllAfter(), 1e-9);
        assertEquals(expected.get("ece15After").asDouble(), result.eceAfter(), 1e-9);
        assertEquals(DigitsDataset.expectedMetrics().get(dataset + ".ndjson").get("ece15").asDouble(),
                result.eceBefore(), 1e-9);
        assertTrue(result.nllAfter() <= result.nllBefore(), "the fit minimises NLL, so it cannot raise it");
        assertEquals(15, result.reliabilityAfter().size());
    }

    @Test
    void fitOnShiftedLowersEce() {
        DigitsDataset shifted = DigitsDataset.load("shifted.ndjson");

        TemperatureScaling.Result result = TemperatureScaling.fit(shifted.logits(), shifted.labels(), 15);

        assertTrue(result.temperature() > 1, "the shifted model is overconfident, so T > 1");
        assertTrue(result.eceAfter() < result.eceBefore(), result.eceAfter() + " >= " + result.eceBefore());
    }

    @Test
    void separableDataHitsLowerBound() {
        double[][] logits = {{2, 0}, {0, 3}};

        assertEquals(TemperatureScaling.MIN_TEMPERATURE, TemperatureScaling.fitTemperature(logits, new int[] {0, 1}, null));
    }

    @Test
    void weightsChangeTheFit() {
        double[][] logits = {{2, 0}, {2, 0}, {0, 1}};
        int[] labels = {0, 1, 1};

        double unweighted = TemperatureScaling.fitTemperature(logits, labels, null);
        double weighted = TemperatureScaling.fitTemperature(logits, labels, new double[] {2, 1, 1});
        double repeated = TemperatureScaling.fitTemperature(new double[][] {{2, 0}, {2, 0}, {2, 0}, {0, 1}},
                new int[] {0, 0, 1, 1}, null);

        assertEquals(repeated, weighted, 1e-9);
        assertTrue(Math.abs(weighted - unweighted) > 1e-3);
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fitTemperature(new double[0][], new int[0], null));
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fitTemperature(new double[][] {{1, 0}}, new int[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fitTemperature(new double[][] {{Double.NaN, 0}}, new int[] {0}, null));
    }
}
