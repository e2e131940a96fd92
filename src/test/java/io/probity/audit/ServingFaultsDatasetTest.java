package io.probity.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Audits every record of datasets/serving-faults/faults.ndjson against its expectedAudit. */
class ServingFaultsDatasetTest {

    private static final String RESOURCE = "/datasets/serving-faults/faults.ndjson";

    /** Python's json module writes NaN as a bare token, which standard JSON does not allow. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static Stream<JsonNode> records() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (InputStream in = ServingFaultsDatasetTest.class.getResourceAsStream(RESOURCE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    records.add(MAPPER.readTree(line));
                }
            }
        }
        return records.stream();
    }

    @Test
    void datasetHasFiftyRecords() throws IOException {
        assertEquals(50, records().count());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("records")
    void recordMatchesExpectedAudit(JsonNode record) {
        String id = record.get("predictionId").asText();
        List<String> classes = new ArrayList<>();
        record.get("classes").forEach(c -> classes.add(c.asText()));
        double[] logits = doubles(record.get("logits"));
        double[] probabilities = doubles(record.get("probabilities"));
        JsonNode expected = record.get("expectedAudit");
        String expectedVerdict = expected.get("verdict").asText();

        if (expectedVerdict.equals("reject")) {
            assertEquals(AuditCauses.LENGTH, expected.get("cause").asText(), id);
            assertNotEquals(classes.size(), probabilities.length, id + ": a rejected record has the wrong length");
            return;
        }

        int predicted = classes.indexOf(record.get("predictedClass").asText());
        double temperature = record.hasNonNull("temperature") ? record.get("temperature").asDouble() : 1.0;
        AuditResult result = SoftmaxAuditor.audit(logits, probabilities, predicted, temperature, AuditSettings.DEFAULT);

        assertEquals(expectedVerdict, result.verdict().code(), id + ": " + result);
        JsonNode cause = expected.get("cause");
        if (cause.isNull()) {
            assertEquals(List.of(), result.causes(), id + ": " + result.explanation());
        } else {
            assertTrue(result.causes().contains(cause.asText()),
                    id + ": causes " + result.causes() + " lack " + cause.asText() + "; " + result.explanation());
        }
        if (expected.has("impliedTemperature")) {
            assertEquals(expected.get("impliedTemperature").asDouble(), result.impliedTemperature(), 1e-3, id);
        }
        if (result.hasCause(AuditCauses.CLASS_ORDER)) {
            int[] perm = result.classPermutation();
            for (int i = 0; i < perm.length; i++) {
                double expectedValue = result.recomputed()[perm[i]];
                assertEquals(expectedValue, probabilities[i], 1e-4 * expectedValue + 1e-12, id + " position " + i);
            }
        }
    }

    @Test
    void workedExampleIsRoundedToTwoDecimals() {
        double[] logits = {2.5, 1.2, 0.5};
        AuditResult result = SoftmaxAuditor.audit(logits, new double[] {0.71, 0.19, 0.10}, 0, 1.0, AuditSettings.DEFAULT);

        assertArrayEquals(new double[] {0.7103, 0.1936, 0.0961}, result.recomputed(), 5e-5);
        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(List.of(AuditCauses.ROUNDED), result.causes());
        assertEquals(2, result.roundingDecimals());
    }

    @Test
    void workedExampleExponentialsSumAsDocumented() {
        double sum = Math.exp(2.5) + Math.exp(1.2) + Math.exp(0.5);
        assertEquals(17.151, sum, 5e-4);
        assertEquals(12.182, Math.exp(2.5), 5e-4);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
