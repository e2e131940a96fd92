package io.probity.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.probity.support.WebhookReceiver;
import io.probity.support.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The webhook delivery queue against an HTTP server on 127.0.0.1: retries, parallel receivers,
 * rows left pending by a stopped worker, and rows leased by another worker.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "test-webhook-secret";
    private static final long SLOW_MILLIS = 3000;

    private static WebhookReceiver receiver;
    private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private static final AtomicBoolean slowInProgress = new AtomicBoolean();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhookSender sender;

    @BeforeAll
    static void startWebhookServer() throws IOException {
        receiver = WebhookReceiver.start(path -> {
            int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.startsWith("/slow")) {
                slowInProgress.set(true);
                try {
                    Thread.sleep(SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowInProgress.set(false);
            }
            return path.startsWith("/fail-twice") && call <= 2 ? 500 : 200;
        });
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

    /** Creates a model with one prediction and a noData rule, and returns the rule id. */
    private static long modelWithRule(String model, String webhook) {
        String record = "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"p-1\","
                + "\"timestamp\":\"" + Instant.now() + "\",\"classes\":[\"a\",\"b\"],\"logits\":[1.0,0.0]}";
        api().contentType("application/x-ndjson").body(record.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200).body("accepted", equalTo(1));
        return api().contentType(ContentType.JSON).body("{\"rules\": [{\"metric\": \"noData\", \"comparison\": "
                        + "\"above\", \"threshold\": 0, \"webhook\": \"" + webhook + "\"}]}")
                .queryParam("version", "v1").put("/api/v1/models/" + model + "/alert-rules")
                .then().statusCode(200).extract().jsonPath().getLong("rules[0].id");
    }

    /** Inserts a transition of a rule and a queue row for it as a worker left it, and returns the transition id. */
    private long queued(long ruleId, String url, int attempts, String lockedUntil) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long transitionId;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO alert_transition (rule_id, from_state, to_state, reason) "
                            + "VALUES (?, 'pending', 'firing', 'inserted by the test') RETURNING id")) {
                insert.setLong(1, ruleId);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    transitionId = rs.getLong(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO webhook_outbox (transition_id, url, body, attempts, locked_until, lease_id) "
                            + "VALUES (?, ?, ?, ?, " + lockedUntil + ", "
                            + (lockedUntil.equals("NULL") ? "NULL" : "gen_random_uuid()") + ")")) {
                insert.setLong(1, transitionId);
                insert.setString(2, url);
                insert.setBytes(3, ("{\"transitionId\":" + transitionId + "}").getBytes(StandardCharsets.UTF_8));
                insert.setInt(4, attempts);
                insert.executeUpdate();
            }
            return transitionId;
        }
    }

    /** Returns (attempt, status, succeeded) of every stored attempt of a transition, in attempt order. */
    private List<List<Object>> attempts(long transitionId) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT attempt, status_code, succeeded FROM webhook_delivery WHERE transition_id = ? "
                             + "ORDER BY attempt, id")) {
            query.setLong(1, transitionId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(List.of(rs.getInt(1), rs.getInt(2), rs.getBoolean(3)));
                }
            }
        }
        return rows;
    }

    /** Returns (state, attempts, body) of the queue row of a transition. */
    private Object[] queueRow(long transitionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT state, attempts, body FROM webhook_outbox WHERE transition_id = ?")) {
            query.setLong(1, transitionId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    fail("no webhook_outbox row for transition " + transitionId);
                }
                return new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3)};
            }
        }
    }

    private static List<Received> awaitRequests(String path, int count) throws InterruptedException {
        return receiver.await(path, count);
    }

    private static List<Received> requests(String path) {
        return receiver.requests(path);
    }

    private void awaitState(long transitionId, String state) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!state.equals(queueRow(transitionId)[0]) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(state, queueRow(transitionId)[0], "queue state of transition " + transitionId);
    }

    private static long firingTransition(String model) {
        return api().queryParam("model", model).get("/api/v1/alerts").then().statusCode(200).extract().jsonPath()
                .getLong("find { it.active }.transitions.find { it.to == 'firing' }.id");
    }

    @Test
    void failingReceiverGetsThreeAttempts() throws Exception {
        String model = TestData.uniqueModel("webhook-retry");
        String path = "/fail-twice-" + model;
        modelWithRule(model, hook(path));
        Thread.sleep(1100);

        // noData is above 0 one second after the last prediction, so two evaluations fire the alert.
        api().queryParam("model", model).post("/api/v1/alerts/evaluate").then().statusCode(200);
        api().queryParam("model", model).post("/api/v1/alerts/evaluate").then().statusCode(200)
                .body("find { it.active }.state", equalTo("firing"));
        long transitionId = firingTransition(model);
        Object[] queue = queueRow(transitionId);
        assertEquals(transitionId, JSON.readTree((byte[]) queue[2]).get("transitionId").asLong(),
                "the queued body names its transition");

        List<Received> calls = awaitRequests(path, 3);
        awaitState(transitionId, WebhookOutbox.DELIVERED);
        Thread.sleep(500);
        assertEquals(3, requests(path).size(), "requests after the first success");
        assertEquals(List.of(500, 500, 200), calls.stream().map(Received::status).toList());
        for (Received call : calls) {
            assertArrayEquals((byte[]) queue[2], call.body(), "the stored body is sent as it is");
            assertEquals(WebhookSender.signature(SECRET, call.body()), call.signature());
        }
        assertEquals(List.of(List.of(1, 500, false), List.of(2, 500, false), List.of(3, 200, true)),
                attempts(transitionId));
        assertEquals(3, queueRow(transitionId)[1], "attempts of the queue row");
    }

    @Test
    void slowReceiverDoesNotDelayOthers() throws Exception {
        String model = TestData.uniqueModel("webhook-slow");
        long ruleId = modelWithRule(model, hook("/unused"));
        String slowPath = "/slow-" + model;
        String fastPath = "/fast-" + model;
        long slow = queued(ruleId, hook(slowPath), 0, "NULL");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!slowInProgress.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(slowInProgress.get(), "the slow receiver was called");

        long fast = queued(ruleId, hook(fastPath), 0, "NULL");
        awaitRequests(fastPath, 1);
        assertTrue(slowInProgress.get(), "the fast receiver was called while the slow one was sleeping");
        assertTrue(requests(slowPath).isEmpty(), "the slow request had not finished");
        awaitState(fast, WebhookOutbox.DELIVERED);
        awaitState(slow, WebhookOutbox.DELIVERED);
        assertEquals(1, requests(slowPath).size(), "requests to the slow receiver");
        assertEquals(List.of(List.of(1, 200, true)), attempts(slow));
    }

    @Test
    void pendingRowIsSentAfterRestart() throws Exception {
        String model = TestData.uniqueModel("webhook-restart");
        long ruleId = modelWithRule(model, hook("/unused"));
        String path = "/restart-" + model;
        sender.stopWorkers();
        long transitionId;
        try {
            // A worker that died after its first attempt: one attempt counted, and its lease expired.
            transitionId = queued(ruleId, hook(path), 1, "now() - interval '1 second'");
            Thread.sleep(500);
            assertTrue(requests(path).isEmpty(), "no request while the workers are stopped");
            assertEquals(WebhookOutbox.PENDING, queueRow(transitionId)[0]);
        } finally {
            sender.startWorkers();
        }

        awaitRequests(path, 1);
        awaitState(transitionId, WebhookOutbox.DELIVERED);
        assertEquals(List.of(List.of(2, 200, true)), attempts(transitionId));
    }

    @Test
    void leasedRowWaitsForLeaseExpiry() throws Exception {
        String model = TestData.uniqueModel("webhook-lease");
        long ruleId = modelWithRule(model, hook("/unused"));
        String path = "/leased-" + model;
        // A worker of another instance has leased the row for 2 more seconds.
        long transitionId = queued(ruleId, hook(path), 0, "now() + interval '2 seconds'");

        Thread.sleep(1000);
        assertTrue(requests(path).isEmpty(), "no request while another worker holds the lease");
        awaitRequests(path, 1);
        awaitState(transitionId, WebhookOutbox.DELIVERED);
        Thread.sleep(300);
        assertEquals(1, requests(path).size(), "requests after the lease expired");
        assertFalse(attempts(transitionId).isEmpty(), "the attempt is stored");
    }
}
