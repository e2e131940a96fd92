package io.probity.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One action in an item's append-only history.
 *
 * @param id     the {@code review_history} row id; null for the {@code queued} entry, which is derived
 *               from the item row rather than stored
 * @param actor  user name, {@code router} for queueing, {@code system} for an expired lease, or
 *               {@code labels-api} when a label from the labels API resolved the item
 * @param action queued, claim, release, lease-expired, resolve, skip, escalate, undo or label
 * @param before the item fields the action changed, as they were; null for {@code queued}
 * @param after  the same fields after the action
 */
public record ReviewHistoryEntry(Long id, long itemId, Instant at, String actor, String action, JsonNode before,
                                 JsonNode after, String note) {
}
