package io.probity.audit;

import java.util.List;

public record AuditResult(Verdict verdict, List<String> causes, double maxAbsDiff, double[] recomputed,
                          double impliedTemperature, int[] classPermutation, int roundingDecimals,
                          double klDivergence, String explanation) {
}
