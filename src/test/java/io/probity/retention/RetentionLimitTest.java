package io.probity.retention;

import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** With {@code probity.retention} set, ingestion rejects predictions that retention would drop at once. */
@QuarkusTest
@TestProfile(RetentionLimitTest.CenturyRetention.class)
class RetentionLimitTest {

    /** A retention of 100 years: it rejects the 1920s without dropping any other test's partitions. */
    public static class CenturyRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("probity.retention", "P100Y");
        }
    }

    @Test
    void tooOldPredictionRejected() {
        String model = TestData.uniqueModel("too-old");
        String body = "{\"model\":\"" + model + "\",\"predictionId\":\"old\",\"timestamp\":\"1920-05-01T00:00:00Z\","
                + "\"classes\":[\"a\",\"b\"],\"logits\":[1.0,0.0]}\n"
                + "{\"model\":\"" + model + "\",\"predictionId\":\"new\",\"timestamp\":\"2026-06-01T00:00:00Z\","
                + "\"logits\":[1.0,0.0]}\n";
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions")
                .then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].errors[0].field", equalTo("timestamp"))
                .body("results[0].errors[0].message", containsString("\"1920-05-01T00:00:00Z\" is older than the "
                        + "retention period P100Y"))
                .body("results[0].errors[0].message", containsString("raise probity.retention"))
                .body("results[1].status", equalTo("accepted"));
    }
}
