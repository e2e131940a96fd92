package io.probity.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Creates users and API keys through the admin API, with the bootstrap key, for tests. */
public final class Accounts {

    public static final String PASSWORD = "correct-horse-battery";

    private Accounts() {
    }

    /** Creates a user with one role and optional models, and returns its unique name. */
    public static String user(String role, List<String> models) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        String modelsJson = models == null ? "null" : "[" + String.join(",", models.stream()
                .map(m -> "\"" + m + "\"").toList()) + "]";
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"" + role + "\"],"
                        + "\"models\":" + modelsJson + "}")
                .post("/api/v1/admin/users").then().statusCode(201);
        return name;
    }

    /** Creates an API key and returns its secret. */
    public static String key(List<String> scopes, List<String> models, String expiresAt) {
        String body = "{\"name\":\"test-key\",\"scope\":[" + String.join(",", scopes.stream().map(s -> "\"" + s + "\"")
                .toList()) + "]" + (models == null ? "" : ",\"models\":[" + String.join(",", models.stream()
                .map(m -> "\"" + m + "\"").toList()) + "]") + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"")
                + "}";
        return given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("secret");
    }

    /** Returns a request authenticated as a user with HTTP Basic. */
    public static RequestSpecification asUser(String name) {
        return given().auth().preemptive().basic(name, PASSWORD);
    }
}
