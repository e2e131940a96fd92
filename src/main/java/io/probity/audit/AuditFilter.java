package io.probity.audit;

import java.time.Instant;

/**
 * Filter of the audit findings list; null fields do not filter.
 *
 * @param from inclusive start of the event-time window
 * @param to   exclusive end of the event-time window
 */
public record AuditFilter(String model, String version, String cause, String verdict, Instant from, Instant to) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
