package io.probity.ingest;

import java.util.List;

/** Response to an ingestion request: counts and one result per record, in input order. */
public record IngestResponse(int accepted, int duplicates, int rejected, List<RecordResult> results) {
}
