package io.probity.security;

import com.vaadin.flow.server.VaadinSession;

import java.util.Optional;
import java.util.Set;

/**
 * A signed-in user of the UI, kept in the Vaadin session.
 *
 * @param models models the user may see, or null for every model
 */
public record CurrentUser(String name, Set<String> roles, Set<String> models) {

    /** Returns whether the user has {@code role} or a role above it. */
    public boolean hasRole(String role) {
        return Role.includes(roles, role);
    }

    /** Returns whether the user may see {@code model}. */
    public boolean mayAccessModel(String model) {
        return models == null || models.contains(model);
    }

    /** Returns the user signed in to the current Vaadin session, or empty. */
    public static Optional<CurrentUser> get() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable(session.getAttribute(CurrentUser.class));
    }
}
