package io.probity.audit;

import java.util.List;

/**
 * Cause codes of a softmax audit. An {@link AuditResult} lists the codes that apply, most specific first:
 * the transformation that reproduces the reported values, then the symptoms ({@code range}, {@code sum},
 * {@code non-finite}), then {@code argmax}.
 */
public final class AuditCauses {

    /** Reported values equal the recomputation rounded to d decimals; the verdict stays pass. */
    public static final String ROUNDED = "rounded";
    /** Reported values equal the recomputation rounded to float16 or bfloat16; the verdict stays pass. */
    public static final String LOW_PRECISION = "low-precision";
    /** Reported values equal a softmax at a temperature other than the declared one. */
    public static final String TEMPERATURE = "temperature";
    /** Reported values equal an element-wise sigmoid of the logits (or of logits / T) instead of a softmax. */
    public static final String SIGMOID = "sigmoid";
    /** Reported values equal the recomputation listed in another class order, including a shift by k classes. */
    public static final String CLASS_ORDER = "class-order";
    /** Reported values do not sum to 1 within the tolerance of their precision. */
    public static final String SUM = "sum";
    /** A reported value is below 0 or above 1. */
    public static final String RANGE = "range";
    /** A logit or a reported value is NaN or infinite. */
    public static final String NON_FINITE = "non-finite";
    /** The predicted class is not the most probable class (any of several tied maxima is accepted). */
    public static final String ARGMAX = "argmax";
    /** Reported values differ from the recomputation and no known transformation reproduces them. */
    public static final String MISMATCH = "mismatch";
    /** The vectors have the wrong length. The audit never returns it: ingestion rejects such records first. */
    public static final String LENGTH = "length";

    /** Reported values equal log_softmax of the logits (log-probabilities instead of probabilities). */
    public static final String LOG_PROBABILITIES = "log-probabilities";
    /** Reported values equal the logits (or logits / T) sent in place of the probabilities. */
    public static final String LOGITS_AS_PROBABILITIES = "logits-as-probabilities";
    /** Reported values equal the recomputation times 100: percentages instead of probabilities. */
    public static final String PERCENT = "percent";
    /** Reported values are proportional to the recomputation with a factor other than 1 or 100, for example exponentials not divided by their sum. */
    public static final String UNNORMALISED = "unnormalised";
    /** Reported values equal a softmax taken a second time over the probabilities. */
    public static final String DOUBLE_SOFTMAX = "double-softmax";
    /** Reported values equal a softmax at the declared temperature squared: the temperature was applied twice. Listed together with {@code temperature}. */
    public static final String TEMPERATURE_TWICE = "temperature-twice";
    /** Some reported values were set to 0 (for example all but the top k) and the others were left as they were, so the sum is below 1. */
    public static final String TRUNCATED = "truncated";
    /** Reported values equal a softmax over a subset of the classes, 0 elsewhere: renormalised top-k or masked classes. */
    public static final String SUBSET = "subset";
    /** Reported values are a one-hot vector (hard label) rather than probabilities. */
    public static final String ONE_HOT = "one-hot";
    /** Every reported value is 1: a softmax taken over the batch axis of a batch of one. */
    public static final String WRONG_AXIS = "wrong-axis";
    /**
     * Reported values deviate from the recomputation by more than the tolerance of their precision, but by no
     * more than that tolerance with its arithmetic error estimate multiplied by 16. The verdict is warn.
     */
    public static final String IMPRECISE = "imprecise";

    /** Every code above, in the order they are documented. */
    public static final List<String> ALL = List.of(ROUNDED, LOW_PRECISION, TEMPERATURE, SIGMOID, CLASS_ORDER,
            SUM, RANGE, NON_FINITE, ARGMAX, MISMATCH, LENGTH, LOG_PROBABILITIES, LOGITS_AS_PROBABILITIES, PERCENT,
            UNNORMALISED, DOUBLE_SOFTMAX, TEMPERATURE_TWICE, TRUNCATED, SUBSET, ONE_HOT, WRONG_AXIS, IMPRECISE);

    private AuditCauses() {
    }
}
