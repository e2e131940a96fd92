package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.probity.review.ReviewFixtures.as;
import static io.probity.review.ReviewFixtures.ingest;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ReviewCalibrationApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SAMPLE_FRACTION = 0.25;
    private static final int RESOLVED = 40;

    @Test
    void reviewLabelsCarryInverseProbabilityWeights() throws Exception {
        String model = TestData.uniqueModel("review-weights");
        List<String> records = List.of(TestData.withModel(TestData.lines("demo/digits/reference.ndjson"),
                "digits-logreg", model).split("\n"));
        ingest(records.subList(0, 1));
        as("ops").contentType(ContentType.JSON)
                .body("{\"rules\":[{\"type\":\"confidenceBelow\",\"threshold\":0.8}],\"sampleFraction\":" + SAMPLE_FRACTION + "}")
                .put("/api/v1/models/" + model + "/review-rules").then().statusCode(200);
        ingest(records.subList(1, records.size()).stream().map(ReviewFixtures::withoutLabel).toList());

        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : records) {
            JsonNode record = JSON.readTree(line);
            byId.put(record.get("predictionId").asText(), record);
        }

        // Resolve the first items in claim order with their true labels: rule items come first by
        // priority, so resolve from both ends by also claiming sampled items by id.
        List<Map<String, Object>> items = as("rita").queryParam("model", model).queryParam("limit", 1000)
                .get("/api/v1/review/items").then().statusCode(200).extract().jsonPath().getList("$");
        List<Map<String, Object>> chosen = new java.util.ArrayList<>();
        items.stream().filter(item -> "confidenceBelow".equals(item.get("rule"))).limit(RESOLVED / 2).forEach(chosen::add);
        items.stream().filter(item -> "sample".equals(item.get("rule"))).limit(RESOLVED / 2).forEach(chosen::add);
        assertEquals(RESOLVED, chosen.size(), "the data has enough rule and sample items");

        double weightSum = 0;
        double correctWeight = 0;
        for (Map<String, Object> item : chosen) {
            long id = ((Number) item.get("id")).longValue();
            JsonNode record = byId.get((String) item.get("predictionId"));
            String label = record.get("label").asText();
            as("rita").post("/api/v1/review/items/" + id + "/claim").then().statusCode(200);
            as("rita").contentType(ContentType.JSON).body(Map.of("label", label))
                    .post("/api/v1/review/items/" + id + "/resolve").then().statusCode(200);
            double weight = "sample".equals(item.get("rule")) ? 1 / SAMPLE_FRACTION : 1;
            weightSum += weight;
            if (record.get("predictedClass").asText().equals(label)) {
                correctWeight += weight;
            }
        }

        Response response = as("rita").get("/api/v1/models/" + model + "/review-metrics");
        response.then().statusCode(200)
                .body("reviewedCount", equalTo(RESOLVED))
                .body("sampledCount", equalTo(RESOLVED / 2))
                .body("weighting", containsString("1 / P(sent to review)"));
        JsonNode metrics = JSON.readTree(response.asString());
        assertEquals(weightSum, metrics.get("weightSum").asDouble(), 1e-9);
        assertEquals(correctWeight / weightSum, metrics.get("accuracy").asDouble(), 1e-9);
        double unweightedAccuracy = chosen.stream().filter(item -> {
            JsonNode record = byId.get((String) item.get("predictionId"));
            return record.get("predictedClass").asText().equals(record.get("label").asText());
        }).count() / (double) RESOLVED;
        assertTrue(Math.abs(unweightedAccuracy - metrics.get("accuracy").asDouble()) > 1e-6,
                "weights change the accuracy: " + unweightedAccuracy);
    }

    @Test
    void undoneResolveLeavesTheFigures() {
        String model = TestData.uniqueModel("review-weights-undo");
        ingest(ReviewFixtures.lowConfidence(model, "p", 1));
        long id = as("rita").queryParam("model", model).post("/api/v1/review/claim")
                .then().statusCode(200).extract().jsonPath().getLong("id");
        as("rita").contentType(ContentType.JSON).body(Map.of("label", "a"))
                .post("/api/v1/review/items/" + id + "/resolve").then().statusCode(200);
        as("rita").get("/api/v1/models/" + model + "/review-metrics")
                .then().statusCode(200).body("reviewedCount", equalTo(1)).body("accuracy", equalTo(1.0f));

        as("rita").post("/api/v1/review/items/" + id + "/undo").then().statusCode(200);
        as("rita").get("/api/v1/models/" + model + "/review-metrics")
                .then().statusCode(200).body("reviewedCount", equalTo(0));
    }
}
