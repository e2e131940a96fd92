package io.probity.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The baseline window of a model version, {@code [from, to)}.
 *
 * @param source {@code stored} when a user set it, {@code default} for the first 7 days after the
 *     version's first prediction hour, {@code none} when the version has no predictions yet
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaselineWindow(String model, String version, String from, String to, String source,
                             String updatedBy, String updatedAt) {

    /** Baselines set by nobody cover this many days from the first prediction hour. */
    public static final int DEFAULT_DAYS = 7;

    /** Returns whether the window has bounds, which it lacks only for a version without data. */
    public boolean isDefined() {
        return from != null && to != null;
    }
}
