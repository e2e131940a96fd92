package io.probity.ingest;

/**
 * Request and response bodies shown in the OpenAPI document. OpsEndpointsTest posts both request
 * examples and checks that the responses equal the response examples.
 */
public final class ApiExamples {

    private ApiExamples() {
    }

    /** Two NDJSON records: the first a correct softmax, the second a softmax at temperature 2 declared as 1. */
    public static final String PREDICTIONS_NDJSON = """
            {"model":"fraud-screen","modelVersion":"v3","predictionId":"tx-1001","timestamp":"2026-06-18T10:00:00Z","classes":["Legitimate","Flagged","Fraudulent"],"logits":[2.5,1.2,0.5],"probabilities":[0.71,0.19,0.10],"predictedClass":"Legitimate"}
            {"model":"fraud-screen","modelVersion":"v3","predictionId":"tx-1002","timestamp":"2026-06-18T10:01:00Z","logits":[0.1,3.4,5.7],"probabilities":[0.0441,0.2299,0.7260],"predictedClass":"Fraudulent"}
            """;

    /** The same two records as a JSON array. */
    public static final String PREDICTIONS_JSON = """
            [{"model":"fraud-screen","modelVersion":"v3","predictionId":"tx-1001","timestamp":"2026-06-18T10:00:00Z","classes":["Legitimate","Flagged","Fraudulent"],"logits":[2.5,1.2,0.5],"probabilities":[0.71,0.19,0.10],"predictedClass":"Legitimate"},
             {"model":"fraud-screen","modelVersion":"v3","predictionId":"tx-1002","timestamp":"2026-06-18T10:01:00Z","logits":[0.1,3.4,5.7],"probabilities":[0.0441,0.2299,0.7260],"predictedClass":"Fraudulent"}]
            """;

    /** Response to the two records above, sent for the first time. */
    public static final String PREDICTIONS_RESPONSE = """
            {"accepted":2,"duplicates":0,"rejected":0,"results":[
             {"index":0,"predictionId":"tx-1001","status":"accepted","audit":{"verdict":"pass","causes":["rounded"],"maxAbsDiff":0.0038721158284988205,"roundingDecimals":2}},
             {"index":1,"predictionId":"tx-1002","status":"accepted","audit":{"verdict":"fail","causes":["temperature"],"maxAbsDiff":0.179832623019772,"impliedTemperature":1.999985052382709}}]}
            """;

    /** A label for the first record above. */
    public static final String LABELS_JSON = """
            [{"model":"fraud-screen","predictionId":"tx-1001","label":"Legitimate"}]
            """;

    /** Response to the label above. */
    public static final String LABELS_RESPONSE = """
            {"accepted":1,"duplicates":0,"rejected":0,"results":[{"index":0,"predictionId":"tx-1001","status":"accepted"}]}
            """;
}
