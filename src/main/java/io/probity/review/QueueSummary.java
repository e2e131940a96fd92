package io.probity.review;

import java.time.Instant;
import java.util.Map;

/**
 * Counts of the items that match a filter, by state, and the creation time of the oldest open
 * one (null when none is open).
 */
public record QueueSummary(Map<String, Long> countsByState, Instant oldestOpenCreatedAt) {
}
