package io.probity.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Causes found so far for one record, with their verdicts and explanation sentences. */
final class Findings {

    /** Order of causes in a result: what broke the record first, the symptoms after it. */
    private static final List<String> ORDER = List.of(AuditCauses.NON_FINITE, AuditCauses.TEMPERATURE,
            AuditCauses.TEMPERATURE_TWICE, AuditCauses.CLASS_ORDER, AuditCauses.SIGMOID, AuditCauses.LOG_PROBABILITIES,
            AuditCauses.LOGITS_AS_PROBABILITIES, AuditCauses.DOUBLE_SOFTMAX, AuditCauses.PERCENT, AuditCauses.WRONG_AXIS,
            AuditCauses.ONE_HOT, AuditCauses.TRUNCATED, AuditCauses.SUBSET, AuditCauses.UNNORMALISED,
            AuditCauses.MISMATCH, AuditCauses.IMPRECISE, AuditCauses.ROUNDED, AuditCauses.LOW_PRECISION,
            AuditCauses.RANGE, AuditCauses.SUM, AuditCauses.ARGMAX, AuditCauses.LENGTH);

    private final List<String> causes = new ArrayList<>(4);
    private final Map<String, String> sentences = new HashMap<>();
    private Verdict verdict = Verdict.PASS;
    private String passSentence = "";

    double impliedTemperature = Double.NaN;
    int[] classPermutation;
    int roundingDecimals = -1;
    double klDivergence = Double.NaN;

    /** Adds a cause; the verdict becomes the most severe of those added. */
    void add(String cause, Verdict severity, String sentence) {
        if (!causes.contains(cause)) {
            causes.add(cause);
            sentences.put(cause, sentence);
        }
        if (severity.compareTo(verdict) > 0) {
            verdict = severity;
        }
    }

    /** Sets the sentence used when no cause is found. */
    void passSentence(String sentence) {
        this.passSentence = sentence;
    }

    boolean has(String cause) {
        return causes.contains(cause);
    }

    Verdict verdict() {
        return verdict;
    }

    AuditResult build(double maxAbsDiff, double[] recomputed) {
        causes.sort(Comparator.comparingInt(ORDER::indexOf));
        String explanation = passSentence;
        if (!causes.isEmpty()) {
            explanation = sentences.get(causes.get(0));
            if (causes.size() > 1) {
                String second = sentences.get(causes.get(1));
                if (!second.isEmpty() && !second.equals(explanation)) {
                    explanation = explanation + " " + second;
                }
            }
        }
        return new AuditResult(verdict, causes, maxAbsDiff, recomputed, impliedTemperature, classPermutation,
                roundingDecimals, klDivergence, explanation);
    }
}
