package io.probity.security;

import io.agroal.api.AgroalDataSource;
import io.probity.support.Accounts;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SecurityApiTest {

    private static String model;

    @Inject
    AgroalDataSource dataSource;

    /** Ingests one record per test class run, so read endpoints have a model to read. */
    @BeforeEach
    void ingestOnce() {
        if (model != null) {
            return;
        }
        model = TestData.uniqueModel("secured");
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(record(model, "p-1").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200).body("accepted", equalTo(1));
    }

    private static String record(String model, String id) {
        return "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"" + id + "\","
                + "\"classes\":[\"a\",\"b\"],\"logits\":[1.0,0.0]}";
    }

    /** One endpoint of the matrix: how to call it, and who may. */
    private record Endpoint(String method, String path, String contentType, String body, String leastRole,
                            List<String> scopes) {
    }

    private static List<Endpoint> endpoints() {
        String labels = "[{\"model\":\"" + model + "\",\"predictionId\":\"p-1\",\"label\":\"a\"}]";
        return List.of(
                new Endpoint("POST", "/api/v1/predictions", "application/x-ndjson", record(model, "m-" + System.nanoTime()),
                        Role.OPS, List.of("ingest")),
                new Endpoint("POST", "/api/v1/labels", "application/json", labels, Role.REVIEWER, List.of("labels")),
                new Endpoint("GET", "/api/v1/models", null, null, Role.ANALYST, List.of("read")),
                new Endpoint("GET", "/api/v1/models/" + model + "/predictions/p-1", null, null, Role.ANALYST,
                        List.of("read")),
                new Endpoint("GET", "/api/v1/models/" + model + "/metrics", null, null, Role.ANALYST, List.of("read")),
                new Endpoint("GET", "/api/v1/models/" + model + "/versions/v1/audit-settings", null, null, Role.ANALYST,
                        List.of("read")),
                new Endpoint("PUT", "/api/v1/models/" + model + "/versions/v1/audit-settings", "application/json",
                        "{\"toleranceOverride\":null,\"temperatureOverride\":null}", Role.OPS, List.of()),
                new Endpoint("GET", "/api/v1/admin/users", null, null, Role.ADMIN, List.of()),
                new Endpoint("GET", "/api/v1/admin/api-keys", null, null, Role.ADMIN, List.of()),
                new Endpoint("GET", "/api/v1/admin/security-events", null, null, Role.ADMIN, List.of()));
    }

    private static Response call(RequestSpecification spec, Endpoint endpoint) {
        if (endpoint.body() != null) {
            spec = spec.contentType(endpoint.contentType()).body(endpoint.body().getBytes(StandardCharsets.UTF_8));
        }
        return spec.request(endpoint.method(), endpoint.path());
    }

    @Test
    void matrixOfEndpointsAndPrincipals() {
        Map<String, Supplier<RequestSpecification>> principals = new LinkedHashMap<>();
        for (String role : Role.ORDER) {
            String name = Accounts.user(role, null);
            principals.put("user " + role, () -> Accounts.asUser(name));
        }
        for (String scope : List.of("ingest", "labels", "read")) {
            String secret = Accounts.key(List.of(scope), null, null);
            principals.put("key " + scope, () -> given().header("X-API-Key", secret));
        }

        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            int anonymous = call(given(), endpoint).statusCode();
            if (anonymous != 401) {
                failures.add("anonymous " + endpoint.method() + " " + endpoint.path() + " got " + anonymous);
            }
            for (Map.Entry<String, Supplier<RequestSpecification>> principal : principals.entrySet()) {
                String who = principal.getKey();
                boolean allowed = who.startsWith("user ")
                        ? Role.rank(who.substring(5)) >= Role.rank(endpoint.leastRole())
                        : endpoint.scopes().contains(who.substring(4));
                int status = call(principal.getValue().get(), endpoint).statusCode();
                boolean passed = allowed ? status >= 200 && status < 300 : status == 403;
                if (!passed) {
                    failures.add(who + " " + endpoint.method() + " " + endpoint.path() + " got " + status
                            + (allowed ? " but is allowed" : " but is denied"));
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void keyLimitedToModelsSeesNothingElse() {
        String other = TestData.uniqueModel("other");
        String secret = Accounts.key(List.of("ingest", "read"), List.of(other), null);

        given().header("X-API-Key", secret).get("/api/v1/models/" + model + "/metrics").then().statusCode(404);
        given().header("X-API-Key", secret).get("/api/v1/models/" + model + "/predictions/p-1").then().statusCode(404);
        given().header("X-API-Key", secret).contentType("application/x-ndjson")
                .body((record(model, "x-1") + "\n" + record(other, "x-2")).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200)
                .body("accepted", equalTo(1))
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].errors[0].field", equalTo("model"));
        given().header("X-API-Key", secret).get("/api/v1/models").then().statusCode(200)
                .body("model", hasItem(other))
                .body("model", not(hasItem(model)));
    }

    @Test
    void userLimitedToModelsGets404ForOthers() {
        String name = Accounts.user(Role.ANALYST, List.of("some-other-model"));
        Accounts.asUser(name).get("/api/v1/models/" + model + "/metrics").then().statusCode(404);
        Accounts.asUser(name).get("/api/v1/models").then().statusCode(200).body("model", not(hasItem(model)));
    }

    @Test
    void expiredKeyIsRejected() throws InterruptedException {
        String secret = Accounts.key(List.of("read"), null, OffsetDateTime.now().plusSeconds(2).toString());
        given().header("X-API-Key", secret).get("/api/v1/models").then().statusCode(200);
        Thread.sleep(2500);
        given().header("X-API-Key", secret).get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void keyInThePastCannotBeCreated() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"late\",\"scope\":[\"read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/api/v1/admin/api-keys").then().statusCode(400)
                .body("details[0].field", equalTo("expiresAt"));
    }

    @Test
    void revokedKeyIsRejectedAtOnce() {
        String secret = Accounts.key(List.of("read"), null, null);
        given().header("X-API-Key", secret).get("/api/v1/models").then().statusCode(200);
        int id = given().header("X-API-Key", TestData.API_KEY).get("/api/v1/admin/api-keys").then().statusCode(200)
                .extract().path("find { it.secretPrefix == '" + secret.substring(0, 10) + "' }.id");
        given().header("X-API-Key", TestData.API_KEY).delete("/api/v1/admin/api-keys/" + id).then().statusCode(200)
                .body("revokedBy", equalTo("bootstrap-key"));
        given().header("X-API-Key", secret).get("/api/v1/models").then().statusCode(401);
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/admin/api-keys").then()
                .body("find { it.id == " + id + " }.secret", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void repeatedFailuresLockTheUser() {
        String name = Accounts.user(Role.ANALYST, null);
        for (int i = 0; i < 6; i++) {
            given().auth().preemptive().basic(name, "wrong-password-" + i).get("/api/v1/models").then().statusCode(401);
        }
        Accounts.asUser(name).get("/api/v1/models").then().statusCode(401);
        List<String> actions = given().header("X-API-Key", TestData.API_KEY).queryParam("limit", 1000)
                .get("/api/v1/admin/security-events").then().statusCode(200)
                .extract().path("findAll { it.target == '" + name + "' }.action");
        assertTrue(actions.contains("login-locked"), "security log of " + name + ": " + actions);
        assertTrue(actions.contains("login-rejected-locked"), "security log of " + name + ": " + actions);
    }

    @Test
    void disabledUserCannotLogIn() {
        String name = Accounts.user(Role.ANALYST, null);
        Accounts.asUser(name).get("/api/v1/models").then().statusCode(200);
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON).body("{\"enabled\": false}")
                .patch("/api/v1/admin/users/" + name).then().statusCode(200).body("enabled", equalTo(false));
        Accounts.asUser(name).get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void adminResetsPassword() {
        String name = Accounts.user(Role.ANALYST, null);
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"password\": \"a-brand-new-password\"}")
                .patch("/api/v1/admin/users/" + name).then().statusCode(200);
        Accounts.asUser(name).get("/api/v1/models").then().statusCode(401);
        given().auth().preemptive().basic(name, "a-brand-new-password").get("/api/v1/models").then().statusCode(200);
    }

    @Test
    void invalidUserFieldsAreNamed() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"shorty\",\"password\":\"short\",\"roles\":[\"analyst\"]}")
                .post("/api/v1/admin/users").then().statusCode(400)
                .body("details[0].field", equalTo("password"))
                .body("message", not(containsString("short\"")));
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"king\",\"password\":\"long-enough-password\",\"roles\":[\"emperor\"]}")
                .post("/api/v1/admin/users").then().statusCode(400)
                .body("details[0].field", equalTo("roles"))
                .body("message", containsString("emperor"));
    }

    @Test
    void securityLogIsAppendOnly() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO security_event (actor, action) VALUES ('test', 'probe')");
            SQLException update = assertThrows(SQLException.class,
                    () -> statement.execute("UPDATE security_event SET actor = 'x' WHERE action = 'probe'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> statement.execute("DELETE FROM security_event"));
        }
    }

    @Test
    void secretsNeverReachLogsOrBodies() throws Exception {
        String secret = Accounts.key(List.of("read"), null, null);
        given().header("X-API-Key", secret + "x").get("/api/v1/models").then().statusCode(401)
                .body(not(containsString(secret)));
        String name = Accounts.user(Role.ANALYST, null);
        given().auth().preemptive().basic(name, "typo-" + Accounts.PASSWORD).get("/api/v1/models").then()
                .statusCode(401).body(not(containsString(Accounts.PASSWORD)));

        String log = Files.readString(Path.of("target", "quarkus-test.log"));
        assertFalse(log.contains(secret), "the API key secret appears in the log");
        assertFalse(log.contains(Accounts.PASSWORD), "a user password appears in the log");
        assertFalse(log.contains(TestData.API_KEY + ","), "the bootstrap key appears in the log");
    }

    @Test
    void responsesCarrySecurityHeaders() {
        given().get("/login").then()
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        given().get("/api/v1/models").then().statusCode(401)
                .header("X-Content-Type-Options", equalTo("nosniff"));
    }

    @Test
    void sessionCookieIsHardened() {
        String plain = given().get("/login").then().extract().header("Set-Cookie");
        assertTrue(plain != null, "no session cookie");
        assertTrue(plain.startsWith("JSESSIONID="), "not the session cookie: " + plain);
        assertTrue(plain.contains("HttpOnly"), plain);
        assertTrue(plain.contains("SameSite=Strict"), plain);
        assertFalse(plain.contains("Secure"), "Secure without TLS: " + plain);

        String behindTls = given().header("X-Forwarded-Proto", "https").get("/login").then().extract()
                .header("Set-Cookie");
        assertTrue(behindTls != null, "no session cookie behind TLS");
        assertTrue(behindTls.contains("; Secure"), "cookie without Secure behind TLS: " + behindTls);
    }

    @Test
    void unknownApiPathIsJson404() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON).body("[]")
                .post("/api/v1/label").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not-found"));
        given().get("/api/v1/nope").then().statusCode(401).contentType(ContentType.JSON);
    }

    @Test
    void bootstrapAdminNameIsReserved() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"admin\",\"password\":\"a-long-password\",\"roles\":[\"analyst\"]}")
                .post("/api/v1/admin/users").then().statusCode(409);
    }

    @Test
    void createdUserAndKeyCarryTimes() {
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"timed-" + System.nanoTime() + "\",\"password\":\"a-long-password\"}")
                .post("/api/v1/admin/users").then().statusCode(201)
                .body("createdAt", org.hamcrest.Matchers.notNullValue());
        given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"all-models\",\"scope\":[\"read\"],\"models\":[]}")
                .post("/api/v1/admin/api-keys").then().statusCode(201)
                .body("createdAt", org.hamcrest.Matchers.notNullValue())
                .body("models", org.hamcrest.Matchers.nullValue());
    }
}
