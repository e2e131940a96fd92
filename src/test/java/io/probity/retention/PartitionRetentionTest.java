package io.probity.retention;

import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time partitions of {@code prediction}: created ahead and on demand, idempotency across
 * partitions, and retention that drops old partitions while their rollups keep serving metrics.
 */
@QuarkusTest
class PartitionRetentionTest {

    private static final String NDJSON = "application/x-ndjson";

    @Inject
    PredictionPartitions partitions;

    @Inject
    AgroalDataSource dataSource;

    private static JsonPath post(String body) {
        return given().header("X-API-Key", TestData.API_KEY).contentType(NDJSON)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Builds a 3-class NDJSON record; {@code label} is null for none. */
    private static String record(String model, String id, String timestamp, double[] logits, String label) {
        return "{\"model\":\"" + model + "\",\"modelVersion\":\"v1\",\"predictionId\":\"" + id + "\","
                + "\"timestamp\":\"" + timestamp + "\",\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[" + logits[0] + ","
                + logits[1] + "," + logits[2] + "]" + (label == null ? "" : ",\"label\":\"" + label + "\"") + "}\n";
    }

    /** Reads a metrics response with numbers as doubles (JsonPath's default is float). */
    private static JsonPath metrics(String path) {
        String body = given().header("X-API-Key", TestData.API_KEY).get(path)
                .then().statusCode(200).extract().asString();
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private PredictionPartitions.Partition partitionHolding(Instant instant) {
        return partitions.list().stream()
                .filter(p -> !instant.isBefore(p.from()) && instant.isBefore(p.to()))
                .findFirst().orElse(null);
    }

    @Test
    void partitionsCreatedAhead() {
        Instant month = PartitionInterval.MONTH.start(Instant.now());
        for (int i = 0; i < 3; i++) {
            PredictionPartitions.Partition partition = partitionHolding(month);
            assertNotNull(partition, "no partition holds " + month);
            assertEquals(month, partition.from());
            month = PartitionInterval.MONTH.next(month);
            assertEquals(month, partition.to());
        }
    }

    @Test
    void backfillCreatesPartition() {
        String model = TestData.uniqueModel("backfill");
        assertNull(partitionHolding(Instant.parse("2011-03-15T10:00:00Z")), "the test needs an unused month");

        JsonPath first = post(record(model, "old-1", "2011-03-15T10:00:00.123456Z", new double[] {2, 1, 0}, null));
        assertEquals(1, first.getInt("accepted"));
        PredictionPartitions.Partition partition = partitionHolding(Instant.parse("2011-03-15T10:00:00Z"));
        assertNotNull(partition);
        assertEquals("prediction_p20110301", partition.name());
        assertEquals(Instant.parse("2011-03-01T00:00:00Z"), partition.from());
        assertEquals(Instant.parse("2011-04-01T00:00:00Z"), partition.to());

        // The same id with a timestamp in another partition is still the same prediction.
        JsonPath again = post(record(model, "old-1", "2026-06-01T00:00:00Z", new double[] {2, 1, 0}, null));
        assertEquals(0, again.getInt("accepted"));
        assertEquals(1, again.getInt("duplicates"));
        assertEquals("duplicate", again.getString("results[0].status"));

        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/old-1")
                .then().statusCode(200)
                .body("timestamp", equalTo("2011-03-15T10:00:00.123456Z"));

        // Before 1970 the key's event time comes from a negative count of microseconds.
        assertEquals(1, post(record(model, "old-2", "1969-07-20T20:17:40.000001Z", new double[] {2, 1, 0}, null))
                .getInt("accepted"));
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/old-2")
                .then().statusCode(200)
                .body("timestamp", equalTo("1969-07-20T20:17:40.000001Z"));

        given().header("X-API-Key", TestData.API_KEY).contentType("application/json")
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"old-1\",\"label\":\"b\"}]")
                .post("/api/v1/labels")
                .then().statusCode(200).body("accepted", equalTo(1));
    }

    @Test
    void retentionKeepsRollups() throws SQLException {
        String model = TestData.uniqueModel("retention");
        Instant start = Instant.parse("1999-01-04T00:00:00Z");
        StringBuilder body = new StringBuilder();
        int correct = 0;
        int labelled = 0;
        int unlabelledLowConfidence = 0;
        for (int i = 0; i < 40; i++) {
            // Logit gaps from 0.1 to 4.0 give confidences from about 0.41 to 0.97.
            double gap = 0.1 + 0.1 * i;
            String label = i % 4 == 3 ? null : (i % 3 == 0 ? "b" : "a");
            double confidence = Math.exp(gap) / (Math.exp(gap) + 1 + Math.exp(-0.5));
            if (label == null && confidence < 0.6) {
                unlabelledLowConfidence++;
            }
            if (label != null) {
                labelled++;
                correct += "a".equals(label) ? 1 : 0;
            }
            body.append(record(model, "r-" + i, start.plus(i, ChronoUnit.HOURS).toString(),
                    new double[] {gap, 0, -0.5}, label));
        }
        assertEquals(40, post(body.toString()).getInt("accepted"));

        String window = "/api/v1/models/" + model + "/metrics?from=1999-01-01T00:00:00Z&to=1999-02-01T00:00:00Z";
        JsonPath before = metrics(window);
        assertEquals(40, before.getInt("count"));
        assertEquals(labelled, before.getInt("labeledCount"));
        assertEquals((double) correct / labelled, before.getDouble("accuracy"), 1e-12);

        List<Long> openItems = openReviewItems(model);
        // The default review rules queue unlabelled predictions with confidence below 0.6.
        assertEquals(unlabelledLowConfidence, openItems.size());

        List<PredictionPartitions.Partition> dropped = partitions.dropBefore(Instant.parse("1999-02-01T00:00:00Z"));
        assertTrue(dropped.stream().anyMatch(p -> p.name().equals("prediction_p19990101")), "dropped " + dropped);
        assertNull(partitionHolding(start));

        // Raw rows and keys are gone, so the detail endpoint returns 404 and the labels API rejects the label.
        given().header("X-API-Key", TestData.API_KEY).get("/api/v1/models/" + model + "/predictions/r-1")
                .then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM prediction_key WHERE model = ?", model));
        given().header("X-API-Key", TestData.API_KEY).contentType("application/json")
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"r-1\",\"label\":\"a\"}]")
                .post("/api/v1/labels")
                .then().statusCode(200).body("rejected", equalTo(1));

        // The rollups of the dropped month still give the same figures.
        JsonPath after = metrics(window);
        assertEquals(40, after.getInt("count"));
        assertEquals(labelled, after.getInt("labeledCount"));
        assertEquals(before.getDouble("accuracy"), after.getDouble("accuracy"), 0.0);
        assertEquals(before.getDouble("ece"), after.getDouble("ece"), 1e-12);
        assertEquals(before.getDouble("brier"), after.getDouble("brier"), 1e-12);

        // Review items still undecided expire, each with a history row.
        for (long item : openItems) {
            assertEquals("expired", itemState(item), "state of review item " + item);
            assertEquals(1, count("SELECT count(*) FROM review_history WHERE item_id = ? AND action = 'expire' "
                    + "AND actor = 'retention'", item));
        }
        assertFalse(openItems.isEmpty());

        // Expired items stay visible in the queue, without the fields of the dropped prediction.
        long expired = openItems.get(0);
        given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", "rita")
                .queryParam("model", model).queryParam("state", "expired").get("/api/v1/review/items")
                .then().statusCode(200).body("id", hasItem((int) expired));
        given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", "rita")
                .get("/api/v1/review/items/" + expired)
                .then().statusCode(200).body("state", equalTo("expired")).body("predictionId", nullValue());
        given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", "rita")
                .get("/api/v1/review/items/" + expired + "/history")
                .then().statusCode(200).body("action", hasItem("expire"));
    }

    @Test
    void retentionSettingErrors() {
        assertEquals(java.time.Period.ofDays(90), PredictionPartitions.parseRetention("P90D"));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PredictionPartitions.parseRetention("90 days"));
        assertTrue(bad.getMessage().contains("\"90 days\""), bad.getMessage());
        assertTrue(bad.getMessage().contains("P90D"), bad.getMessage());
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PredictionPartitions.parseRetention("P0D"));
        assertTrue(zero.getMessage().contains("positive"), zero.getMessage());
    }

    private List<Long> openReviewItems(String model) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT r.id FROM review_item r "
                     + "JOIN model_version v ON v.id = r.model_version_id WHERE v.model = ? AND r.state = 'open'")) {
            query.setString(1, model);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private String itemState(long itemId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT state FROM review_item WHERE id = ?")) {
            query.setLong(1, itemId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
