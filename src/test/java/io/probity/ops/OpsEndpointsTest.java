package io.probity.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.ingest.ApiExamples;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@QuarkusTest
class OpsEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGITS = "demo/digits/reference.ndjson";

    private static void ingest(String ndjson) {
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200);
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Returns the value of the first sample whose line starts with the given name and labels. */
    private static double sample(String metrics, String nameAndLabels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + "[^ ]* ([^ ]+)$").matcher(metrics);
        if (!matcher.find()) {
            fail("no sample " + nameAndLabels + " in /q/metrics");
        }
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void metricsAfterIngest() throws Exception {
        String model = TestData.uniqueModel("metrics");
        List<String> lines = TestData.lines(DIGITS);
        ingest(TestData.withModel(lines, "digits-logreg", model));
        // One rejected record (logits of the wrong length) and one audit failure (temperature).
        ingest("{\"model\":\"" + model + "\",\"modelVersion\":\"2026.06\",\"predictionId\":\"bad-1\","
                + "\"timestamp\":\"2026-06-01T00:00:00Z\",\"logits\":[1,2]}\n"
                + "{\"model\":\"" + model + "-t\",\"predictionId\":\"t-1\",\"timestamp\":\"2026-06-18T10:01:00Z\","
                + "\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[0.1,3.4,5.7],"
                + "\"probabilities\":[0.0441,0.2299,0.7260],\"predictedClass\":\"c\"}");

        // The gauges refresh in the background every 0.2 s in the test profile, so the first scrape
        // after that has the new version's gauges. A refresh triggered by the scrape left them out.
        Thread.sleep(1000);
        String versionLabels = "model=\"" + model + "\"";
        String metrics = scrape();
        assertTrue(metrics.contains("probity_model_predictions_24h{" + versionLabels), "first scrape lists the version");

        assertTrue(sample(metrics, "probity_ingest_records_total{status=\"accepted\"") >= lines.size() + 1);
        assertTrue(sample(metrics, "probity_ingest_records_total{status=\"rejected\"") >= 1);
        assertTrue(sample(metrics, "probity_ingest_rejections_total{field=\"logits\"") >= 1);
        assertTrue(sample(metrics, "probity_audit_failures_total{cause=\"temperature\"") >= 1);
        assertTrue(sample(metrics, "probity_review_items{state=\"open\"") >= 1, "open review items");
        assertTrue(sample(metrics, "probity_review_oldest_open_age_seconds") >= 0);
        // The test profile folds every hour, so this request's rollup sums are still pending.
        assertTrue(sample(metrics, "probity_rollup_pending_rows") >= 1, "pending rollup rows");
        assertTrue(sample(metrics, "probity_prediction_partitions") >= 3, "partitions: this month and 2 ahead");

        String labels = "{" + versionLabels + ",version=\"2026.06\"";
        double predictions = sample(metrics, "probity_model_predictions_24h" + labels);
        assertTrue(predictions > 0, "predictions in 24 h: " + predictions);
        assertTrue(predictions <= lines.size(), "predictions in 24 h: " + predictions);
        double confidence = sample(metrics, "probity_model_mean_confidence_24h" + labels);
        assertTrue(confidence > 0.1, "mean confidence " + confidence);
        assertTrue(confidence <= 1, "mean confidence " + confidence);
        double ece = sample(metrics, "probity_model_ece_24h" + labels);
        assertTrue(ece >= 0, "ECE " + ece);
        assertTrue(ece < 1, "ECE " + ece);
        double accuracy = sample(metrics, "probity_model_accuracy_24h" + labels);
        assertTrue(accuracy > 0.5, "accuracy " + accuracy);
        assertTrue(accuracy <= 1, "accuracy " + accuracy);

        // The gauges cover the 24 hours of event time that end with the version's last hour, so the
        // metrics API over the same window gives the same figures.
        Instant last = lines.stream().map(line -> Instant.parse(JsonPath.from(line).getString("timestamp")))
                .max(Instant::compareTo).orElseThrow();
        Instant lastHour = last.truncatedTo(ChronoUnit.HOURS);
        JsonNode window = JSON.readTree(given().header("X-API-Key", TestData.API_KEY)
                .queryParam("version", "2026.06")
                .queryParam("from", lastHour.minus(23, ChronoUnit.HOURS).toString())
                .queryParam("to", lastHour.plus(1, ChronoUnit.HOURS).toString())
                .get("/api/v1/models/" + model + "/metrics").then().statusCode(200).extract().asString());
        assertEquals(window.get("count").asDouble(), predictions);
        assertEquals(window.get("meanConfidence").asDouble(), confidence, 1e-12);
        assertEquals(window.get("ece").asDouble(), ece, 1e-12);
        assertEquals(window.get("accuracy").asDouble(), accuracy, 1e-12);

        // Each scrape after the cache expired refreshes the snapshot; the version's gauges stay.
        for (int scrape = 0; scrape < 3; scrape++) {
            Thread.sleep(300);
            assertEquals(predictions, sample(scrape(), "probity_model_predictions_24h" + labels), "scrape " + scrape);
        }
    }

    @Test
    void healthReadyListsDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database connections health check")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiListsEveryPath() {
        JsonPath document = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        java.util.Map<String, Object> paths = document.getMap("paths");
        for (String path : List.of("/api/v1/predictions", "/api/v1/labels", "/api/v1/models",
                "/api/v1/models/{model}/predictions/{predictionId}", "/api/v1/models/{model}/metrics",
                "/api/v1/models/{model}/drift", "/api/v1/models/{model}/timeseries",
                "/api/v1/models/{model}/temperature", "/api/v1/models/{model}/baseline",
                "/api/v1/models/{model}/versions/{version}/audit-settings",
                "/api/v1/models/{model}/review-rules", "/api/v1/models/{model}/review-rules/revisions",
                "/api/v1/models/{model}/review-metrics", "/api/v1/review/items", "/api/v1/review/summary",
                "/api/v1/review/claim", "/api/v1/review/items/{id}", "/api/v1/review/items/{id}/claim",
                "/api/v1/review/items/{id}/resolve", "/api/v1/review/items/{id}/skip",
                "/api/v1/review/items/{id}/escalate", "/api/v1/review/items/{id}/release",
                "/api/v1/review/items/{id}/undo", "/api/v1/review/items/{id}/history",
                "/api/v1/admin/users", "/api/v1/admin/users/{name}", "/api/v1/admin/api-keys",
                "/api/v1/admin/api-keys/{id}", "/api/v1/admin/security-events")) {
            assertTrue(paths.containsKey(path), "OpenAPI paths lack " + path + ": " + paths.keySet());
        }
        String post = "paths.'/api/v1/predictions'.post.";
        String requestExample = document.getString(post + "requestBody.content.'application/x-ndjson'.examples");
        assertNotNull(requestExample, "NDJSON request example");
        assertTrue(requestExample.contains("tx-1001"), "NDJSON request example: " + requestExample);
        String responseExample = document.getString(post + "responses.'200'.content.'application/json'.examples");
        assertNotNull(responseExample, "response example");
        assertTrue(responseExample.contains("temperature"), "response example: " + responseExample);
    }

    @Test
    void openApiExamplesMatchRealResponses() throws Exception {
        String model = TestData.uniqueModel("example");
        String body = ApiExamples.PREDICTIONS_NDJSON.replace("fraud-screen", model);
        String actual = given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions")
                .then().statusCode(200).extract().asString();
        String labels = given().header("X-API-Key", TestData.API_KEY).contentType("application/json")
                .body(ApiExamples.LABELS_JSON.replace("fraud-screen", model)).post("/api/v1/labels")
                .then().statusCode(200).extract().asString();
        assertEquals(JSON.readTree(ApiExamples.PREDICTIONS_RESPONSE), JSON.readTree(actual));
        assertEquals(JSON.readTree(ApiExamples.LABELS_RESPONSE), JSON.readTree(labels));
    }

    @Test
    void swaggerUiServes() {
        given().redirects().follow(true).get("/q/swagger-ui/").then().statusCode(200)
                .body(containsString("swagger"));
        String index = given().get("/q/swagger-ui/index.html").then().extract().asString();
        assertEquals(true, index.toLowerCase().contains("swagger-ui"), "Swagger UI page");
    }
}
