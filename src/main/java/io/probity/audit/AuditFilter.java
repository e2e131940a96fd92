package io.probity.audit;

import java.time.Instant;

/**
 * Filter of the audit findings list; null fields do not filter.
 *
 * @param from   inclusive start of the event-time window
 * @param to     exclusive end of the event-time window
 * @param models the models the viewer may see, or null for every model
 */
public record AuditFilter(String model, String version, String cause, String verdict, Instant from, Instant to,
                          java.util.Set<String> models) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null, null);

    /** Returns the same filter without its cause and verdict, for figures over all predictions. */
    public AuditFilter everyVerdict() {
        return new AuditFilter(model, version, null, null, from, to, models);
    }
}
