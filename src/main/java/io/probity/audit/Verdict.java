package io.probity.audit;

import java.util.Locale;

/** Outcome of a softmax audit. */
public enum Verdict {
    PASS, WARN, FAIL;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
