package io.probity.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.calibration.CalibrationMetrics;
import io.probity.calibration.DigitsDataset;
import io.probity.calibration.LabelledPredictions;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the analytics endpoints on the real database with the digits data: the reference set
 * (2026-06-01 to 2026-06-07) and the overconfident shifted set (from 2026-06-08) stored under one
 * model, and a second model whose labels arrive after the predictions.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-9;
    private static final String REFERENCE_FROM = "2026-06-01T00:00:00Z";
    private static final String SHIFTED_FROM = "2026-06-08T00:00:00Z";
    private static final String SHIFTED_TO = "2026-06-15T00:00:00Z";

    private final String model = TestData.uniqueModel("analytics");
    private final String lateLabels = TestData.uniqueModel("late-labels");
    private boolean ingested;

    /** Runs before the first test only; RestAssured's port is set per test, not before @BeforeAll. */
    @BeforeEach
    void ingestDigits() {
        if (ingested) {
            return;
        }
        ingest(TestData.withModel(TestData.lines("demo/digits/reference.ndjson"), "digits-logreg", model), 899);
        ingest(TestData.withModel(TestData.lines("demo/digits/shifted.ndjson"), "digits-logreg", model), 899);
        List<String> unlabelled = TestData.lines("demo/digits/reference.ndjson").stream()
                .map(line -> line.replaceAll(",\"label\":\"[0-9]\"", "")).toList();
        ingest(TestData.withModel(unlabelled, "digits-logreg", lateLabels), 899);
        ingested = true;
    }

    private static void ingest(String body, int accepted) {
        api().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200)
                .body("accepted", org.hamcrest.Matchers.equalTo(accepted));
    }

    private static RequestSpecification api() {
        return given().header("X-API-Key", TestData.API_KEY);
    }

    private static JsonNode get(String path, Object... parameters) throws Exception {
        RequestSpecification request = api();
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam((String) parameters[i], parameters[i + 1]);
        }
        String body = request.get(path).then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    @Test
    void driftBetweenReferenceAndShiftedIsStrong() throws Exception {
        JsonNode drift = get("/api/v1/models/" + model + "/drift", "baselineFrom", REFERENCE_FROM,
                "baselineTo", SHIFTED_FROM, "from", SHIFTED_FROM, "to", SHIFTED_TO);
        assertTrue(drift.get("psi").asDouble() > 0.2, "psi " + drift.get("psi"));
        assertEquals("strong", drift.get("status").asText());
        assertEquals(899, drift.get("baseline").get("count").asLong());
        assertEquals(899, drift.get("current").get("count").asLong());
        assertTrue(drift.get("ks").get("statistic").asDouble() > 0, "ks " + drift.get("ks"));
        assertTrue(drift.get("eceDelta").asDouble() > 0, "eceDelta " + drift.get("eceDelta"));
        assertTrue(drift.get("accuracyDelta").asDouble() < 0, "accuracyDelta " + drift.get("accuracyDelta"));
        assertNotNull(drift.get("jensenShannon"));
        assertNotNull(drift.get("classMixPsi"));
        assertNotNull(drift.get("classMix").get("pValue"));
        assertNotNull(drift.get("estimatedAccuracy"));
    }

    @Test
    void driftBetweenReferenceHalvesIsStable() throws Exception {
        // 899 predictions every 10 minutes from 2026-06-01: row 450 is at 2026-06-04T03:00Z.
        JsonNode drift = get("/api/v1/models/" + model + "/drift", "baselineFrom", REFERENCE_FROM,
                "baselineTo", "2026-06-04T03:00:00Z", "from", "2026-06-04T03:00:00Z", "to", SHIFTED_FROM);
        assertTrue(drift.get("psi").asDouble() < 0.1, "psi " + drift.get("psi"));
        assertEquals("stable", drift.get("status").asText());
        assertEquals(450, drift.get("baseline").get("count").asLong());
        assertEquals(449, drift.get("current").get("count").asLong());
    }

    @Test
    void driftCalibrationDeltasMatchRawRows() throws Exception {
        JsonNode drift = get("/api/v1/models/" + model + "/drift", "baselineFrom", REFERENCE_FROM,
                "baselineTo", SHIFTED_FROM, "from", SHIFTED_FROM, "to", SHIFTED_TO);
        LabelledPredictions reference = DigitsDataset.load("reference.ndjson").predictions();
        LabelledPredictions shifted = DigitsDataset.load("shifted.ndjson").predictions();
        double expectedEceDelta = CalibrationMetrics.ece(shifted, 15) - CalibrationMetrics.ece(reference, 15);
        double expectedAccuracyDelta = CalibrationMetrics.accuracy(shifted) - CalibrationMetrics.accuracy(reference);
        assertEquals(expectedEceDelta, drift.get("eceDelta").asDouble(), TOLERANCE, "eceDelta");
        assertEquals(expectedAccuracyDelta, drift.get("accuracyDelta").asDouble(), TOLERANCE, "accuracyDelta");
    }

    @Test
    void driftDefaultsToStoredBaseline() throws Exception {
        // Without a stored baseline the default is the first 7 days, which hold the reference set.
        JsonNode baseline = get("/api/v1/models/" + model + "/baseline");
        assertEquals("default", baseline.get("source").asText());
        assertEquals(REFERENCE_FROM, baseline.get("from").asText());
        assertEquals(SHIFTED_FROM, baseline.get("to").asText());
        JsonNode drift = get("/api/v1/models/" + model + "/drift", "from", SHIFTED_FROM, "to", SHIFTED_TO);
        assertEquals(899, drift.get("baseline").get("count").asLong());
    }

    @Test
    void baselineCanBeSetAndRead() throws Exception {
        String other = TestData.uniqueModel("baseline");
        ingest(TestData.withModel(TestData.lines("demo/digits/reference.ndjson"), "digits-logreg", other), 899);
        api().contentType("application/json").body("{\"from\":\"2026-06-02T00:00:00Z\",\"to\":\"2026-06-03T00:00:00Z\"}")
                .put("/api/v1/models/" + other + "/baseline").then().statusCode(200)
                .body("source", org.hamcrest.Matchers.equalTo("stored"));
        JsonNode baseline = get("/api/v1/models/" + other + "/baseline", "version", "2026.06");
        assertEquals("2026-06-02T00:00:00Z", baseline.get("from").asText());
        assertEquals("2026-06-03T00:00:00Z", baseline.get("to").asText());
        assertEquals("bootstrap-key", baseline.get("updatedBy").asText());
    }

    @Test
    void baselineRejectsEmptyWindow() {
        api().contentType("application/json").body("{\"from\":\"2026-06-03T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}")
                .put("/api/v1/models/" + model + "/baseline").then().statusCode(400)
                .body("message", containsString("2026-06-03T00:00:00Z"));
        api().contentType("application/json").body("{\"from\":\"2026-06-03T00:00:00Z\"}")
                .put("/api/v1/models/" + model + "/baseline").then().statusCode(400)
                .body("message", containsString("both from and to"));
    }

    @Test
    void temperatureAdviceLowersEceOnShifted() throws Exception {
        JsonNode advice = get("/api/v1/models/" + model + "/temperature", "from", SHIFTED_FROM, "to", SHIFTED_TO);
        assertEquals(899, advice.get("sampleSize").asInt());
        assertTrue(advice.get("temperature").asDouble() > 1, "an overconfident model needs T > 1: " + advice);
        assertTrue(advice.get("eceAfter").asDouble() < advice.get("eceBefore").asDouble(), advice.toString());
        assertTrue(advice.get("nllAfter").asDouble() < advice.get("nllBefore").asDouble(), advice.toString());
        assertEquals(15, advice.get("reliabilityAfter").size());
        double expectedBefore = CalibrationMetrics.ece(DigitsDataset.load("shifted.ndjson").predictions(), 15);
        assertEquals(expectedBefore, advice.get("eceBefore").asDouble(), TOLERANCE, "eceBefore");
    }

    @Test
    void timeseriesPerDayMatchesRawRows() throws Exception {
        JsonNode series = get("/api/v1/models/" + model + "/timeseries", "metric",
                "count,accuracy,meanConfidence,ece,psi,estimatedAccuracy,auditFailureRate", "interval", "day",
                "from", REFERENCE_FROM, "to", SHIFTED_TO);
        JsonNode points = series.get("points");
        // The reference set covers 2026-06-01 to 06-07 and the shifted set 06-08 to 06-14.
        assertEquals(14, points.size());
        assertEquals(REFERENCE_FROM, points.get(0).get("start").asText());
        assertEquals(144, points.get(0).get("count").asLong());

        LabelledPredictions firstDay = DigitsDataset.load("reference.ndjson").predictions().slice(0, 144);
        JsonNode values = points.get(0).get("values");
        assertEquals(CalibrationMetrics.accuracy(firstDay), values.get("accuracy").asDouble(), TOLERANCE, "accuracy");
        assertEquals(CalibrationMetrics.ece(firstDay, 15), values.get("ece").asDouble(), TOLERANCE, "ece");
        assertEquals(CalibrationMetrics.meanConfidence(firstDay), values.get("meanConfidence").asDouble(), TOLERANCE,
                "meanConfidence");
        assertTrue(values.get("psi").asDouble() < 0.1, "psi of a reference day " + values.get("psi"));
        assertTrue(points.get(8).get("values").get("psi").asDouble() > 0.2, "psi of a shifted day");
        assertNotNull(values.get("estimatedAccuracy"));
        assertNotNull(values.get("auditFailureRate"));
        assertTrue(series.get("baselineValues").has("ece"));
    }

    @Test
    void timeseriesAcceptsBothLabelledSpellings() throws Exception {
        JsonNode series = get("/api/v1/models/" + model + "/timeseries", "metric", "labelledCount,labeledCount",
                "interval", "day", "from", REFERENCE_FROM, "to", SHIFTED_TO);
        JsonNode firstDay = series.get("points").get(0).get("values");
        assertEquals(144, firstDay.get("labelledCount").asLong());
        assertEquals(144, firstDay.get("labeledCount").asLong());
    }

    @Test
    void timeseriesRejectsUnknownMetric() {
        api().queryParam("metric", "f1").get("/api/v1/models/" + model + "/timeseries").then().statusCode(400)
                .body("message", containsString("\"f1\""));
        api().queryParam("metric", "ece").queryParam("interval", "week")
                .get("/api/v1/models/" + model + "/timeseries").then().statusCode(400)
                .body("message", containsString("\"week\""));
        api().get("/api/v1/models/" + model + "/timeseries").then().statusCode(400)
                .body("message", containsString("metric is missing"));
    }

    @Test
    void unknownModelIs404() {
        for (String endpoint : List.of("drift", "timeseries?metric=ece", "temperature", "baseline", "metrics")) {
            api().get("/api/v1/models/no-such-model/" + endpoint).then().statusCode(404);
        }
        api().queryParam("version", "0.0").get("/api/v1/models/" + model + "/drift").then().statusCode(404)
                .body("message", containsString("0.0"));
    }

    @Test
    void badParametersAre400() {
        String metrics = "/api/v1/models/" + model + "/metrics";
        api().queryParam("bins", 7).get(metrics).then().statusCode(400).body("message", containsString("7"));
        api().queryParam("binning", "quantile").get(metrics).then().statusCode(400)
                .body("message", containsString("quantile"));
        api().queryParam("class", "11").get(metrics).then().statusCode(400).body("message", containsString("\"11\""));
        api().queryParam("bootstrap", 5000).get(metrics).then().statusCode(400).body("message", containsString("5000"));
        api().queryParam("classwise", "maybe").get(metrics).then().statusCode(400)
                .body("message", containsString("maybe"));
        api().queryParam("baselineFrom", REFERENCE_FROM).get("/api/v1/models/" + model + "/drift").then()
                .statusCode(400).body("message", containsString("baselineTo"));
        api().queryParam("from", SHIFTED_TO).queryParam("to", SHIFTED_FROM)
                .get("/api/v1/models/" + model + "/temperature").then().statusCode(400)
                .body("message", containsString(SHIFTED_TO));
    }

    @Test
    void metricsExtrasAreReported() throws Exception {
        JsonNode metrics = get("/api/v1/models/" + model + "/metrics", "from", REFERENCE_FROM, "to", SHIFTED_FROM,
                "binning", "mass", "classwise", "true", "bootstrap", 50, "perClass", "true");
        LabelledPredictions reference = DigitsDataset.load("reference.ndjson").predictions();
        assertEquals(899, metrics.get("sampleSize").asInt());
        assertEquals(CalibrationMetrics.adaptiveEce(reference, 15), metrics.get("ece").asDouble(), TOLERANCE,
                "adaptive ece");
        assertEquals(CalibrationMetrics.classwiseEce(reference, 15), metrics.get("classwiseEce").asDouble(), TOLERANCE,
                "classwise ece");
        assertTrue(metrics.get("eceLower").asDouble() <= metrics.get("eceUpper").asDouble(), metrics.toString());
        assertEquals(10, metrics.get("marginHistogram").size());
        assertEquals(10, metrics.get("entropyHistogram").size());
        assertEquals(10, metrics.get("perClass").size());
        assertTrue(metrics.get("reliability").get(14).has("accuracyLower"), "Wilson interval of the top bin");
    }

    @Test
    void classFilterKeepsOnePredictedClass() throws Exception {
        JsonNode metrics = get("/api/v1/models/" + model + "/metrics", "from", REFERENCE_FROM, "to", SHIFTED_FROM,
                "class", "3");
        LabelledPredictions reference = DigitsDataset.load("reference.ndjson").predictions();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            if (reference.predictedClass(i) == 3) {
                rows.add(i);
            }
        }
        assertEquals(rows.size(), metrics.get("count").asInt());
        assertEquals(1, metrics.get("perClass").size());
        assertEquals("3", metrics.get("className").asText());
    }

    @Test
    void lateLabelsUpdateRollups() throws Exception {
        String metricsPath = "/api/v1/models/" + lateLabels + "/metrics";
        assertEquals(0, get(metricsPath).get("labeledCount").asInt());
        assertNull(get(metricsPath).get("ece"));

        DigitsDataset digits = DigitsDataset.load("reference.ndjson");
        postLabels(digits.labels(), 0);
        JsonNode labelled = get(metricsPath);
        LabelledPredictions reference = digits.predictions();
        assertEquals(899, labelled.get("labeledCount").asInt());
        assertEquals(CalibrationMetrics.ece(reference, 15), labelled.get("ece").asDouble(), TOLERANCE, "ece");
        assertEquals(CalibrationMetrics.brier(reference), labelled.get("brier").asDouble(), TOLERANCE, "brier");

        // Correct the first 100 labels to the next class: the labelled sums must move, not grow.
        int[] corrected = digits.labels().clone();
        for (int i = 0; i < 100; i++) {
            corrected[i] = (corrected[i] + 1) % 10;
        }
        postLabels(corrected, 0);
        LabelledPredictions relabelled = LabelledPredictions.of(digits.probabilities(), corrected);
        JsonNode after = get(metricsPath);
        assertEquals(899, after.get("labeledCount").asInt());
        assertEquals(CalibrationMetrics.accuracy(relabelled), after.get("accuracy").asDouble(), TOLERANCE, "accuracy");
        assertEquals(CalibrationMetrics.ece(relabelled, 15), after.get("ece").asDouble(), TOLERANCE, "ece");
        assertEquals(CalibrationMetrics.nll(relabelled), after.get("nll").asDouble(), TOLERANCE, "nll");
        assertEquals(CalibrationMetrics.brier(relabelled), after.get("brier").asDouble(), TOLERANCE, "brier");
    }

    @Test
    void partialHoursMatchRawRows() throws Exception {
        // [00:20, 02:30) contains reference rows 2 to 14: partial hours at both ends and one whole hour.
        JsonNode metrics = get("/api/v1/models/" + model + "/metrics", "from", "2026-06-01T00:20:00Z",
                "to", "2026-06-01T02:30:00Z");
        LabelledPredictions rows = DigitsDataset.load("reference.ndjson").predictions().slice(2, 15);
        assertEquals(13, metrics.get("count").asInt());
        assertEquals(CalibrationMetrics.ece(rows, 15), metrics.get("ece").asDouble(), TOLERANCE, "ece");
        assertEquals(CalibrationMetrics.nll(rows), metrics.get("nll").asDouble(), TOLERANCE, "nll");
    }

    @Test
    void concurrentIngestionLosesNoUpdates() throws Exception {
        // 8 clients send 25 requests of 2 predictions each, all in the same hour and top class, so
        // every request adds to the same two rollup rows (the class row and the hourly total).
        String concurrent = TestData.uniqueModel("concurrent");
        String template = TestData.withModel(TestData.lines("demo/digits/reference.ndjson").subList(0, 1),
                "digits-logreg", concurrent);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> requests = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            int first = client * 50;
            requests.add(clients.submit(() -> {
                for (int i = first; i < first + 50; i += 2) {
                    String body = template.replace("ref-00000", "c-" + i) + "\n"
                            + template.replace("ref-00000", "c-" + (i + 1));
                    ingest(body, 2);
                }
            }));
        }
        for (java.util.concurrent.Future<?> request : requests) {
            request.get();
        }
        clients.shutdown();

        JsonNode metrics = get("/api/v1/models/" + concurrent + "/metrics", "from", REFERENCE_FROM,
                "to", "2026-06-01T01:00:00Z");
        assertEquals(400, metrics.get("count").asInt());
        assertEquals(400, metrics.get("labeledCount").asInt());
        long binned = 0;
        for (JsonNode bin : metrics.get("reliability")) {
            binned += bin.get("count").asLong();
        }
        assertEquals(400, binned, "predictions in the reliability bins");
    }

    private void postLabels(int[] labels, int from) {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < labels.length; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(String.format("{\"model\":\"%s\",\"predictionId\":\"ref-%05d\",\"label\":\"%d\"}", lateLabels,
                    i, labels[i]));
        }
        body.append(']');
        api().contentType("application/json").body(body.toString()).post("/api/v1/labels").then().statusCode(200);
    }
}
