package io.probity.audit;

import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AuditSettingsApiTest {

    private static String record(String model, String id) {
        // Reported values are softmax([2.5, 1.2, 0.5] / 2) rounded to 4 decimals, declared temperature 1.
        return "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"" + id + "\","
                + "\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[2.5,1.2,0.5],"
                + "\"probabilities\":[0.5291,0.2762,0.1947]}";
    }

    private static io.restassured.response.ValidatableResponse ingest(String body) {
        return given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200);
    }

    private static String settingsPath(String model) {
        return "/api/v1/models/" + model + "/versions/v1/audit-settings";
    }

    @Test
    void temperatureOverrideChangesLaterAudits() {
        String model = TestData.uniqueModel("settings");
        ingest(record(model, "s-1")).body("results[0].audit.verdict", equalTo("fail"))
                .body("results[0].audit.causes", hasItem("temperature"));

        given().header("X-API-Key", TestData.API_KEY).get(settingsPath(model)).then().statusCode(200)
                .body("temperatureOverride", nullValue()).body("classes[2]", equalTo("c"));
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"temperatureOverride\": 2.0, \"toleranceOverride\": null}")
                .put(settingsPath(model)).then().statusCode(200).body("temperatureOverride", equalTo(2.0f));

        ingest(record(model, "s-2")).body("results[0].audit.verdict", equalTo("pass"));
    }

    @Test
    void invalidOverrideIs400() {
        String model = TestData.uniqueModel("settings-bad");
        ingest(record(model, "b-1"));
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"temperatureOverride\": -1}")
                .put(settingsPath(model)).then().statusCode(400)
                .body("message", containsString("-1.0"));
    }

    @Test
    void unknownVersionIs404() {
        given().header("X-API-Key", TestData.API_KEY).get(settingsPath("no-such-model")).then().statusCode(404);
    }
}
