package io.probity.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.probity.calibration.CalibrationMetrics;
import io.probity.calibration.DigitsDataset;
import io.probity.calibration.LabelledPredictions;
import io.probity.calibration.ReliabilityAccumulator;
import org.junit.jupiter.api.Test;

class PerformanceEstimationTest {

    private static final double TOLERANCE = 1e-9;

    @Test
    void estimateMatchesNumpyReference() {
        double expected = DigitsDataset.referenceValues().get("estimatedAccuracy15").get("shiftedFromReference").asDouble();
        ReliabilityAccumulator baseline = ReliabilityAccumulator.of(DigitsDataset.load("reference.ndjson").predictions(), 15);
        DigitsDataset shifted = DigitsDataset.load("shifted.ndjson");

        double estimate = PerformanceEstimation.estimateAccuracy(baseline, shifted.probabilities());

        assertEquals(expected, estimate, TOLERANCE);
        assertTrue(estimate > CalibrationMetrics.accuracy(shifted.predictions()),
                "the shift also breaks calibration, so the estimate should overestimate accuracy");
    }

    @Test
    void halvesEstimateMatchesNumpyReference() {
        double expected = DigitsDataset.referenceValues().get("estimatedAccuracy15").get("referenceRestFromFirst").asDouble();
        LabelledPredictions reference = DigitsDataset.load("reference.ndjson").predictions();
        ReliabilityAccumulator baseline = ReliabilityAccumulator.of(reference.slice(0, 450), 15);

        double estimate = PerformanceEstimation.estimateAccuracy(baseline,
                reference.slice(450, reference.size()).confidences());

        assertEquals(expected, estimate, TOLERANCE);
    }

    @Test
    void estimateOnBaselineItselfEqualsItsAccuracy() {
        LabelledPredictions reference = DigitsDataset.load("reference.ndjson").predictions();
        ReliabilityAccumulator baseline = ReliabilityAccumulator.of(reference, 15);

        assertEquals(baseline.accuracy(), PerformanceEstimation.estimateAccuracy(baseline, reference.confidences()), 1e-12);
    }

    @Test
    void accumulatorEstimateEqualsArrayEstimate() {
        ReliabilityAccumulator baseline = ReliabilityAccumulator.of(DigitsDataset.load("reference.ndjson").predictions(), 15);
        LabelledPredictions shifted = DigitsDataset.load("shifted.ndjson").predictions();

        assertEquals(PerformanceEstimation.estimateAccuracy(baseline, shifted.confidences()),
                PerformanceEstimation.estimateAccuracy(baseline, ReliabilityAccumulator.of(shifted, 15)), 1e-12);
    }

    @Test
    void emptyBaselineBinFallsBackToConfidence() {
        ReliabilityAccumulator baseline = new ReliabilityAccumulator(10).add(new double[] {0.95, 0.05}, 1);

        assertEquals((0.0 + 0.55) / 2, PerformanceEstimation.estimateAccuracy(baseline, new double[] {0.97, 0.55}), 1e-15);
    }

    @Test
    void emptyOrInvalidInput() {
        ReliabilityAccumulator baseline = new ReliabilityAccumulator(10);

        assertEquals(Double.NaN, PerformanceEstimation.estimateAccuracy(baseline, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> PerformanceEstimation.estimateAccuracy(baseline, new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> PerformanceEstimation.estimateAccuracy(baseline, new ReliabilityAccumulator(15)));
    }
}
