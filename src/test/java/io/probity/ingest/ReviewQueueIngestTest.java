package io.probity.ingest;

import io.probity.review.ReviewItem;
import io.probity.review.ReviewService;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks which ingested predictions enter the review queue, and with which reason. */
@QuarkusTest
class ReviewQueueIngestTest {

    @Inject
    ReviewService reviewService;

    private static String record(String model, String id, String vectors) {
        return "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"" + id + "\","
                + "\"timestamp\":\"2026-06-01T00:00:00Z\",\"classes\":[\"a\",\"b\",\"c\"]," + vectors + "}\n";
    }

    @Test
    void lowConfidenceAndFailedAuditsQueued() {
        String model = TestData.uniqueModel("review");
        String body = record(model, "low", "\"logits\":[0.3,0.2,0.1]")
                + record(model, "low-labelled", "\"logits\":[0.3,0.2,0.1],\"label\":\"a\"")
                + record(model, "confident", "\"logits\":[6.0,0.0,0.0]")
                + record(model, "failed", "\"logits\":[6.0,0.0,0.0],\"probabilities\":[0.2,0.3,0.5]")
                + record(model, "failed-labelled", "\"logits\":[6.0,0.0,0.0],\"probabilities\":[0.2,0.3,0.5],"
                + "\"label\":\"a\"");

        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions")
                .then().statusCode(200)
                .body("accepted", equalTo(5))
                .body("results[3].audit.verdict", equalTo("fail"));

        List<ReviewItem> items = reviewService.openItems(model, 100);
        Map<String, String> reasons = new TreeMap<>();
        for (ReviewItem item : items) {
            reasons.put(item.predictionId(), item.reason());
        }
        assertEquals(Map.of("low", "low-confidence", "failed", "audit-failed"), reasons);
        for (ReviewItem item : items) {
            assertEquals("v1", item.version(), "version of " + item.predictionId());
        }
    }
}
