package io.probity.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.calibration.DigitsDataset;
import io.probity.calibration.ReliabilityAccumulator;
import org.junit.jupiter.api.Test;

class CalibrationChangeTest {

    @Test
    void changeMatchesExpectedMetrics() {
        JsonNode expected = DigitsDataset.expectedMetrics();
        ReliabilityAccumulator baseline = ReliabilityAccumulator.of(DigitsDataset.load("reference.ndjson").predictions(), 15);
        ReliabilityAccumulator current = ReliabilityAccumulator.of(DigitsDataset.load("shifted.ndjson").predictions(), 15);

        CalibrationChange change = CalibrationChange.between(baseline, current);

        double accuracyChange = expected.get("shifted.ndjson").get("accuracy").asDouble()
                - expected.get("reference.ndjson").get("accuracy").asDouble();
        double eceChange = expected.get("shifted.ndjson").get("ece15").asDouble()
                - expected.get("reference.ndjson").get("ece15").asDouble();
        assertEquals(accuracyChange, change.accuracyChange(), 1e-9);
        assertEquals(eceChange, change.eceChange(), 1e-9);
    }

    @Test
    void differentBinsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationChange.between(new ReliabilityAccumulator(15), new ReliabilityAccumulator(10)));
    }
}
