package io.probity.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order in which a batch's idempotency keys are written must depend on the keys only. */
class KeyOrderTest {

    @Test
    void sameKeysSameOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add("id-" + i);
        }
        // "Aa" and "BB" have the same String.hashCode, so these keys tie on hash.
        ids.addAll(List.of("xAa", "xBB", "AaAa", "BBBB", "AaBB", "BBAa"));
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(7));

        List<String> first = sortedKeys(ids);
        List<String> second = sortedKeys(shuffled);

        assertEquals(ids.size(), first.size());
        assertEquals(first, second);
        assertEquals(first.indexOf("xAa") + 1, first.indexOf("xBB"), "a tie on hash is ordered by id");
    }

    @Test
    void orderIsPermutation() {
        List<String> ids = List.of("b", "a", "c", "a2");
        int[] order = PredictionWriter.keyOrder(rows("m", ids));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertEquals(List.of(0, 1, 2, 3), Arrays.stream(sorted).boxed().toList());
    }

    private static List<String> sortedKeys(List<String> ids) {
        List<PredictionRow> rows = rows("model-a", ids);
        List<String> keys = new ArrayList<>();
        for (int i : PredictionWriter.keyOrder(rows)) {
            keys.add(rows.get(i).predictionId());
        }
        return keys;
    }

    private static List<PredictionRow> rows(String model, List<String> ids) {
        List<PredictionRow> rows = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new PredictionRow(i, model, 1, ids.get(i), Instant.EPOCH, null, null, 1, -1, -1, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, -1, Double.NaN, null, null));
        }
        return rows;
    }
}
