package io.probity.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.probity.api.FieldError;

import java.util.List;

/**
 * Outcome for one record of a request.
 *
 * @param status {@code accepted}, {@code duplicate} or {@code rejected}
 * @param audit  the softmax audit, absent for a rejected record
 * @param errors why the record was rejected, absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordResult(int index, String predictionId, String status, AuditSummary audit,
                           List<FieldError> errors) {

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";
}
