package io.probity.ingest;

import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Concurrent requests that send the same prediction ids: each id is stored once, whichever request
 * wins, and the rollups count it once.
 */
@QuarkusTest
class ConcurrentIngestTest {

    private static final int REQUESTS = 8;
    private static final int RECORDS = 300;

    @Test
    void sameIdsStoredOnce() throws Exception {
        String model = TestData.uniqueModel("race");

        // Every request sends the same 300 ids in its own order, in three time partitions.
        List<String> bodies = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < RECORDS; i++) {
                int id = (i * (2 * r + 1) + r) % RECORDS;
                String month = switch (id % 3) {
                    case 0 -> "2026-04";
                    case 1 -> "2026-05";
                    default -> "2026-06";
                };
                body.append("{\"model\":\"").append(model).append("\",\"modelVersion\":\"v1\",\"predictionId\":\"id-")
                        .append(id).append("\",\"timestamp\":\"").append(month).append("-10T12:00:00Z\",")
                        .append("\"logits\":[").append(1 + id % 5).append(",0.5,0]}\n");
            }
            bodies.add(body.toString());
        }
        // One record registers the model version first, so the requests race only on the ids.
        assertEquals(1, post("{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"register\","
                + "\"timestamp\":\"2026-06-01T00:00:00Z\",\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[1,0,0]}\n")
                .getInt("accepted"));

        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JsonPath>> responses = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            String body = bodies.get(r);
            responses.add(pool.submit(() -> {
                start.await();
                return post(body);
            }));
        }
        start.countDown();
        int accepted = 0;
        int duplicates = 0;
        for (Future<JsonPath> response : responses) {
            accepted += response.get().getInt("accepted");
            duplicates += response.get().getInt("duplicates");
        }
        pool.shutdown();

        assertEquals(RECORDS, accepted);
        assertEquals((REQUESTS - 1) * RECORDS, duplicates);
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/metrics")
                .then().statusCode(200)
                .body("count", org.hamcrest.Matchers.equalTo(RECORDS + 1));
    }

    private static JsonPath post(String body) {
        return given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions")
                .then().statusCode(200).extract().jsonPath();
    }
}
