package io.probity.review;

/**
 * Decisions of one reviewer: resolve, skip and escalate actions, less the ones undone.
 *
 * @param lastHour decisions in the last 60 minutes
 * @param lastDay  decisions in the last 24 hours
 */
public record ReviewerThroughput(String reviewer, long lastHour, long lastDay, long resolvedLastDay) {
}
