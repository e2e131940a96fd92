package io.probity.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Locale;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingestion appends rollup sums to the pending table, and the fold moves them into
 * {@code analytics_rollup}: the metrics are the same before and after, and nothing is counted twice.
 */
@QuarkusTest
class RollupFoldTest {

    @Inject
    RollupFolder folder;

    @Inject
    RollupRebuild rebuild;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void foldKeepsMetrics() throws SQLException {
        String model = TestData.uniqueModel("fold");
        String records = TestData.withModel(TestData.lines("demo/digits/reference.ndjson"), "digits-logreg", model);
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(records.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions")
                .then().statusCode(200);
        String metricsPath = "/api/v1/models/" + model + "/metrics";
        String before = given().header("X-API-Key", TestData.API_KEY).get(metricsPath)
                .then().statusCode(200).extract().asString();
        // The test profile folds every hour, so the batch is still pending here.
        assertTrue(pendingRows(model) > 0, "pending rows after the ingest");

        folder.foldAll();

        assertEquals(0, pendingRows(model), "pending rows left after the fold");
        assertTrue(rollupRows(model) > 0, "rollup rows after the fold");
        String after = given().header("X-API-Key", TestData.API_KEY).get(metricsPath)
                .then().statusCode(200).extract().asString();
        assertSameFigures(before, after);

        // A second batch after the fold adds to the folded rows.
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(records.replace("\"predictionId\":\"", "\"predictionId\":\"again-").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200);
        int count = given().header("X-API-Key", TestData.API_KEY).get(metricsPath)
                .then().statusCode(200).extract().path("count");
        int first = io.restassured.path.json.JsonPath.from(before).getInt("count");
        assertEquals(2 * first, count);
        String twice = metrics(metricsPath);
        folder.foldAll();
        assertSameFigures(twice, metrics(metricsPath));

        // Changed labels append negative and positive sums; folding them rewrites the stored rows.
        StringBuilder labels = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            String predictionId = String.format(Locale.ROOT, "ref-%05d", i);
            labels.append(i == 0 ? "" : ",").append("{\"model\":\"").append(model).append("\",\"predictionId\":\"")
                    .append(predictionId).append("\",\"label\":\"").append(i % 10).append("\"}");
        }
        given().header("X-API-Key", TestData.API_KEY).contentType("application/json").body(labels.append("]").toString())
                .post("/api/v1/labels").then().statusCode(200).body("rejected", equalTo(0));
        String relabelled = metrics(metricsPath);
        assertNotEquals(twice, relabelled, "the new labels did not change the metrics");
        assertTrue(pendingRows(model) > 0, "the label change left no pending rows");
        folder.foldAll();
        assertEquals(0, pendingRows(model));
        assertSameFigures(relabelled, metrics(metricsPath));

        // Sums folded batch by batch equal sums rebuilt from the stored predictions in one pass.
        rebuild.rebuild(versionId(model));
        assertSameFigures(relabelled, metrics(metricsPath));
    }

    private static String metrics(String path) {
        return given().header("X-API-Key", TestData.API_KEY).get(path).then().statusCode(200).extract().asString();
    }

    /** Compares two metrics bodies: equal structure and counts, numbers within 1e-12 (summation order differs). */
    private static void assertSameFigures(String expected, String actual) {
        try {
            ObjectMapper json = new ObjectMapper();
            assertSameNode("$", json.readTree(expected), json.readTree(actual));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertSameNode(String path, JsonNode expected,
                                       JsonNode actual) {
        if (expected.isFloatingPointNumber() && actual.isNumber()) {
            assertEquals(expected.doubleValue(), actual.doubleValue(), 1e-12, path);
        } else if (expected.isContainerNode()) {
            assertEquals(expected.size(), actual.size(), path + " size");
            Iterator<String> names = expected.fieldNames();
            if (expected.isObject()) {
                while (names.hasNext()) {
                    String name = names.next();
                    assertTrue(actual.has(name), path + "." + name + " missing");
                    assertSameNode(path + "." + name, expected.get(name), actual.get(name));
                }
            } else {
                for (int i = 0; i < expected.size(); i++) {
                    assertSameNode(path + "[" + i + "]", expected.get(i), actual.get(i));
                }
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }

    private long versionId(String model) throws SQLException {
        return count("SELECT id FROM model_version WHERE model = ?", model);
    }

    private long pendingRows(String model) throws SQLException {
        return count("SELECT count(*) FROM analytics_rollup_pending p JOIN model_version v ON v.id = p.model_version_id "
                + "WHERE v.model = ?", model);
    }

    private long rollupRows(String model) throws SQLException {
        return count("SELECT count(*) FROM analytics_rollup r JOIN model_version v ON v.id = r.model_version_id "
                + "WHERE v.model = ?", model);
    }

    private long count(String sql, String model) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, model);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
