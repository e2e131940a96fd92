package io.probity.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.probity.audit.AuditResult;

import java.util.List;

/**
 * The audit part of an ingestion result. {@code maxAbsDiff} is the largest absolute difference
 * between reported and recomputed probabilities, absent when they cannot be compared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditSummary(String verdict, List<String> causes, Double maxAbsDiff, Double impliedTemperature,
                           int[] classPermutation, Integer roundingDecimals) {

    public static AuditSummary of(AuditResult audit) {
        return new AuditSummary(audit.verdict().code(), audit.causes(),
                Double.isFinite(audit.maxAbsDiff()) ? audit.maxAbsDiff() : null,
                Double.isFinite(audit.impliedTemperature()) ? audit.impliedTemperature() : null,
                audit.classPermutation(),
                audit.roundingDecimals() >= 0 ? audit.roundingDecimals() : null);
    }
}
