package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.probity.review.ReviewFixtures.as;
import static io.probity.review.ReviewFixtures.ingest;
import static io.probity.review.ReviewFixtures.record;
import static io.probity.review.ReviewFixtures.withoutLabel;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ReviewRulesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Registers version v1 of a new three-class model with one labelled record, which is never queued. */
    private static String registeredModel(String prefix) {
        String model = TestData.uniqueModel(prefix);
        ingest(List.of(record(model, "seed", 5, 0, 0).replace("}", ",\"label\":\"a\"}")));
        return model;
    }

    private static String rulesUrl(String model) {
        return "/api/v1/models/" + model + "/review-rules";
    }

    @Test
    void versionWithoutRulesReturnsDefault() {
        String model = registeredModel("rules-default");
        as("ops").get(rulesUrl(model))
                .then().statusCode(200)
                .body("builtInDefault", equalTo(true))
                .body("revision", equalTo(0))
                .body("version", equalTo("v1"))
                .body("sampleFraction", equalTo(0.0f))
                .body("rules", hasSize(2))
                .body("rules[0].type", equalTo("confidenceBelow"))
                .body("rules[0].threshold", equalTo(0.6f))
                .body("rules[1].type", equalTo("auditFailed"));
    }

    @Test
    void replaceStoresRevisions() {
        String model = registeredModel("rules-replace");
        as("olga").contentType(ContentType.JSON)
                .body("{\"rules\":[{\"type\":\"marginBelow\",\"threshold\":0.1,\"priority\":5}],\"sampleFraction\":0.02}")
                .put(rulesUrl(model))
                .then().statusCode(200)
                .body("revision", equalTo(1))
                .body("createdBy", equalTo("olga"))
                .body("rules[0].priority", equalTo(5));
        as("pete").contentType(ContentType.JSON)
                .body("{\"rules\":[{\"type\":\"classProbabilityAbove\",\"class\":\"c\",\"threshold\":0.3}]}")
                .queryParam("version", "v1")
                .put(rulesUrl(model))
                .then().statusCode(200)
                .body("revision", equalTo(2))
                .body("rules[0].class", equalTo("c"))
                .body("rules[0].priority", equalTo(RuleType.CLASS_PROBABILITY_ABOVE.defaultPriority()));

        as("ops").get(rulesUrl(model)).then().statusCode(200).body("revision", equalTo(2));
        as("ops").get(rulesUrl(model) + "/revisions")
                .then().statusCode(200)
                .body("revision", equalTo(List.of(2, 1)))
                .body("createdBy", equalTo(List.of("pete", "olga")))
                .body("[1].sampleFraction", equalTo(0.02f));
    }

    @Test
    void invalidRulesNameEveryField() {
        String model = registeredModel("rules-invalid");
        String body = "{\"rules\":[{\"type\":\"confidenceUnder\",\"threshold\":0.5},"
                + "{\"type\":\"confidenceBelow\",\"threshold\":1.5},"
                + "{\"type\":\"classProbabilityAbove\",\"class\":\"Fraudulent\",\"threshold\":0.3},"
                + "{\"type\":\"auditFailed\",\"threshold\":0.2,\"priority\":-1},"
                + "{\"type\":\"entropyAbove\",\"treshold\":0.5}],"
                + "\"sampleFraction\":2,\"extra\":true}";
        JsonNode error = JSON.valueToTree(as("ops").contentType(ContentType.JSON).body(body).put(rulesUrl(model))
                .then().statusCode(400).body("error", equalTo("invalid-review-rules"))
                .extract().as(Map.class));
        Map<String, String> byField = new HashMap<>();
        error.get("details").forEach(detail -> byField.put(detail.get("field").asText(), detail.get("message").asText()));

        assertTrue(byField.get("rules[0].type").contains("confidenceBelow, marginBelow"), byField.toString());
        assertTrue(byField.get("rules[1].threshold").contains("from 0 to 1"), byField.toString());
        assertTrue(byField.get("rules[2].class").contains("[a, b, c]"), byField.toString());
        assertTrue(byField.get("rules[3].threshold").contains("takes no threshold"), byField.toString());
        assertTrue(byField.get("rules[3].priority").contains("from 0 to 1000"), byField.toString());
        assertTrue(byField.get("rules[4].treshold").contains("not a known field"), byField.toString());
        assertTrue(byField.get("rules[4].threshold").contains("is missing"), byField.toString());
        assertTrue(byField.get("sampleFraction").contains("from 0 to 1"), byField.toString());
        assertTrue(byField.get("extra").contains("not a known field"), byField.toString());
        assertEquals(9, byField.size(), byField.toString());

        as("ops").get(rulesUrl(model)).then().statusCode(200).body("builtInDefault", equalTo(true));
    }

    @Test
    void unknownVersionIsNotFound() {
        String model = registeredModel("rules-unknown");
        as("ops").queryParam("version", "v9").get(rulesUrl(model))
                .then().statusCode(404).body("message", containsString("version v9"));
        as("ops").contentType(ContentType.JSON).body("[]").put(rulesUrl(model))
                .then().statusCode(400).body("message", containsString("not a JSON object"));
    }

    @Test
    void rulesApplyToLaterPredictions() {
        String model = registeredModel("rules-later");
        ingest(List.of(record(model, "before", 1, 0.9, 0)));
        as("ops").contentType(ContentType.JSON).body("{\"rules\":[{\"type\":\"marginBelow\",\"threshold\":0.2}]}")
                .put(rulesUrl(model)).then().statusCode(200);
        ingest(List.of(record(model, "after", 1, 0.9, 0), record(model, "clear", 0.1, 0, 5)));

        // "before" (confidence 0.44) was routed by the default rules, "after" by revision 1.
        as("ops").queryParam("model", model).get("/api/v1/review/items")
                .then().statusCode(200)
                .body("predictionId", equalTo(List.of("before", "after")))
                .body("rule", equalTo(List.of("confidenceBelow", "marginBelow")))
                .body("[0].ruleSetRevision", org.hamcrest.Matchers.nullValue())
                .body("[1].ruleSetRevision", equalTo(1));
    }

    /** Softmax of the logits at temperature 1, written here apart from the server's code. */
    private static double[] softmax(JsonNode logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode logit : logits) {
            max = Math.max(max, logit.asDouble());
        }
        double[] p = new double[logits.size()];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(logits.get(k).asDouble() - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Computes the sample draw of a prediction from its definition: SHA-256, top 53 bits / 2^53. */
    static double sampleDraw(String model, String predictionId) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((model + "\n" + predictionId).getBytes(StandardCharsets.UTF_8));
        java.math.BigInteger first8 = new java.math.BigInteger(1, java.util.Arrays.copyOf(digest, 8));
        return first8.shiftRight(11).doubleValue() / Math.pow(2, 53);
    }

    @Test
    void digitsRouteByConfidenceAndSample() throws Exception {
        String model = TestData.uniqueModel("rules-digits");
        List<String> lines = TestData.lines("demo/digits/reference.ndjson");
        String renamed = TestData.withModel(lines, "digits-logreg", model);
        List<String> records = List.of(renamed.split("\n"));
        ingest(records.subList(0, 1));
        as("ops").contentType(ContentType.JSON)
                .body("{\"rules\":[{\"type\":\"confidenceBelow\",\"threshold\":0.9}],\"sampleFraction\":0.1}")
                .queryParam("version", "2026.06").put(rulesUrl(model)).then().statusCode(200);
        ingest(records.subList(1, records.size()).stream().map(ReviewFixtures::withoutLabel).toList());

        Map<String, String> expected = new HashMap<>();
        for (String line : records.subList(1, records.size())) {
            JsonNode record = JSON.readTree(line);
            String id = record.get("predictionId").asText();
            double confidence = java.util.Arrays.stream(softmax(record.get("logits"))).max().orElseThrow();
            if (confidence < 0.9) {
                expected.put(id, "confidenceBelow");
            } else if (sampleDraw(model, id) < 0.1) {
                expected.put(id, "sample");
            }
        }
        long ruleMatches = expected.values().stream().filter("confidenceBelow"::equals).count();
        assertTrue(ruleMatches > 20, "rule matches in the data: " + ruleMatches);
        assertTrue(expected.size() - ruleMatches > 20, "sampled predictions in the data: " + (expected.size() - ruleMatches));

        JsonNode items = JSON.valueToTree(as("ops").queryParam("model", model).queryParam("limit", 1000)
                .get("/api/v1/review/items").then().statusCode(200).extract().as(List.class));
        Map<String, String> actual = new HashMap<>();
        for (JsonNode item : items) {
            actual.put(item.get("predictionId").asText(), item.get("rule").asText());
            double expectedProbability = "sample".equals(item.get("rule").asText()) ? 0.1 : 1.0;
            assertEquals(expectedProbability, item.get("inclusionProbability").asDouble(), 1e-12,
                    "inclusion probability of " + item.get("predictionId").asText());
        }
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual));
    }

    @Test
    void digitsRouteByEveryRuleType() throws Exception {
        String model = TestData.uniqueModel("rules-shifted");
        List<String> records = List.of(TestData.withModel(TestData.lines("demo/digits/shifted.ndjson"), "digits-logreg",
                model).split("\n"));
        ingest(records.subList(0, 1));
        as("ops").contentType(ContentType.JSON)
                .body("{\"rules\":[{\"type\":\"marginBelow\",\"threshold\":0.3,\"priority\":1},"
                        + "{\"type\":\"entropyAbove\",\"threshold\":0.4,\"priority\":2},"
                        + "{\"type\":\"classProbabilityAbove\",\"class\":\"8\",\"threshold\":0.3,\"priority\":3},"
                        + "{\"type\":\"confidenceBelow\",\"threshold\":0.5,\"priority\":3}]}")
                .put(rulesUrl(model)).then().statusCode(200);
        ingest(records.subList(1, records.size()).stream().map(ReviewFixtures::withoutLabel).toList());

        Map<String, String> expected = new HashMap<>();
        for (String line : records.subList(1, records.size())) {
            JsonNode record = JSON.readTree(line);
            double[] p = softmax(record.get("logits"));
            double[] sorted = p.clone();
            java.util.Arrays.sort(sorted);
            double confidence = sorted[sorted.length - 1];
            double margin = confidence - sorted[sorted.length - 2];
            double entropy = 0;
            for (double v : p) {
                entropy -= v > 0 ? v * Math.log(v) : 0;
            }
            entropy /= Math.log(p.length);
            // Highest priority wins and the first listed wins a tie: classProbabilityAbove before confidenceBelow.
            String id = record.get("predictionId").asText();
            if (p[8] > 0.3) {
                expected.put(id, "classProbabilityAbove");
            } else if (confidence < 0.5) {
                expected.put(id, "confidenceBelow");
            } else if (entropy > 0.4) {
                expected.put(id, "entropyAbove");
            } else if (margin < 0.3) {
                expected.put(id, "marginBelow");
            }
        }
        List<String> distinctRules = new ArrayList<>(new java.util.TreeSet<>(expected.values()));
        assertEquals(List.of("classProbabilityAbove", "confidenceBelow", "entropyAbove", "marginBelow"), distinctRules,
                "the data should exercise every rule");

        JsonNode items = JSON.valueToTree(as("ops").queryParam("model", model).queryParam("limit", 1000)
                .get("/api/v1/review/items").then().statusCode(200).extract().as(List.class));
        Map<String, String> actual = new HashMap<>();
        items.forEach(item -> actual.put(item.get("predictionId").asText(), item.get("rule").asText()));
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual));
    }

    @Test
    void sampleDrawMatchesDefinition() throws Exception {
        for (String id : List.of("a", "ref-00001", "ümlaut")) {
            assertEquals(sampleDraw("m", id), ReviewSample.uniform("m", id), 0.0, id);
        }
    }

    @Test
    void labelsApiResolvesOpenItem() {
        String model = TestData.uniqueModel("rules-labels-api");
        ingest(List.of(record(model, "p", 0.1, 0, 0)));
        io.restassured.RestAssured.given().header("X-API-Key", TestData.API_KEY).contentType(ContentType.JSON)
                .body("[{\"model\":\"" + model + "\",\"predictionId\":\"p\",\"label\":\"c\"}]")
                .post("/api/v1/labels").then().statusCode(200);

        long id = as("ops").queryParam("model", model).get("/api/v1/review/items")
                .then().statusCode(200).body("[0].state", equalTo("resolved")).body("[0].label", equalTo("c"))
                .extract().jsonPath().getLong("[0].id");
        as("ops").get("/api/v1/review/items/" + id + "/history")
                .then().statusCode(200)
                .body("action", equalTo(List.of("queued", "label")))
                .body("actor", hasItem("labels-api"));
    }
}
