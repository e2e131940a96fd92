package io.probity.review;

import io.probity.support.TestData;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.restassured.RestAssured.given;

/** Requests and records shared by the review API tests. */
final class ReviewFixtures {

    private ReviewFixtures() {
    }

    /** Starts a request with the test API key, acting as the named reviewer. */
    static RequestSpecification as(String reviewer) {
        return given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", reviewer);
    }

    /** Builds a record over classes a, b and c with the given logits. */
    static String record(String model, String id, double... logits) {
        return String.format(Locale.ROOT, "{\"model\":\"%s\",\"modelVersion\":\"v1\",\"predictionId\":\"%s\","
                + "\"timestamp\":\"2026-06-01T00:00:00Z\",\"classes\":[\"a\",\"b\",\"c\"],"
                + "\"logits\":[%s,%s,%s]}", model, id, logits[0], logits[1], logits[2]);
    }

    /** Builds count records with confidence 0.36 (logits 0.1, 0, 0) and ids {prefix}-0000, {prefix}-0001 and so on. */
    static List<String> lowConfidence(String model, String prefix, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(record(model, String.format(Locale.ROOT, "%s-%04d", prefix, i), 0.1, 0, 0));
        }
        return lines;
    }

    static void ingest(List<String> lines) {
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200);
    }

    /** Removes the label field from a digits NDJSON line. */
    static String withoutLabel(String line) {
        return line.replaceAll(",\"label\":\"[^\"]*\"", "");
    }
}
