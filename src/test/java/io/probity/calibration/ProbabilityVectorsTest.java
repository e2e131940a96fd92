package io.probity.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProbabilityVectorsTest {

    @Test
    void softmaxMatchesWorkedExample() {
        // The serving-faults README: logits [2.5, 1.2, 0.5] give [0.7103, 0.1936, 0.0961].
        double[] p = ProbabilityVectors.softmax(new double[] {2.5, 1.2, 0.5});

        assertArrayEquals(new double[] {0.7103, 0.1936, 0.0961}, p, 5e-5);
    }

    @Test
    void softmaxSurvivesLargeLogits() {
        double[] p = ProbabilityVectors.softmax(new double[] {1000, 1000});

        assertArrayEquals(new double[] {0.5, 0.5}, p, 0.0);
    }

    @Test
    void softmaxWithTemperatureFlattens() {
        double[] p = ProbabilityVectors.softmax(new double[] {2, 0}, 2.0);

        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ProbabilityVectors.softmax(new double[] {1, 2}, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ProbabilityVectors.softmax(new double[] {Double.NaN}));
    }

    @Test
    void argmaxTakesFirstOfTies() {
        assertEquals(1, ProbabilityVectors.argmax(new double[] {0.2, 0.4, 0.4}));
    }

    @Test
    void marginAndEntropy() {
        assertEquals(0.2, ProbabilityVectors.margin(new double[] {0.2, 0.5, 0.3}), 1e-15);
        assertEquals(0.0, ProbabilityVectors.margin(new double[] {0.5, 0.5}));
        assertEquals(1.0, ProbabilityVectors.normalisedEntropy(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-15);
        assertEquals(0.0, ProbabilityVectors.normalisedEntropy(new double[] {1.0, 0.0, 0.0}));
        assertEquals(0.0, ProbabilityVectors.normalisedEntropy(new double[] {1.0}), "K = 1 has entropy 0");
    }
}
