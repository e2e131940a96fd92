package io.probity.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ingests the digits data through the API and compares {@code GET .../metrics} with the
 * NumPy reference values shipped beside the data, to 1e-9 and counts exactly.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-9;

    private final String referenceModel = TestData.uniqueModel("digits-ref");
    private final String shiftedModel = TestData.uniqueModel("digits-shift");
    private JsonNode expected;

    /** Runs before the first test only; RestAssured's port is set per test, not before @BeforeAll. */
    @BeforeEach
    void ingestDigits() throws Exception {
        if (expected != null) {
            return;
        }
        expected = JSON.readTree(TestData.resource("datasets/digits/expected-metrics.json"));
        ingest("demo/digits/reference.ndjson", referenceModel);
        ingest("demo/digits/shifted.ndjson", shiftedModel);
    }

    private static void ingest(String resource, String model) {
        String body = TestData.withModel(TestData.lines(resource), "digits-logreg", model);
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200)
                .body("accepted", org.hamcrest.Matchers.equalTo(899));
    }

    private static JsonNode metrics(String model) throws Exception {
        String body = given().header("X-API-Key", TestData.API_KEY)
                .queryParam("bins", 15).queryParam("histogramBins", 10)
                .get("/api/v1/models/" + model + "/metrics").then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    @Test
    void referenceMatchesNumpy() throws Exception {
        assertMatches(expected.get("reference.ndjson"), metrics(referenceModel));
    }

    @Test
    void shiftedMatchesNumpy() throws Exception {
        assertMatches(expected.get("shifted.ndjson"), metrics(shiftedModel));
    }

    @Test
    void windowSelectsHalfOpenRange() throws Exception {
        // Reference predictions are 10 minutes apart from 2026-06-01T00:00Z; [00:00, 01:00) holds 6.
        String body = given().header("X-API-Key", TestData.API_KEY)
                .queryParam("from", "2026-06-01T00:00:00Z").queryParam("to", "2026-06-01T01:00:00Z")
                .get("/api/v1/models/" + referenceModel + "/metrics").then().statusCode(200).extract().asString();
        assertEquals(6, JSON.readTree(body).get("count").asInt());
    }

    @Test
    void badWindowIs400() {
        given().header("X-API-Key", TestData.API_KEY).queryParam("from", "last tuesday")
                .get("/api/v1/models/" + referenceModel + "/metrics").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("last tuesday"));
    }

    private static void assertMatches(JsonNode expected, JsonNode actual) {
        assertEquals(expected.get("count").asLong(), actual.get("count").asLong(), "count");
        assertEquals(expected.get("count").asLong(), actual.get("labeledCount").asLong(), "labeledCount");
        assertEquals(expected.get("accuracy").asDouble(), actual.get("accuracy").asDouble(), TOLERANCE, "accuracy");
        assertEquals(expected.get("meanConfidence").asDouble(), actual.get("meanConfidence").asDouble(), TOLERANCE,
                "meanConfidence");
        assertEquals(expected.get("ece15").asDouble(), actual.get("ece").asDouble(), TOLERANCE, "ece");
        assertEquals(expected.get("mce15").asDouble(), actual.get("mce").asDouble(), TOLERANCE, "mce");
        assertEquals(expected.get("brier").asDouble(), actual.get("brier").asDouble(), TOLERANCE, "brier");
        assertEquals(expected.get("nll").asDouble(), actual.get("nll").asDouble(), TOLERANCE, "nll");

        JsonNode histogram = expected.get("confidenceHistogram10");
        for (int i = 0; i < histogram.size(); i++) {
            assertEquals(histogram.get(i).asLong(), actual.get("confidenceHistogram").get(i).asLong(),
                    "confidenceHistogram[" + i + "]");
        }

        JsonNode bins = expected.get("reliability15");
        assertEquals(bins.size(), actual.get("reliability").size(), "reliability bins");
        for (int i = 0; i < bins.size(); i++) {
            JsonNode want = bins.get(i);
            JsonNode got = actual.get("reliability").get(i);
            assertEquals(want.get("lower").asDouble(), got.get("lower").asDouble(), TOLERANCE, "lower of bin " + i);
            assertEquals(want.get("upper").asDouble(), got.get("upper").asDouble(), TOLERANCE, "upper of bin " + i);
            assertEquals(want.get("count").asLong(), got.get("count").asLong(), "count of bin " + i);
            if (want.has("accuracy")) {
                assertEquals(want.get("accuracy").asDouble(), got.get("accuracy").asDouble(), TOLERANCE,
                        "accuracy of bin " + i);
                assertEquals(want.get("meanConfidence").asDouble(), got.get("meanConfidence").asDouble(), TOLERANCE,
                        "meanConfidence of bin " + i);
            }
        }
    }
}
