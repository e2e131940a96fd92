package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.probity.review.ReviewFixtures.as;
import static io.probity.review.ReviewFixtures.ingest;
import static io.probity.review.ReviewFixtures.lowConfidence;
import static io.probity.review.ReviewFixtures.record;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ReviewApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    private static long claimNext(String reviewer, String model) {
        return as(reviewer).queryParam("model", model).post("/api/v1/review/claim")
                .then().statusCode(200).body("state", equalTo("claimed")).body("claimedBy", equalTo(reviewer))
                .extract().jsonPath().getLong("id");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultRulesQueueLowConfidenceAndFailedAudit() {
        String model = TestData.uniqueModel("review-default");
        ingest(List.of(record(model, "low", 0.1, 0, 0), record(model, "high", 5, 0, 0),
                record(model, "fails", 5, 0, 0).replace("}", ",\"probabilities\":[0.1,0.8,0.1]}")));

        JsonNode items = JSON.valueToTree(as("alice").queryParam("model", model).get("/api/v1/review/items")
                .then().statusCode(200).extract().as(List.class));
        assertEquals(2, items.size(), items.toString());
        Map<String, String> ruleById = Map.of(items.get(0).get("predictionId").asText(), items.get(0).get("rule").asText(),
                items.get(1).get("predictionId").asText(), items.get(1).get("rule").asText());
        assertEquals("confidenceBelow", ruleById.get("low"));
        assertEquals("auditFailed", ruleById.get("fails"));
        // The failed audit has the higher default priority, so it comes first.
        assertEquals("fails", items.get(0).get("predictionId").asText());
    }

    @Test
    void resolveStoresReviewLabelAndNote() {
        String model = TestData.uniqueModel("review-resolve");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);

        as("alice").contentType(ContentType.JSON).body(Map.of("label", "b", "note", "looks like b"))
                .post("/api/v1/review/items/" + id + "/resolve")
                .then().statusCode(200)
                .body("state", equalTo("resolved"))
                .body("label", equalTo("b"))
                .body("note", equalTo("looks like b"))
                .body("decidedBy", equalTo("alice"));

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/p-0000")
                .then().statusCode(200)
                .body("label", equalTo("b"))
                .body("labelSource", equalTo("review"));
    }

    @Test
    void resolveRejectsUnknownClass() {
        String model = TestData.uniqueModel("review-bad-label");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);

        as("alice").contentType(ContentType.JSON).body(Map.of("label", "z"))
                .post("/api/v1/review/items/" + id + "/resolve")
                .then().statusCode(400)
                .body("message", containsString("\"z\" is not a class"))
                .body("message", containsString("[a, b, c]"));
    }

    @Test
    void secondReviewerGetsConflictWithHolder() {
        String model = TestData.uniqueModel("review-conflict");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);

        as("bob").post("/api/v1/review/items/" + id + "/claim")
                .then().statusCode(409)
                .body("error", equalTo("claimed-by-other"))
                .body("message", containsString("alice"))
                .body("details.find { it.field == 'claimedBy' }.message", equalTo("alice"));
        as("bob").contentType(ContentType.JSON).body(Map.of("label", "a"))
                .post("/api/v1/review/items/" + id + "/resolve")
                .then().statusCode(409)
                .body("error", equalTo("claimed-by-other"));
        as("bob").queryParam("model", model).post("/api/v1/review/claim").then().statusCode(204);
    }

    @Test
    void undoRestoresLabelAndClaim() {
        String model = TestData.uniqueModel("review-undo");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").contentType(ContentType.JSON).body(Map.of("label", "c"))
                .post("/api/v1/review/items/" + id + "/resolve").then().statusCode(200);

        as("bob").post("/api/v1/review/items/" + id + "/undo")
                .then().statusCode(409).body("error", equalTo("nothing-to-undo"));
        as("alice").post("/api/v1/review/items/" + id + "/undo")
                .then().statusCode(200)
                .body("state", equalTo("claimed"))
                .body("claimedBy", equalTo("alice"))
                .body("label", nullValue());

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/p-0000")
                .then().statusCode(200)
                .body("label", nullValue())
                .body("labelSource", nullValue());
        as("alice").post("/api/v1/review/items/" + id + "/undo")
                .then().statusCode(409).body("error", equalTo("nothing-to-undo"));
    }

    @Test
    void undoAfterLeaseEndIsRejected() throws Exception {
        String model = TestData.uniqueModel("review-undo-late");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").contentType(ContentType.JSON).body("{}").post("/api/v1/review/items/" + id + "/skip")
                .then().statusCode(200);
        expireLease(id);

        as("alice").post("/api/v1/review/items/" + id + "/undo")
                .then().statusCode(409).body("error", equalTo("lease-expired"));
    }

    @Test
    void skippedItemGoesToAnotherReviewer() {
        String model = TestData.uniqueModel("review-skip");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").contentType(ContentType.JSON).body(Map.of("note", "unsure"))
                .post("/api/v1/review/items/" + id + "/skip")
                .then().statusCode(200).body("state", equalTo("skipped"));

        as("alice").queryParam("model", model).post("/api/v1/review/claim").then().statusCode(204);
        assertEquals(id, claimNext("bob", model));
    }

    @Test
    void escalatedItemLeavesTheQueue() {
        String model = TestData.uniqueModel("review-escalate");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").contentType(ContentType.JSON).body(Map.of("note", "needs a fraud analyst"))
                .post("/api/v1/review/items/" + id + "/escalate")
                .then().statusCode(200).body("state", equalTo("escalated"));

        as("bob").queryParam("model", model).post("/api/v1/review/claim").then().statusCode(204);
        as("ops-carol").post("/api/v1/review/items/" + id + "/claim")
                .then().statusCode(200).body("claimedBy", equalTo("ops-carol"));
        as("ops-carol").contentType(ContentType.JSON).body(Map.of("label", "a"))
                .post("/api/v1/review/items/" + id + "/resolve")
                .then().statusCode(200).body("state", equalTo("resolved"));
    }

    @Test
    void releaseReturnsItemToQueue() {
        String model = TestData.uniqueModel("review-release");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);

        as("bob").post("/api/v1/review/items/" + id + "/release").then().statusCode(409);
        as("alice").post("/api/v1/review/items/" + id + "/release")
                .then().statusCode(200).body("state", equalTo("open")).body("claimedBy", nullValue());
        assertEquals(id, claimNext("bob", model));
    }

    @Test
    void expiredLeaseReturnsItemToQueue() throws Exception {
        String model = TestData.uniqueModel("review-lease");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        expireLease(id);

        as("alice").contentType(ContentType.JSON).body(Map.of("label", "a"))
                .post("/api/v1/review/items/" + id + "/resolve")
                .then().statusCode(409);
        assertEquals(id, claimNext("bob", model));

        List<String> actions = as("bob").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200).extract().jsonPath().getList("action");
        assertEquals(List.of("queued", "claim", "lease-expired", "claim"), actions);
    }

    @Test
    void historyRecordsEveryAction() {
        String model = TestData.uniqueModel("review-history");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").post("/api/v1/review/items/" + id + "/release").then().statusCode(200);
        claimNext("bob", model);
        as("bob").contentType(ContentType.JSON).body(Map.of("note", "hard one"))
                .post("/api/v1/review/items/" + id + "/skip").then().statusCode(200);
        as("bob").post("/api/v1/review/items/" + id + "/undo").then().statusCode(200);
        as("bob").contentType(ContentType.JSON).body(Map.of("label", "a", "note", "settled"))
                .post("/api/v1/review/items/" + id + "/resolve").then().statusCode(200);

        JsonNode history = JSON.valueToTree(as("carol").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200).extract().as(List.class));
        String[][] expected = {
                {"router", "queued", null, "open"},
                {"alice", "claim", "open", "claimed"},
                {"alice", "release", "claimed", "open"},
                {"bob", "claim", "open", "claimed"},
                {"bob", "skip", "claimed", "skipped"},
                {"bob", "undo", "skipped", "claimed"},
                {"bob", "resolve", "claimed", "resolved"}};
        assertEquals(expected.length, history.size(), history.toString());
        for (int i = 0; i < expected.length; i++) {
            JsonNode entry = history.get(i);
            assertEquals(expected[i][0], entry.get("actor").asText(), "actor of entry " + i);
            assertEquals(expected[i][1], entry.get("action").asText(), "action of entry " + i);
            String before = entry.get("before").isNull() ? null : entry.get("before").get("state").asText();
            assertEquals(expected[i][2], before, "state before entry " + i);
            assertEquals(expected[i][3], entry.get("after").get("state").asText(), "state after entry " + i);
            assertTrue(entry.hasNonNull("at"), "time of entry " + i);
        }
        // The queued entry is derived from the item row (its fields do not change), not stored.
        JsonNode queued = history.get(0);
        assertTrue(queued.get("id").isNull(), queued.toString());
        assertEquals(1.0, queued.get("after").get("inclusionProbability").asDouble(), queued.toString());
        assertTrue(queued.get("after").has("rule"), queued.toString());
        for (int i = 1; i < expected.length; i++) {
            assertTrue(history.get(i).get("id").asLong() > history.get(i - 1).get("id").asLong(0), "ids in order");
        }
        assertEquals("hard one", history.get(4).get("note").asText());
        assertEquals("a", history.get(6).get("after").get("label").asText());
        assertTrue(history.get(6).get("before").has("prediction"), "resolve keeps the previous label for undo");
        JsonNode previous = history.get(6).get("before").get("prediction");
        assertTrue(previous.get("label").isNull(), previous.toString());
        assertTrue(previous.get("labelIndex").isNull(), "no class index without a label: " + previous);
    }

    @Test
    void historyExportsAsCsv() {
        String model = TestData.uniqueModel("review-csv");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        as("alice").contentType(ContentType.JSON).body(Map.of("label", "a", "note", "=HYPERLINK(\"x\"), two\nlines"))
                .post("/api/v1/review/items/" + id + "/resolve").then().statusCode(200);

        String byQuery = as("alice").queryParam("format", "csv").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        String byAccept = as("alice").accept("text/csv").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200).extract().asString();
        assertEquals(byQuery, byAccept);

        String[] lines = byQuery.split("\r\n");
        assertEquals(HistoryCsv.HEADER, lines[0]);
        assertTrue(lines[1].contains(",router,queued,"), lines[1]);
        assertTrue(lines[1].startsWith("," + id + ","), "the derived queued entry has an empty id: " + lines[1]);
        assertTrue(lines[2].contains(",alice,claim,"), lines[2]);
        assertTrue(byQuery.contains(",\"'=HYPERLINK(\"\"x\"\"), two\nlines\""), byQuery);
        as("alice").queryParam("format", "xml").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(400).body("message", containsString("csv or json"));
    }

    @Test
    void apiKeyWithoutReviewerIsRejected() {
        given().header("X-API-Key", TestData.API_KEY).post("/api/v1/review/claim")
                .then().statusCode(400)
                .body("error", equalTo("reviewer-missing"))
                .body("message", containsString("X-Reviewer"));
    }

    @Test
    void basicAuthenticationRecordsUser() {
        String model = TestData.uniqueModel("review-basic");
        ingest(lowConfidence(model, "p", 1));
        given().header("Authorization", basic("admin", TestData.ADMIN_PASSWORD)).queryParam("model", model)
                .post("/api/v1/review/claim")
                .then().statusCode(200).body("claimedBy", equalTo("admin"));

        given().header("Authorization", basic("admin", "wrong")).post("/api/v1/review/claim")
                .then().statusCode(401).body("message", containsString("Authentication failed"));
        given().header("Authorization", basic("admin", TestData.ADMIN_PASSWORD)).get("/api/v1/models")
                .then().statusCode(200);
    }

    @Test
    void summaryCountsStatesAndThroughput() {
        String model = TestData.uniqueModel("review-summary");
        ingest(lowConfidence(model, "p", 3));
        long first = claimNext("dora", model);
        as("dora").contentType(ContentType.JSON).body(Map.of("label", "a"))
                .post("/api/v1/review/items/" + first + "/resolve").then().statusCode(200);
        claimNext("dora", model);

        as("dora").queryParam("model", model).get("/api/v1/review/summary")
                .then().statusCode(200)
                .body("queue.countsByState.open", equalTo(1))
                .body("queue.countsByState.claimed", equalTo(1))
                .body("queue.countsByState.resolved", equalTo(1))
                .body("queue.oldestOpenCreatedAt", org.hamcrest.Matchers.notNullValue())
                .body("reviewers.find { it.reviewer == 'dora' }.resolvedLastDay", equalTo(1));
        as("dora").queryParam("model", model).queryParam("state", "claimed").get("/api/v1/review/items")
                .then().statusCode(200).body("$", hasSize(1));
        as("dora").queryParam("state", "done").get("/api/v1/review/items")
                .then().statusCode(400).body("message", containsString("open, claimed"));
        as("dora").queryParam("model", model).queryParam("minAgeMinutes", 60).get("/api/v1/review/items")
                .then().statusCode(200).body("$", hasSize(0));
        as("dora").queryParam("minAgeMinutes", "-5").get("/api/v1/review/items")
                .then().statusCode(400).body("message", containsString("minAgeMinutes \"-5\""));
    }

    @Test
    void storedQueuedEntryIsNotRepeated() throws Exception {
        // Databases written before routing stopped storing "queued" rows still hold them.
        String model = TestData.uniqueModel("review-stored-queued");
        ingest(lowConfidence(model, "p", 1));
        long id = claimNext("alice", model);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO review_history (item_id, at, actor, "
                     + "action, after) VALUES (?, now() - interval '1 minute', 'router', 'queued', '{\"state\":\"open\"}')")) {
            insert.setLong(1, id);
            insert.executeUpdate();
        }

        JsonNode history = JSON.valueToTree(as("alice").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200).extract().as(List.class));
        assertEquals(2, history.size(), history.toString());
        assertEquals(List.of("claim", "queued"), List.of(history.get(0).get("action").asText(),
                history.get(1).get("action").asText()), "stored rows in id order, and no derived entry");
        assertTrue(history.get(1).get("id").isNumber(), history.toString());
    }

    @Test
    void historyIsAppendOnly() throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE review_history SET actor = 'x'")) {
            java.sql.SQLException error = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    update::executeUpdate);
            assertTrue(error.getMessage().contains("append-only"), error.getMessage());
        }
    }

    private void expireLease(long id) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE review_item SET lease_expires_at = now() - interval '1 second' WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }
}
