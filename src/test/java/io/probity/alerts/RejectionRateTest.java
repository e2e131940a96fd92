package io.probity.alerts;

import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The stored counts of rejected ingest records and the {@code rejectionRate} alert metric. Event
 * times are in the current hour, because a record whose timestamp does not parse is counted in
 * the hour it was received.
 */
@QuarkusTest
class RejectionRateTest {

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification api() {
        return given().header("X-API-Key", TestData.API_KEY);
    }

    private static String record(String model, String version, String id, Instant time, String extra) {
        String versionField = version == null ? "" : "\"modelVersion\":\"" + version + "\",";
        return "{\"model\":\"" + model + "\"," + versionField + "\"predictionId\":\"" + id + "\","
                + "\"timestamp\":\"" + time + "\",\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[2.0,1.0,0.5],"
                + "\"predictedClass\":\"a\"" + extra + "}";
    }

    /** Returns {@code count} valid records of version v1 with ids {@code prefix-0}, {@code prefix-1}, ... */
    private static List<String> valid(String model, String prefix, int count, Instant start) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(model, "v1", prefix + "-" + i, start.plusSeconds(60L * i), ""));
        }
        return records;
    }

    private static void post(List<String> records, int accepted, int rejected) {
        api().contentType("application/x-ndjson").body(String.join("\n", records).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200)
                .body("accepted", equalTo(accepted)).body("rejected", equalTo(rejected));
    }

    /** Returns the stored rejection rows of a model, keyed by "version/field". */
    private Map<String, Object[]> storedRejections(String model) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT model_version, field, hour, rejected, sample_error FROM ingest_rejection_hourly "
                             + "WHERE model = ? ORDER BY model_version, field")) {
            query.setString(1, model);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "/" + rs.getString(2),
                            new Object[] {rs.getTimestamp(3).toInstant(), rs.getLong(4), rs.getString(5)});
                }
            }
        }
        return rows;
    }

    /** Sets the rule {@code rejectionRate above 0.2} over PT3H with minCount 10 on version v1. */
    private static void putRejectionRule(String model) {
        api().contentType(ContentType.JSON).body("{\"rules\": [{\"metric\": \"rejectionRate\", \"comparison\": "
                        + "\"above\", \"threshold\": 0.2, \"window\": \"PT3H\", \"minCount\": 10}]}")
                .queryParam("version", "v1").put("/api/v1/models/" + model + "/alert-rules").then().statusCode(200);
    }

    private static Map<String, Object> evaluate(String model) {
        List<Map<String, Object>> alerts = api().queryParam("model", model).queryParam("version", "v1")
                .post("/api/v1/alerts/evaluate").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE)).getList("findAll { it.active && it.rule.metric == 'rejectionRate' }");
        if (alerts.size() != 1) {
            fail("expected one active rejectionRate alert of " + model + ", got " + alerts);
        }
        return alerts.get(0);
    }

    @Test
    void rejectedRecordsAreCountedPerHourAndField() throws SQLException {
        String model = TestData.uniqueModel("rejections");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant eventTime = hour.plusSeconds(90);
        List<String> records = new ArrayList<>(valid(model, "ok", 2, hour));
        records.add(record(model, "v1", "bad-time", eventTime, "").replace(eventTime.toString(), "yesterday"));
        records.add(record(model, "v1", "bad-class-1", eventTime, "").replace("\"predictedClass\":\"a\"",
                "\"predictedClass\":\"zebra\""));
        records.add(record(model, "v1", "bad-class-2", eventTime, "").replace("\"predictedClass\":\"a\"",
                "\"predictedClass\":\"yak\""));
        records.add(record(model, "v1", "short", eventTime, "").replace("[2.0,1.0,0.5]", "[2.0,1.0]"));
        // Rejected before a version is known: no version sent, and a version never seen, without classes.
        records.add(record(model, null, "no-version", eventTime, "").replace("\"predictionId\":\"no-version\"",
                "\"predictionId\":\"\""));
        records.add(record(model, "v9", "new-version", eventTime, "").replace(",\"classes\":[\"a\",\"b\",\"c\"]", ""));
        // A version name of 5,000 characters is stored cut to 200 characters.
        String longVersion = "x".repeat(5000);
        records.add(record(model, longVersion, "long-version", eventTime, "").replace(",\"classes\":[\"a\",\"b\",\"c\"]", ""));
        Instant before = Instant.now().truncatedTo(ChronoUnit.HOURS);
        post(records, 2, 7);
        Instant after = Instant.now().truncatedTo(ChronoUnit.HOURS);

        Map<String, Object[]> stored = storedRejections(model);
        String storedLongVersion = "x".repeat(200);
        assertEquals(new TreeSet<>(List.of("/predictionId", "v1/logits", "v1/predictedClass", "v1/timestamp",
                "v9/classes", storedLongVersion + "/modelVersion")), new TreeSet<>(stored.keySet()));
        assertEquals(1L, stored.get(storedLongVersion + "/modelVersion")[1]);
        assertEquals(2L, stored.get("v1/predictedClass")[1], "two unknown classes in one row");
        assertTrue(((String) stored.get("v1/predictedClass")[2]).contains("\"yak\""),
                "the sample error is the last one counted: " + stored.get("v1/predictedClass")[2]);
        assertEquals(1L, stored.get("v1/logits")[1]);
        assertEquals(hour, stored.get("v1/logits")[0], "the hour of the record's event time");
        assertEquals(1L, stored.get("v1/timestamp")[1]);
        Instant receivedHour = (Instant) stored.get("v1/timestamp")[0];
        assertTrue(receivedHour.equals(before) || receivedHour.equals(after),
                "a timestamp that does not parse is counted in the hour of receipt, got " + receivedHour);
        assertEquals(1L, stored.get("/predictionId")[1]);
        assertEquals(1L, stored.get("v9/classes")[1]);

        // PostgreSQL text cannot contain NUL, so a model name with one is stored with U+FFFD instead.
        post(List.of(record(model + "\\u0000", "v1", "", eventTime, "")), 0, 1);
        assertEquals(1L, storedRejections(model + "\uFFFD").get("v1/predictionId")[1]);

        // A clean batch writes nothing, and a batch sent again adds to the same rows.
        post(valid(model, "clean", 3, hour), 3, 0);
        assertEquals(2L, storedRejections(model).get("v1/predictedClass")[1]);
        post(List.of(record(model, "v1", "bad-class-3", eventTime, "").replace("\"predictedClass\":\"a\"",
                "\"predictedClass\":\"zebra\"")), 0, 1);
        assertEquals(3L, storedRejections(model).get("v1/predictedClass")[1]);
    }

    @Test
    void rejectionRateFiresAndResolves() {
        String model = TestData.uniqueModel("rejection-rate");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<String> first = new ArrayList<>(valid(model, "a", 8, hour));
        first.add(record(model, "v1", "bad-1", hour, "").replace(hour.toString(), "not-a-time"));
        first.add(record(model, "v1", "bad-2", hour, ",\"label\":\"zebra\""));
        first.add(record(model, "v1", "bad-3", hour, "").replace("[2.0,1.0,0.5]", "[2.0,1.0,0.5,0.1]"));
        first.add(record(model, "v1", "bad-4", hour, "").replace("\"predictedClass\":\"a\"",
                "\"predictedClass\":\"d\""));
        post(first, 8, 4);

        putRejectionRule(model);

        // 4 rejected and 8 accepted: 4 / 12 is above 0.2, with 12 records against minCount 10.
        Map<String, Object> pending = evaluate(model);
        assertEquals("pending", pending.get("state"));
        assertEquals(4.0 / 12, ((Number) pending.get("value")).doubleValue(), 1e-12);
        assertEquals(12, ((Number) pending.get("count")).intValue());
        assertEquals("firing", evaluate(model).get("state"));

        // 12 more accepted records: 4 / 24 is below 0.2, so the alert resolves.
        post(valid(model, "b", 12, hour.plusSeconds(30)), 12, 0);
        Map<String, Object> resolved = evaluate(model);
        assertEquals("resolved", resolved.get("state"));
        assertEquals(4.0 / 24, ((Number) resolved.get("value")).doubleValue(), 1e-12);
        assertEquals(24, ((Number) resolved.get("count")).intValue());
    }

    @Test
    void rejectionRateNeedsMinCount() {
        String model = TestData.uniqueModel("rejection-few");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<String> records = new ArrayList<>(valid(model, "a", 2, hour));
        records.add(record(model, "v1", "bad", hour, "").replace("\"predictedClass\":\"a\"",
                "\"predictedClass\":\"d\""));
        post(records, 2, 1);
        putRejectionRule(model);

        // 1 / 3 is above 0.2, but 3 records are fewer than minCount 10, so the state stays ok.
        Map<String, Object> alert = evaluate(model);
        assertEquals("ok", alert.get("state"));
        assertEquals(1.0 / 3, ((Number) alert.get("value")).doubleValue(), 1e-12);
        assertEquals(3, ((Number) alert.get("count")).intValue());
    }
}
