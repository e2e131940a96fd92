package io.probity.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.probity.support.Accounts;
import io.probity.support.TestData;
import io.probity.support.WebhookReceiver;
import io.probity.support.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@QuarkusTest
class AlertsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "test-webhook-secret";

    private static WebhookReceiver receiver;
    private static final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeAll
    static void startWebhookServer() throws IOException {
        // The flaky endpoint fails its first call, so the sender has to retry.
        receiver = WebhookReceiver.start(path -> path.startsWith("/flaky") && flakyCalls.getAndIncrement() == 0
                ? 500 : 200);
    }

    @AfterAll
    static void stopWebhookServer() {
        receiver.stop();
    }

    private static String hook(String path) {
        return receiver.url(path);
    }

    private static RequestSpecification api() {
        return given().header("X-API-Key", TestData.API_KEY);
    }

    private static void ingest(String ndjson) {
        api().contentType("application/x-ndjson").body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200).body("rejected", equalTo(0));
    }

    private static String digits(String file, String model) {
        return TestData.withModel(TestData.lines("demo/digits/" + file), "digits-logreg", model);
    }

    /** Returns the reference stream moved forward by {@code days}, with new prediction ids. */
    private static String referenceReplay(String model, int days) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : TestData.lines("demo/digits/reference.ndjson")) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.put("model", model);
            node.put("predictionId", "replay-" + node.get("predictionId").asText());
            node.put("timestamp", Instant.parse(node.get("timestamp").asText()).plus(days, ChronoUnit.DAYS).toString());
            lines.add(JSON.writeValueAsString(node));
        }
        return String.join("\n", lines);
    }

    private static void putRules(String model, String rules) {
        api().contentType(ContentType.JSON).body("{\"rules\": [" + rules + "]}")
                .put("/api/v1/models/" + model + "/alert-rules").then().statusCode(200);
    }

    private static Map<String, Object> alertOf(String model, String metric) {
        List<Map<String, Object>> alerts = api().queryParam("model", model).get("/api/v1/alerts")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.active }");
        return alerts.stream().filter(a -> metric.equals(((Map<?, ?>) a.get("rule")).get("metric"))).findFirst()
                .orElseThrow(() -> new AssertionError("no active " + metric + " alert of " + model));
    }

    /** Evaluates until the alert reaches {@code state}, at most 5 times. */
    private static Map<String, Object> evaluateUntil(String model, String metric, String state)
            throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            api().queryParam("model", model).post("/api/v1/alerts/evaluate").then().statusCode(200);
            Map<String, Object> alert = alertOf(model, metric);
            if (state.equals(alert.get("state"))) {
                return alert;
            }
            Thread.sleep(100);
        }
        fail(metric + " alert of " + model + " did not reach " + state + ": " + alertOf(model, metric));
        return null;
    }

    private static List<Received> awaitRequests(String path, int count) throws InterruptedException {
        return receiver.await(path, count);
    }

    @Test
    void invalidRulesNameFieldAndFix() {
        String model = TestData.uniqueModel("alerts-invalid");
        ingest(digits("reference.ndjson", model));
        JsonPath error = api().contentType(ContentType.JSON)
                .body("{\"rules\": [{\"metric\": \"f1\", \"comparison\": \"over\", \"threshold\": 1.5, "
                        + "\"window\": \"24 hours\", \"minCount\": -1, \"webhook\": \"ftp://example/hook\"},"
                        + "{\"metric\": \"ece\", \"comparison\": \"above\", \"threshold\": 1.5, \"window\": \"P200D\"}]}")
                .put("/api/v1/models/" + model + "/alert-rules")
                .then().statusCode(400).extract().jsonPath();
        List<String> fields = error.getList("details.field");
        assertTrue(fields.contains("rules[0].metric"), fields.toString());
        assertTrue(fields.contains("rules[0].comparison"), fields.toString());
        assertTrue(fields.contains("rules[0].window"), fields.toString());
        assertTrue(fields.contains("rules[0].minCount"), fields.toString());
        assertTrue(fields.contains("rules[0].webhook"), fields.toString());
        assertTrue(fields.contains("rules[1].threshold"), fields.toString());
        assertTrue(fields.contains("rules[1].window"), fields.toString());
        assertTrue(error.getString("details.find { it.field == 'rules[0].metric' }.message").contains("ece"));
        assertTrue(error.getString("details.find { it.field == 'rules[0].window' }.message").contains("PT24H"));

        api().contentType(ContentType.JSON).body("[]").put("/api/v1/models/" + model + "/alert-rules")
                .then().statusCode(400).body("message", containsString("rules array"));
        api().get("/api/v1/models/" + model + "/alert-rules").then().statusCode(200).body("rules", hasSize(0));
    }

    @Test
    void readAndEditNeedCredentials() {
        String model = TestData.uniqueModel("alerts-auth");
        ingest(digits("reference.ndjson", model));
        given().get("/api/v1/models/" + model + "/alert-rules").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"rules\": []}").put("/api/v1/models/" + model + "/alert-rules")
                .then().statusCode(401);
        api().queryParam("model", "no-such-model").get("/api/v1/alerts").then().statusCode(404);
    }

    @Test
    void analystReadsButCannotEdit() {
        String model = TestData.uniqueModel("alerts-roles");
        ingest(digits("reference.ndjson", model));
        String analyst = Accounts.user("analyst", List.of(model));
        String ops = Accounts.user("ops", List.of(model));
        String rules = "{\"rules\": [{\"metric\": \"ece\", \"comparison\": \"above\", \"threshold\": 0.05, "
                + "\"window\": \"PT24H\"}]}";

        Accounts.asUser(analyst).contentType(ContentType.JSON).body(rules)
                .put("/api/v1/models/" + model + "/alert-rules").then().statusCode(403);
        Accounts.asUser(ops).contentType(ContentType.JSON).body(rules)
                .put("/api/v1/models/" + model + "/alert-rules").then().statusCode(200)
                .body("rules[0].id", org.hamcrest.Matchers.notNullValue())
                .body("rules[0].minCount", equalTo(0));
        Accounts.asUser(analyst).get("/api/v1/models/" + model + "/alert-rules").then().statusCode(200)
                .body("rules", hasSize(1));
        Accounts.asUser(analyst).queryParam("model", model).get("/api/v1/alerts").then().statusCode(200);
        Accounts.asUser(analyst).queryParam("model", model).post("/api/v1/alerts/evaluate").then().statusCode(403);
    }

    @Test
    void ingestedBatchTriggersEvaluation() throws Exception {
        String model = TestData.uniqueModel("alerts-trigger");
        ingest(digits("reference.ndjson", model));
        putRules(model, "{\"metric\": \"psi\", \"comparison\": \"above\", \"threshold\": 0.2, "
                + "\"window\": \"PT24H\"}");
        ingest(digits("shifted.ndjson", model));

        // Only the post-ingestion trigger evaluates here: the scheduled run is hourly in tests.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"pending".equals(alertOf(model, "psi").get("state")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Map<String, Object> alert = alertOf(model, "psi");
        assertEquals("pending", alert.get("state"));
        assertEquals("2026-06-14T05:40:00Z", alert.get("windowEnd"));
    }

    @Test
    void everyMetricEvaluates() {
        String model = TestData.uniqueModel("alerts-metrics");
        ingest(digits("reference.ndjson", model));
        List<String> rules = new ArrayList<>();
        for (String metric : AlertMetric.apiNames()) {
            // Fractions cannot exceed 1; the other metrics get a threshold far above any value here.
            int threshold = List.of("ece", "accuracy", "estimatedAccuracy", "auditFailureRate", "rejectionRate",
                    "jensenShannon")
                    .contains(metric) ? 1 : 1000;
            rules.add("{\"metric\": \"" + metric + "\", \"comparison\": \"above\", \"threshold\": "
                    + threshold + ", \"window\": \"PT24H\"}");
        }
        putRules(model, String.join(",", rules));
        api().get("/api/v1/models/" + model + "/alert-rules").then().statusCode(200)
                .body("rules", hasSize(AlertMetric.values().length));
        api().queryParam("model", model).post("/api/v1/alerts/evaluate").then().statusCode(200)
                .body("findAll { it.evaluatedAt != null }", hasSize(AlertMetric.values().length))
                .body("state", everyItemIs("ok"));
        Map<String, Object> ece = alertOf(model, "ece");
        assertEquals(144, ((Number) ece.get("count")).intValue(), "labelled predictions in the last 24 hours");
        assertEquals("2026-06-07T05:40:00Z", ece.get("windowEnd"));
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }

    @Test
    void digitsShiftFiresAndRecoveryResolves() throws Exception {
        String model = TestData.uniqueModel("alerts-digits");
        ingest(digits("reference.ndjson", model));
        putRules(model, "{\"metric\": \"ece\", \"comparison\": \"above\", \"threshold\": 0.05, \"window\": \"PT24H\", "
                + "\"minCount\": 50, \"webhook\": \"" + hook("/flaky-ece") + "\"},"
                + "{\"metric\": \"psi\", \"comparison\": \"above\", \"threshold\": 0.2, \"window\": \"PT24H\", "
                + "\"minCount\": 50, \"webhook\": \"" + hook("/psi") + "\"}");
        Map<String, Object> calm = evaluateUntil(model, "ece", "ok");
        assertTrue(((Number) calm.get("value")).doubleValue() < 0.05, "reference ECE " + calm.get("value"));

        ingest(digits("shifted.ndjson", model));
        Map<String, Object> ece = evaluateUntil(model, "ece", "firing");
        assertTrue(((Number) ece.get("value")).doubleValue() > 0.1, "shifted ECE " + ece.get("value"));
        assertEquals("2026-06-14T05:40:00Z", ece.get("windowEnd"));
        assertTrue(((String) ece.get("link")).contains("/models/" + model + "?version=2026.06&from="),
                (String) ece.get("link"));
        List<Map<String, Object>> transitions = (List<Map<String, Object>>) ece.get("transitions");
        assertEquals("firing", transitions.get(0).get("to"));
        assertEquals("pending", transitions.get(0).get("from"));
        assertEquals("pending", transitions.get(1).get("to"));
        evaluateUntil(model, "psi", "firing");

        // The first delivery gets a 500 and the retry succeeds; both carry a valid signature.
        List<Received> eceCalls = awaitRequests("/flaky-ece", 2);
        for (Received call : eceCalls) {
            assertEquals(WebhookSender.signature(SECRET, call.body()), call.signature());
        }
        Map<?, ?> firing = JSON.readValue(eceCalls.get(1).body(), Map.class);
        assertEquals("firing", firing.get("state"));
        assertEquals(0.05, ((Number) firing.get("threshold")).doubleValue());
        assertEquals("PT24H", firing.get("window"));
        assertTrue(((Number) firing.get("value")).doubleValue() > 0.1);
        assertTrue(firing.get("link").toString().startsWith("http://localhost:8080/models/" + model));
        assertEquals("ece", ((Map<?, ?>) firing.get("rule")).get("metric"));
        awaitDeliveries(model, "ece", 2);
        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) alertOf(model, "ece").get("deliveries");
        Map<String, Object> first = deliveries.get(deliveries.size() - 1);
        Map<String, Object> second = deliveries.get(deliveries.size() - 2);
        assertEquals(1, first.get("attempt"));
        assertEquals(500, first.get("statusCode"));
        assertEquals(false, first.get("succeeded"));
        assertEquals(2, second.get("attempt"));
        assertEquals(true, second.get("succeeded"));

        // Dropping the psi rule resolves its alert and notifies its webhook.
        putRules(model, "{\"metric\": \"ece\", \"comparison\": \"above\", \"threshold\": 0.05, \"window\": \"PT24H\", "
                + "\"minCount\": 50, \"webhook\": \"" + hook("/flaky-ece") + "\"}");
        assertEquals(ece.get("rule"), alertOf(model, "ece").get("rule"), "an unchanged rule keeps its id");
        List<Received> psiCalls = awaitRequests("/psi", 2);
        assertEquals("firing", JSON.readValue(psiCalls.get(0).body(), Map.class).get("state"));
        Map<?, ?> removed = JSON.readValue(psiCalls.get(1).body(), Map.class);
        assertEquals("resolved", removed.get("state"));
        assertTrue(removed.get("reason").toString().contains("rule removed"), removed.get("reason").toString());

        // Calibrated traffic a week later: the 24-hour window ends at the newest prediction, so
        // the replay is judged like live traffic and the ECE alert resolves.
        ingest(referenceReplay(model, 14));
        Map<String, Object> recovered = evaluateUntil(model, "ece", "resolved");
        assertTrue(((Number) recovered.get("value")).doubleValue() < 0.05, "replayed ECE " + recovered.get("value"));
        assertEquals("2026-06-21T05:40:00Z", recovered.get("windowEnd"));
        List<Received> afterRecovery = awaitRequests("/flaky-ece", 3);
        assertEquals("resolved", JSON.readValue(afterRecovery.get(2).body(), Map.class).get("state"));
        api().queryParam("model", model).get("/api/v1/alerts").then().statusCode(200)
                .body("find { it.rule.metric == 'psi' }.active", equalTo(false))
                .body("find { it.rule.metric == 'psi' }.state", equalTo("resolved"))
                .body("find { it.active }.transitions.to", hasItem("resolved"));
    }

    private static void awaitDeliveries(String model, String metric, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (((List<?>) alertOf(model, metric).get("deliveries")).size() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        fail("fewer than " + count + " deliveries stored for " + metric + " of " + model);
    }
}
