package io.probity.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.calibration.DigitsDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks drift statistics against reference-values.json (NumPy 1.24, SciPy 1.10) to 1e-9. */
class DistributionDriftTest {

    private static final double TOLERANCE = 1e-9;

    /** Returns {baseline, current} confidences for "referenceToShifted" or "referenceHalves". */
    static double[][] windows(String comparison) {
        double[] reference = DigitsDataset.load("reference.ndjson").confidences();
        if (comparison.equals("referenceHalves")) {
            return new double[][] {Arrays.copyOfRange(reference, 0, 450),
                Arrays.copyOfRange(reference, 450, reference.length)};
        }
        return new double[][] {reference, DigitsDataset.load("shifted.ndjson").confidences()};
    }

    private static JsonNode expected(String comparison) {
        return DigitsDataset.referenceValues().get("drift").get(comparison);
    }

    @ParameterizedTest
    @ValueSource(strings = {"referenceToShifted", "referenceHalves"})
    void psiAndJensenShannonMatchReference(String comparison) {
        double[][] windows = windows(comparison);
        Histogram baseline = Histogram.of(windows[0], 10);
        Histogram current = Histogram.of(windows[1], 10);

        assertEquals(expected(comparison).get("confidencePsi10").asDouble(), DistributionDrift.psi(baseline, current),
                TOLERANCE);
        assertEquals(expected(comparison).get("confidenceJensenShannon10").asDouble(),
                DistributionDrift.jensenShannonDistance(baseline, current), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"referenceToShifted", "referenceHalves"})
    void kolmogorovSmirnovMatchesScipy(String comparison) {
        double[][] windows = windows(comparison);

        DistributionDrift.KolmogorovSmirnov ks = DistributionDrift.kolmogorovSmirnov(windows[0], windows[1]);

        assertEquals(expected(comparison).get("ksStatistic").asDouble(), ks.statistic(), TOLERANCE);
        double pValue = expected(comparison).get("ksPValueKstwobign").asDouble();
        assertEquals(pValue, ks.pValue(), Math.max(TOLERANCE * pValue, 1e-300), "relative to 1e-9 for tiny p-values");
    }

    @Test
    void shiftedConfidenceDriftsStrongly() {
        double[][] windows = windows("referenceToShifted");

        double psi = DistributionDrift.psi(Histogram.of(windows[0], 10), Histogram.of(windows[1], 10));

        assertTrue(psi > 0.2, "PSI " + psi + " should exceed 0.2 for the shifted window");
    }

    @Test
    void referenceHalvesDoNotDrift() {
        double[][] windows = windows("referenceHalves");

        double psi = DistributionDrift.psi(Histogram.of(windows[0], 10), Histogram.of(windows[1], 10));

        assertTrue(psi < 0.1, "PSI " + psi + " should stay below 0.1 between halves of one window");
    }

    @Test
    void identicalDistributionsGiveZero() {
        long[] counts = {5, 0, 3, 2};

        assertEquals(0.0, DistributionDrift.psi(counts, counts), 0.0);
        assertEquals(0.0, DistributionDrift.jensenShannonDistance(counts, counts), 0.0);
        DistributionDrift.KolmogorovSmirnov ks = DistributionDrift.kolmogorovSmirnov(new double[] {0.1, 0.5},
                new double[] {0.5, 0.1});
        assertEquals(0.0, ks.statistic());
        assertEquals(1.0, ks.pValue());
    }

    @Test
    void emptyBinUsesEpsilon() {
        double b = 1e-4;
        double expected = (0.5 - b) * Math.log(0.5 / b) + (0.5 - 1.0) * Math.log(0.5 / 1.0);

        assertEquals(expected, DistributionDrift.psi(new long[] {0, 10}, new long[] {5, 5}), 1e-15);
    }

    @Test
    void disjointDistributionsHaveJensenShannonOne() {
        assertEquals(1.0, DistributionDrift.jensenShannonDistance(new long[] {4, 0}, new long[] {0, 7}), 1e-15);
    }

    @Test
    void kolmogorovSmirnovHandlesTies() {
        // F_a and F_b differ most after the tied value 0.2: 3/4 against 1/3.
        DistributionDrift.KolmogorovSmirnov ks = DistributionDrift.kolmogorovSmirnov(
                new double[] {0.2, 0.2, 0.2, 0.9}, new double[] {0.2, 0.5, 0.6});

        assertEquals(0.75 - 1.0 / 3, ks.statistic(), 1e-15);
    }

    @Test
    void emptyInputGivesNaN() {
        assertEquals(Double.NaN, DistributionDrift.psi(new long[] {0, 0}, new long[] {1, 2}));
        assertEquals(Double.NaN, DistributionDrift.jensenShannonDistance(new long[] {1, 2}, new long[] {0, 0}));
        assertEquals(Double.NaN, DistributionDrift.kolmogorovSmirnov(new double[0], new double[] {0.5}).statistic());
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DistributionDrift.psi(new long[] {1}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> DistributionDrift.psi(new long[] {-1, 2}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> DistributionDrift.kolmogorovSmirnov(new double[] {Double.NaN}, new double[] {0.5}));
    }

    @Test
    void survivalFunctionsMatchKnownQuantiles() {
        assertEquals(0.05, SpecialFunctions.chiSquareSurvival(3.841458820694124, 1), 1e-12);
        assertEquals(0.05, SpecialFunctions.chiSquareSurvival(16.918977604620448, 9), 1e-12);
        assertEquals(0.05, SpecialFunctions.kolmogorovSurvival(1.3580986393225505), 1e-12);
        assertEquals(0.9999999999999, SpecialFunctions.kolmogorovSurvival(0.2), 1e-12);
        assertEquals(1.0, SpecialFunctions.kolmogorovSurvival(0.0));
    }
}
