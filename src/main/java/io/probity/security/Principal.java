package io.probity.security;

import java.util.Set;

/**
 * The caller of an API request: a user (HTTP Basic), an API key created by an admin, or a bootstrap key
 * from {@code PROBITY_API_KEYS}, which has every scope and every role.
 *
 * @param roles  roles of a user; empty for keys
 * @param scopes scopes of an API key ({@code ingest}, {@code labels}, {@code read}); empty for users
 * @param models models this principal may see or change, or null for every model
 */
public record Principal(String name, Kind kind, Set<String> roles, Set<String> scopes, Set<String> models) {

    /** Kinds of principal. */
    public enum Kind { USER, API_KEY, BOOTSTRAP_KEY }

    public static final String SCOPE_INGEST = "ingest";
    public static final String SCOPE_LABELS = "labels";
    public static final String SCOPE_READ = "read";
    public static final Set<String> SCOPES = Set.of(SCOPE_INGEST, SCOPE_LABELS, SCOPE_READ);

    /** The principal of internal callers such as the demo replay: every model, every right. */
    public static final Principal SYSTEM = new Principal("system", Kind.BOOTSTRAP_KEY, Set.of(), SCOPES, null);

    /** Returns whether a user has {@code role} or one above it. Bootstrap keys have every role. */
    public boolean hasRole(String role) {
        return kind == Kind.BOOTSTRAP_KEY || (kind == Kind.USER && Role.includes(roles, role));
    }

    /** Returns whether an API key has {@code scope}; bootstrap keys have every scope. */
    public boolean hasScope(String scope) {
        return kind == Kind.BOOTSTRAP_KEY || (kind == Kind.API_KEY && scopes.contains(scope));
    }

    /** Returns whether this principal may see or change {@code model}. */
    public boolean mayAccessModel(String model) {
        return models == null || models.contains(model);
    }
}
