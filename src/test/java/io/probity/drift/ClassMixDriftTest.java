package io.probity.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.calibration.DigitsDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassMixDriftTest {

    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"referenceToShifted", "referenceHalves"})
    void chiSquareAndPsiMatchScipy(String comparison) {
        JsonNode expected = DigitsDataset.referenceValues().get("drift").get(comparison);
        double[][] reference = DigitsDataset.load("reference.ndjson").probabilities();
        double[][] baseline = reference;
        double[][] current = DigitsDataset.load("shifted.ndjson").probabilities();
        if (comparison.equals("referenceHalves")) {
            baseline = Arrays.copyOfRange(reference, 0, 450);
            current = Arrays.copyOfRange(reference, 450, reference.length);
        }

        ClassMixDrift drift = ClassMixDrift.compare(ClassMixDrift.predictedClassCounts(baseline, 10),
                ClassMixDrift.predictedClassCounts(current, 10));

        assertEquals(expected.get("classChiSquare").asDouble(), drift.chiSquare(), TOLERANCE);
        assertEquals(9, drift.degreesOfFreedom());
        double pValue = expected.get("classChiSquarePValue").asDouble();
        assertEquals(pValue, drift.pValue(), TOLERANCE * pValue, "relative to 1e-9");
        assertEquals(expected.get("classPsi").asDouble(), drift.psi(), TOLERANCE);
    }

    @Test
    void predictedClassCountsMatchNumpy() {
        JsonNode expected = DigitsDataset.referenceValues().get("calibration").get("shifted").get("predictedClassCounts");
        long[] counts = ClassMixDrift.predictedClassCounts(DigitsDataset.load("shifted.ndjson").probabilities(), 10);

        for (int k = 0; k < 10; k++) {
            assertEquals(expected.get(k).asLong(), counts[k], "class " + k);
        }
    }

    @Test
    void classUnseenInBaselineGivesInfiniteStatistic() {
        ClassMixDrift drift = ClassMixDrift.compare(new long[] {10, 10, 0}, new long[] {10, 10, 1});

        assertEquals(Double.POSITIVE_INFINITY, drift.chiSquare());
        assertEquals(0.0, drift.pValue());
    }

    @Test
    void classAbsentFromBothIsLeftOut() {
        ClassMixDrift drift = ClassMixDrift.compare(new long[] {10, 30, 0}, new long[] {20, 20, 0});

        assertEquals(1, drift.degreesOfFreedom());
        assertEquals(Math.pow(10, 2) / 10 + Math.pow(10, 2) / 30, drift.chiSquare(), 1e-12);
    }

    @Test
    void emptyWindowGivesNaN() {
        ClassMixDrift drift = ClassMixDrift.compare(new long[] {0, 0}, new long[] {1, 1});

        assertEquals(Double.NaN, drift.chiSquare());
        assertEquals(Double.NaN, drift.pValue());
        assertArrayEquals(new long[] {0, 0}, ClassMixDrift.predictedClassCounts(new double[0][], 2));
    }
}
