package io.probity.ingest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class IngestApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String NDJSON = "application/x-ndjson";

    private static Response post(String contentType, String body) {
        return given().header("X-API-Key", TestData.API_KEY).contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/predictions");
    }

    private static String record(String model, String id, String extra) {
        return "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"" + id + "\","
                + "\"timestamp\":\"2026-06-01T00:00:00Z\",\"classes\":[\"a\",\"b\",\"c\"],"
                + "\"logits\":[2.5,1.2,0.5]" + extra + "}";
    }

    @Test
    void faultsFileVerdictsMatchExpectedAudit() throws Exception {
        String model = TestData.uniqueModel("faults");
        List<String> lines = TestData.lines("datasets/serving-faults/faults.ndjson");
        JsonNode response = JSON.readTree(post(NDJSON, TestData.withModel(lines, "fraud-screen", model))
                .then().statusCode(200).extract().asString());

        assertEquals(lines.size(), response.get("results").size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode expected = JSON.readTree(lines.get(i)).get("expectedAudit");
            JsonNode result = response.get("results").get(i);
            String id = result.get("predictionId").asText();
            assertEquals(i, result.get("index").asInt(), "index of " + id);
            if ("reject".equals(expected.get("verdict").asText())) {
                assertEquals("rejected", result.get("status").asText(), "status of " + id);
                assertEquals("probabilities", result.get("errors").get(0).get("field").asText(), "field of " + id);
            } else {
                assertEquals("accepted", result.get("status").asText(), "status of " + id);
                assertEquals(expected.get("verdict").asText(), result.get("audit").get("verdict").asText(),
                        "verdict of " + id);
                JsonNode causes = result.get("audit").get("causes");
                if (expected.get("cause").isNull()) {
                    assertEquals(0, causes.size(), "causes of " + id + ": " + causes);
                } else {
                    assertTrue(causes.toString().contains("\"" + expected.get("cause").asText() + "\""),
                            "causes of " + id + " should contain " + expected.get("cause") + ": " + causes);
                }
            }
        }
        assertEquals(45, response.get("accepted").asInt());
        assertEquals(5, response.get("rejected").asInt());
    }

    @Test
    void workedExamplePassesAndIsStored() {
        String model = TestData.uniqueModel("worked");
        post(NDJSON, record(model, "w-1", ",\"probabilities\":[0.71,0.19,0.10],\"predictedClass\":\"a\""))
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("results[0].audit.verdict", equalTo("pass"));

        var detail = given().header("X-API-Key", TestData.API_KEY)
                .get("/api/v1/models/" + model + "/predictions/w-1")
                .then().statusCode(200)
                .body("predictedClass", equalTo("a"))
                .body("classes", hasSize(3))
                .body("audit.causes", hasItem("rounded"))
                .extract().jsonPath();
        // Softmax of [2.5, 1.2, 0.5]: exponentials 12.182, 3.320, 1.649 over their sum 17.151.
        assertEquals(0.7103, detail.getDouble("recomputed[0]"), 1e-4);
        assertEquals(0.1936, detail.getDouble("recomputed[1]"), 1e-4);
        assertEquals(0.0961, detail.getDouble("recomputed[2]"), 1e-4);
    }

    @Test
    void repeatedRecordIsDuplicateAndStoredOnce() {
        String model = TestData.uniqueModel("dup");
        String body = record(model, "d-1", "") + "\n" + record(model, "d-1", "");
        post(NDJSON, body).then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(1))
                .body("results[1].status", equalTo("duplicate"));
        post(NDJSON, record(model, "d-1", "")).then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(1));

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models").then().statusCode(200)
                .body("find { it.model == '" + model + "' }.count", equalTo(1));
    }

    @Test
    void jsonArrayAndNanTokensAreAccepted() {
        String model = TestData.uniqueModel("nan");
        String body = "[" + record(model, "n-1", ",\"probabilities\":[NaN, Infinity, -Infinity]") + "]";
        post("application/json", body).then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("results[0].audit.verdict", equalTo("fail"))
                .body("results[0].audit.causes", hasItem("non-finite"));
    }

    @Test
    void rejectedRecordNamesFieldAndLeavesNoRow() {
        String model = TestData.uniqueModel("reject");
        String good = record(model, "ok-1", "");
        String badLabel = record(model, "bad-1", ",\"label\":\"zebra\"");
        String badTime = record(model, "bad-2", "").replace("2026-06-01T00:00:00Z", "yesterday");
        String noId = record(model, "", "");
        post(NDJSON, good + "\n" + badLabel + "\n" + badTime + "\n" + noId).then().statusCode(200)
                .body("accepted", equalTo(1)).body("rejected", equalTo(3))
                .body("results[1].errors[0].field", equalTo("label"))
                .body("results[1].errors[0].message", containsString("zebra"))
                .body("results[2].errors[0].field", equalTo("timestamp"))
                .body("results[2].errors[0].message", containsString("yesterday"))
                .body("results[3].errors[0].field", equalTo("predictionId"));

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/bad-1")
                .then().statusCode(404).body("error", equalTo("not-found"));
    }

    @Test
    void unstorableNamesRejected() {
        String model = TestData.uniqueModel("names");
        String nul = record(model + "\\u0000x", "n-1", "");
        String longId = record(model, "x".repeat(401), "");
        post(NDJSON, nul + "\n" + longId + "\n" + record(model, "n-2", ""))
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("results[0].errors[0].field", equalTo("model"))
                .body("results[0].errors[0].message", containsString("U+0000"))
                .body("results[1].errors[0].field", equalTo("predictionId"))
                .body("results[1].errors[0].message", containsString("has 401 characters; send at most 400"))
                .body("results[2].status", equalTo("accepted"));

        given().header("X-API-Key", TestData.API_KEY).contentType("application/json")
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"n-2\\u0000\",\"label\":\"a\"}]")
                .post("/api/v1/labels")
                .then().statusCode(200)
                .body("rejected", equalTo(1))
                .body("results[0].errors[0].field", equalTo("predictionId"));
    }

    @Test
    void classesMustMatchRegisteredVersion() {
        String model = TestData.uniqueModel("classes");
        post(NDJSON, record(model, "c-1", "")).then().statusCode(200).body("accepted", equalTo(1));
        String other = record(model, "c-2", "").replace("[\"a\",\"b\",\"c\"]", "[\"b\",\"a\",\"c\"]");
        post(NDJSON, other).then().statusCode(200)
                .body("rejected", equalTo(1))
                .body("results[0].errors[0].field", equalTo("classes"));
        String withoutClasses = record(model, "c-3", "").replace(",\"classes\":[\"a\",\"b\",\"c\"]", "");
        post(NDJSON, withoutClasses).then().statusCode(200).body("accepted", equalTo(1));
        String newVersion = withoutClasses.replace("\"v1\"", "\"v2\"").replace("c-3", "c-4");
        post(NDJSON, newVersion).then().statusCode(200)
                .body("results[0].errors[0].field", equalTo("classes"))
                .body("results[0].errors[0].message", containsString("has not been seen before"));
    }

    @Test
    void missingOrWrongKeyIs401() {
        given().contentType(NDJSON).body("{}".getBytes()).post("/api/v1/predictions")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("unauthorized"));
        given().header("X-API-Key", "wrong").contentType(NDJSON).body("{}".getBytes()).post("/api/v1/predictions")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        given().get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        String model = TestData.uniqueModel("malformed");
        String body = record(model, "m-1", "") + "\n{\"model\": \"x\", \"logits\": [1, 2,, 3]}";
        post(NDJSON, body).then().statusCode(400)
                .body("error", equalTo("malformed-json"))
                .body("message", containsString("line 2"))
                .body("message", containsString("column"));
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/m-1")
                .then().statusCode(404);
    }

    @Test
    void tooManyRecordsIs413() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= IngestService.MAX_RECORDS; i++) {
            body.append("{\"model\":\"m\"}\n");
        }
        post(NDJSON, body.toString()).then().statusCode(413).body("error", equalTo("payload-too-large"));
    }

    @Test
    void bodyOver16MebibytesIs413() {
        String padding = " ".repeat((int) IngestService.MAX_BODY_BYTES + 10);
        post(NDJSON, "{\"model\":\"m\"" + padding + "}").then().statusCode(413)
                .body("message", containsString("larger than"));
    }

    @Test
    void otherContentTypeIs415() {
        post("text/csv", "model,predictionId\n").then().statusCode(415)
                .body("error", equalTo("unsupported-media-type"));
    }

    @Test
    void labelsArriveLaterAndAreIdempotent() {
        String model = TestData.uniqueModel("labels");
        post(NDJSON, record(model, "l-1", "")).then().statusCode(200);
        String labels = "[{\"model\":\"" + model + "\",\"predictionId\":\"l-1\",\"label\":\"a\"},"
                + "{\"model\":\"" + model + "\",\"predictionId\":\"missing\",\"label\":\"a\"},"
                + "{\"model\":\"" + model + "\",\"predictionId\":\"l-1\",\"label\":\"zebra\"}]";
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON).body(labels)
                .post("/api/v1/labels").then().statusCode(200)
                .body("accepted", equalTo(1)).body("rejected", equalTo(2))
                .body("results[1].errors[0].field", equalTo("predictionId"))
                .body("results[2].errors[0].field", equalTo("label"));
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"l-1\",\"label\":\"a\"}]")
                .post("/api/v1/labels").then().statusCode(200).body("duplicates", equalTo(1));

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/metrics")
                .then().statusCode(200)
                .body("labeledCount", equalTo(1))
                .body("accuracy", equalTo(1.0f));
    }

    @Test
    void labelByClassIndex() {
        String model = TestData.uniqueModel("label-index");
        post(NDJSON, record(model, "i-1", "")).then().statusCode(200);
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"i-1\",\"label\":2}]")
                .post("/api/v1/labels").then().statusCode(200).body("accepted", equalTo(1));
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/i-1")
                .then().statusCode(200).body("label", equalTo("c"));
    }

    @Test
    void labelsMalformedJsonIs400() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON).body("[{\"model\": }]")
                .post("/api/v1/labels").then().statusCode(400).body("message", containsString("line 1"));
    }

    @Test
    void unknownModelMetricsIs404() {
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/no-such-model/metrics")
                .then().statusCode(404);
    }
}
