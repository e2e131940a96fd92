package io.probity.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.probity.api.FieldError;
import io.probity.audit.Verdict;
import io.probity.ingest.IngestResponse;
import io.probity.ingest.RecordResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Prometheus counters of the ingestion path, shared by the REST API, the demo replay and the
 * Kafka consumer.
 *
 * <ul>
 *   <li>{@code probity_ingest_records_total{status}}: records by outcome (accepted, duplicate, rejected);</li>
 *   <li>{@code probity_ingest_rejections_total{field}}: validation errors by record field, with array
 *       indexes removed ({@code logits[3]} counts as {@code logits}) so the label set stays small;</li>
 *   <li>{@code probity_audit_failures_total{cause}}: audit causes of accepted records whose verdict is fail.</li>
 * </ul>
 */
@ApplicationScoped
public class IngestMetrics {

    @Inject
    MeterRegistry registry;

    /** Adds the outcome of one ingestion call to the counters. */
    public void record(IngestResponse response) {
        count("probity_ingest_records", "status", RecordResult.ACCEPTED, response.accepted());
        count("probity_ingest_records", "status", RecordResult.DUPLICATE, response.duplicates());
        count("probity_ingest_records", "status", RecordResult.REJECTED, response.rejected());

        for (RecordResult result : response.results()) {
            if (result.errors() != null) {
                for (FieldError error : result.errors()) {
                    count("probity_ingest_rejections", "field", baseField(error.field()), 1);
                }
            }
            if (RecordResult.ACCEPTED.equals(result.status()) && result.audit() != null
                    && Verdict.FAIL.code().equals(result.audit().verdict())) {
                for (String cause : result.audit().causes()) {
                    count("probity_audit_failures", "cause", cause, 1);
                }
            }
        }
    }

    private void count(String name, String tag, String value, int amount) {
        if (amount <= 0) {
            return;
        }
        Counter.builder(name).tag(tag, value).register(registry).increment(amount);
    }

    /** Returns the field name without array indexes, {@code record} for a record-level error. */
    public static String baseField(String field) {
        if (field == null || field.isEmpty()) {
            return "record";
        }
        int bracket = field.indexOf('[');
        return bracket > 0 ? field.substring(0, bracket) : field;
    }
}
