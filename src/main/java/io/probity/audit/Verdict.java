package io.probity.audit;

/**
 * Outcome of a softmax audit of one prediction record.
 *
 * <ul>
 *   <li>{@link #PASS}: the reported probabilities are a softmax of the logits, possibly after a harmless
 *       change of precision (causes {@code rounded} or {@code low-precision}).</li>
 *   <li>{@link #WARN}: the record is close to a softmax but the audit cannot confirm it. Two cases use it:
 *       a deviation above the tolerance that fits once the arithmetic error estimate in the tolerance is
 *       multiplied by 16 (cause {@code imprecise}, or {@code sum} for a record without logits), and a one-hot
 *       vector sent without logits (cause {@code one-hot}).</li>
 *   <li>{@link #FAIL}: the serving code changed the probabilities in a way that misleads a reader.</li>
 * </ul>
 */
public enum Verdict {
    PASS("pass"),
    WARN("warn"),
    FAIL("fail");

    private final String code;

    Verdict(String code) {
        this.code = code;
    }

    /** Returns the lower-case code stored and sent over the API: "pass", "warn" or "fail". */
    public String code() {
        return code;
    }
}
