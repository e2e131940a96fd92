package io.probity.review;

import java.time.Duration;

/**
 * Filters of the queue listing; a null field does not filter.
 *
 * @param minAge only items queued at least this long ago
 */
public record ReviewFilter(String model, String version, String rule, String state, Duration minAge) {

    public static final ReviewFilter ALL = new ReviewFilter(null, null, null, null, null);

    public static ReviewFilter forModel(String model) {
        return new ReviewFilter(model, null, null, null, null);
    }
}
