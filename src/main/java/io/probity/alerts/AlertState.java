package io.probity.alerts;

/**
 * The alert state machine. An evaluation whose value meets the rule's condition is a breach:
 *
 * <pre>
 *   ok, resolved --breach--> pending --second consecutive breach--> firing
 *   pending --no breach--> ok          firing --no breach--> resolved
 * </pre>
 *
 * An evaluation without a value (no data, no baseline, fewer than {@code minCount} predictions)
 * leaves the state and the breach count as they are. Removing a rule moves a pending or firing
 * alert to resolved.
 */
public final class AlertState {

    public static final String OK = "ok";
    public static final String PENDING = "pending";
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    /** The consecutive breaches after which a pending alert fires. */
    public static final int BREACHES_TO_FIRE = 2;

    private AlertState() {
    }

    /** Returns the state after an evaluation with the given outcome and consecutive breach count. */
    public static String next(String state, boolean breach, int breaches) {
        if (breach) {
            return switch (state) {
                case OK, RESOLVED -> breaches >= BREACHES_TO_FIRE ? FIRING : PENDING;
                case PENDING -> breaches >= BREACHES_TO_FIRE ? FIRING : PENDING;
                default -> FIRING;
            };
        }
        return switch (state) {
            case PENDING -> OK;
            case FIRING -> RESOLVED;
            default -> state;
        };
    }
}
