package io.probity.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.support.TestData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures {@link CusumDetector} on the digits demo data: the delay after the shift from the
 * reference stream to the shifted one, and the false alarms of the reference stream alone, in its
 * recorded order and over 1,000 seeded permutations. Prints the figures recorded in BENCHMARKS.md.
 */
class CusumBenchmarkTest {

    private static final int PERMUTATIONS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void detectsDigitsShiftWithFewFalseAlarms() throws Exception {
        List<Double> reference = confidences("demo/digits/reference.ndjson");
        List<Double> shifted = confidences("demo/digits/shifted.ndjson");
        double mean = reference.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = reference.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (reference.size() - 1);
        double deviation = Math.sqrt(variance);

        CusumDetector detector = CusumDetector.withDefaults(mean, deviation);
        int referenceAlarms = 0;
        for (double x : reference) {
            referenceAlarms += detector.add(x) ? 1 : 0;
        }
        int delay = -1;
        for (int i = 0; i < shifted.size(); i++) {
            if (detector.add(shifted.get(i))) {
                delay = i + 1;
                break;
            }
        }

        Random random = new Random(20260601L);
        int replaysWithAlarm = 0;
        int permutedAlarms = 0;
        List<Double> permuted = new ArrayList<>(reference);
        for (int p = 0; p < PERMUTATIONS; p++) {
            Collections.shuffle(permuted, random);
            CusumDetector fresh = CusumDetector.withDefaults(mean, deviation);
            int alarms = 0;
            for (double x : permuted) {
                alarms += fresh.add(x) ? 1 : 0;
            }
            permutedAlarms += alarms;
            replaysWithAlarm += alarms > 0 ? 1 : 0;
        }

        System.out.printf("CUSUM k=%.2f h=%.1f clip=%.1f mean=%.4f sd=%.4f: delay=%d predictions, "
                        + "reference alarms=%d, permuted replays with an alarm=%d of %d, alarms=%d in %d predictions%n",
                CusumDetector.DEFAULT_K, CusumDetector.DEFAULT_H, CusumDetector.DEFAULT_CLIP, mean, deviation, delay,
                referenceAlarms, replaysWithAlarm, PERMUTATIONS, permutedAlarms, PERMUTATIONS * reference.size());
        assertEquals(0, referenceAlarms, "alarms on the reference stream in recorded order");
        assertTrue(delay > 0, "no alarm on the shifted stream");
        assertTrue(delay <= 50, "delay after the shift was " + delay + " predictions");
        assertTrue(replaysWithAlarm <= 20, replaysWithAlarm + " of " + PERMUTATIONS + " permuted replays alarmed");
    }

    private static List<Double> confidences(String path) throws Exception {
        List<Double> values = new ArrayList<>();
        for (String line : TestData.lines(path)) {
            JsonNode probabilities = JSON.readTree(line).get("probabilities");
            double max = Double.NEGATIVE_INFINITY;
            for (JsonNode p : probabilities) {
                max = Math.max(max, p.asDouble());
            }
            values.add(max);
        }
        return values;
    }
}
