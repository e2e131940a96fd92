package io.probity.analytics;

import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(before, after);

        // A second batch after the fold adds to the folded rows.
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(records.replace("\"predictionId\":\"", "\"predictionId\":\"again-").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200);
        int count = given().header("X-API-Key", TestData.API_KEY).get(metricsPath)
                .then().statusCode(200).extract().path("count");
        int first = io.restassured.path.json.JsonPath.from(before).getInt("count");
        assertEquals(2 * first, count);
        folder.foldAll();
        assertEquals(2 * first, (int) given().header("X-API-Key", TestData.API_KEY).get(metricsPath)
                .then().statusCode(200).extract().path("count"));
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
