package io.probity.review;

/**
 * Body of the resolve, skip and escalate calls.
 *
 * @param label the true class name; required to resolve, ignored otherwise
 * @param note  optional free text, at most {@value ReviewService#MAX_NOTE_LENGTH} characters
 */
public record ReviewDecision(String label, String note) {
}
