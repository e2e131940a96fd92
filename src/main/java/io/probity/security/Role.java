package io.probity.security;

import java.util.Collection;
import java.util.List;

/**
 * Roles of Probity users. Each role includes the rights of the ones before it:
 * {@code analyst} reads dashboards, audits and metrics; {@code reviewer} also works the review
 * queue; {@code ops} also edits review rules, baselines, audit tolerances and alert rules;
 * {@code admin} also manages users and API keys.
 */
public final class Role {

    public static final String ANALYST = "analyst";
    public static final String REVIEWER = "reviewer";
    public static final String OPS = "ops";
    public static final String ADMIN = "admin";

    /** All roles from the least to the most privileged. */
    public static final List<String> ORDER = List.of(ANALYST, REVIEWER, OPS, ADMIN);

    private Role() {
    }

    /** Returns the position of a role in {@link #ORDER}, or -1 for an unknown name. */
    public static int rank(String role) {
        return ORDER.indexOf(role);
    }

    /** Returns whether any of the held roles is {@code required} or a role above it. */
    public static boolean includes(Collection<String> held, String required) {
        int needed = rank(required);
        if (needed < 0) {
            return false;
        }
        for (String role : held) {
            if (rank(role) >= needed) {
                return true;
            }
        }
        return false;
    }
}
