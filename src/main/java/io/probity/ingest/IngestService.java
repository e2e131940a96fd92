package io.probity.ingest;

import io.probity.alerts.AlertScheduler;
import io.probity.ops.IngestMetrics;
import io.probity.security.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ingestion path shared by the REST resource and the demo replay: parse, validate and
 * audit every record, then store the accepted ones in one batch.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /** Most records accepted in one request. */
    public static final int MAX_RECORDS = 10_000;
    /** Largest request body accepted, in bytes (16 MiB). */
    public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    @Inject
    PredictionValidator validator;

    @Inject
    PredictionWriter writer;

    @Inject
    AlertScheduler alertScheduler;

    @Inject
    IngestMetrics metrics;

    @Inject
    RejectionCounter rejectionCounter;

    /**
     * Ingests a request body.
     *
     * @param ndjson true for NDJSON, false for a JSON array
     * @param caller the authenticated caller; records of models it may not write are rejected
     * @throws io.probity.api.ApiException 400 for malformed JSON, 413 for too many records or bytes
     */
    public IngestResponse ingest(InputStream body, boolean ndjson, Principal caller) {
        List<IncomingPrediction> records = new PredictionParser(MAX_RECORDS)
                .parse(new LimitedInputStream(body, MAX_BODY_BYTES), ndjson);
        return ingest(records, caller);
    }

    private IngestResponse ingest(List<IncomingPrediction> records, Principal caller) {
        Instant receivedAt = Instant.now();
        RecordResult[] results = new RecordResult[records.size()];
        List<PredictionRow> rows = new ArrayList<>(records.size());
        Set<PredictionKey> seenInRequest = new HashSet<>();

        for (IncomingPrediction record : records) {
            if (record.model != null && !caller.mayAccessModel(record.model)) {
                record.error("model", "\"" + record.model + "\" is not one of the models " + caller.name()
                        + " may write; ask an admin for a key or account that covers it");
            }
            PredictionRow row = record.errors.isEmpty() ? validator.validate(record) : null;
            if (row == null) {
                results[record.index] = new RecordResult(record.index, record.predictionId, RecordResult.REJECTED,
                        null, List.copyOf(record.errors));
                continue;
            }
            if (!seenInRequest.add(new PredictionKey(row.model(), row.predictionId()))) {
                results[record.index] = duplicate(row);
                continue;
            }
            rows.add(row);
        }

        Set<PredictionKey> duplicates = writer.store(rows);

        int accepted = 0;
        Set<Long> storedVersions = new HashSet<>();
        for (PredictionRow row : rows) {
            if (duplicates.contains(new PredictionKey(row.model(), row.predictionId()))) {
                results[row.index()] = duplicate(row);
            } else {
                results[row.index()] = new RecordResult(row.index(), row.predictionId(), RecordResult.ACCEPTED,
                        AuditSummary.of(row.audit()), null);
                storedVersions.add(row.modelVersionId());
                accepted++;
            }
        }

        int rejected = 0;
        for (RecordResult result : results) {
            if (RecordResult.REJECTED.equals(result.status())) {
                rejected++;
            }
        }
        // Rejections are stored before the alert trigger, so the evaluation it starts reads them.
        if (rejected > 0) {
            rejectionCounter.count(records, caller, receivedAt);
        }
        alertScheduler.predictionsStored(storedVersions);

        int duplicateCount = records.size() - accepted - rejected;
        // Duplicates alone are routine (client retries, a demo replay after a restart), so they log at debug.
        if (rejected > 0) {
            LOG.infof("Ingested %d records: %d accepted, %d duplicates, %d rejected", records.size(), accepted,
                    duplicateCount, rejected);
        } else if (duplicateCount > 0) {
            LOG.debugf("Ingested %d records: %d accepted, %d duplicates", records.size(), accepted, duplicateCount);
        }
        IngestResponse response = new IngestResponse(accepted, duplicateCount, rejected, List.of(results));
        metrics.record(response);
        return response;
    }

    private static RecordResult duplicate(PredictionRow row) {
        return new RecordResult(row.index(), row.predictionId(), RecordResult.DUPLICATE,
                AuditSummary.of(row.audit()), null);
    }
}
