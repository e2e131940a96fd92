package io.probity.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.InputStream;
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

    /**
     * Ingests a request body.
     *
     * @param ndjson true for NDJSON, false for a JSON array
     * @throws io.probity.api.ApiException 400 for malformed JSON, 413 for too many records or bytes
     */
    public IngestResponse ingest(InputStream body, boolean ndjson) {
        List<IncomingPrediction> records = new PredictionParser(MAX_RECORDS)
                .parse(new LimitedInputStream(body, MAX_BODY_BYTES), ndjson);
        return ingest(records);
    }

    private IngestResponse ingest(List<IncomingPrediction> records) {
        RecordResult[] results = new RecordResult[records.size()];
        List<PredictionRow> rows = new ArrayList<>(records.size());
        Set<PredictionKey> seenInRequest = new HashSet<>();

        for (IncomingPrediction record : records) {
            PredictionRow row = validator.validate(record);
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
        for (PredictionRow row : rows) {
            if (duplicates.contains(new PredictionKey(row.model(), row.predictionId()))) {
                results[row.index()] = duplicate(row);
            } else {
                results[row.index()] = new RecordResult(row.index(), row.predictionId(), RecordResult.ACCEPTED,
                        AuditSummary.of(row.audit()), null);
                accepted++;
            }
        }

        int rejected = 0;
        for (RecordResult result : results) {
            if (RecordResult.REJECTED.equals(result.status())) {
                rejected++;
            }
        }
        int duplicateCount = records.size() - accepted - rejected;
        if (rejected > 0 || duplicateCount > 0) {
            LOG.infof("Ingested %d records: %d accepted, %d duplicates, %d rejected", records.size(), accepted,
                    duplicateCount, rejected);
        }
        return new IngestResponse(accepted, duplicateCount, rejected, List.of(results));
    }

    private static RecordResult duplicate(PredictionRow row) {
        return new RecordResult(row.index(), row.predictionId(), RecordResult.DUPLICATE,
                AuditSummary.of(row.audit()), null);
    }
}
