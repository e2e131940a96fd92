package io.probity.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Audit findings per time bucket: for each bucket start, the number of predictions and, per
 * cause, how many carried it. A prediction with several causes counts once under each.
 *
 * @param interval {@code hour} or {@code day}
 */
public record CauseTimeline(String interval, List<Instant> buckets, long[] totals, Map<String, long[]> causeCounts) {

    /** Returns the share of predictions in bucket {@code i} that carried {@code cause}, 0 for an empty bucket. */
    public double rate(String cause, int i) {
        long[] counts = causeCounts.get(cause);
        return counts == null || totals[i] == 0 ? 0 : (double) counts[i] / totals[i];
    }
}
