package io.probity.audit;

import java.util.List;

/**
 * Result of a softmax audit of one prediction record.
 *
 * @param verdict            pass, warn or fail; see {@link Verdict} for when each is used
 * @param causes             codes from {@link AuditCauses}, most specific first; empty for a clean match
 * @param maxAbsDiff         {@code max_i |reported_i - recomputed_i|} in the order sent; NaN when the record has no
 *                           logits or no probabilities, or when one of them is not finite
 * @param recomputed         {@code softmax(logits / T)} in float64; null when the record has no logits, all NaN when a
 *                           logit is not finite
 * @param impliedTemperature the temperature T' whose softmax reproduces the reported values; NaN unless the causes
 *                           contain {@code temperature}
 * @param classPermutation   a permutation with {@code reported[i] == recomputed[classPermutation[i]]} within
 *                           tolerance; null unless the causes contain {@code class-order}
 * @param roundingDecimals   the number of decimals d the values were rounded to; -1 unless the causes contain
 *                           {@code rounded}
 * @param klDivergence       {@code D_KL(reported || recomputed) = sum_i r_i ln(r_i / p_i)} in nats, with the
 *                           reported values divided by their sum first; NaN unless the causes contain
 *                           {@code mismatch}, and NaN when a reported value is negative or all are 0
 * @param explanation        one or two plain English sentences for the user interface
 */
public record AuditResult(Verdict verdict, List<String> causes, double maxAbsDiff, double[] recomputed,
        double impliedTemperature, int[] classPermutation, int roundingDecimals, double klDivergence,
        String explanation) {

    public AuditResult {
        causes = List.copyOf(causes);
    }

    /** Returns true when the causes contain {@code cause}. */
    public boolean hasCause(String cause) {
        return causes.contains(cause);
    }
}
