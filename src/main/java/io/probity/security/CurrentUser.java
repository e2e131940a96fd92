package io.probity.security;

import com.vaadin.flow.server.VaadinSession;

import java.util.Optional;
import java.util.Set;

/** A signed-in user of the UI, kept in the Vaadin session. */
public record CurrentUser(String name, Set<String> roles) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Returns the user signed in to the current Vaadin session, or empty. */
    public static Optional<CurrentUser> get() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable(session.getAttribute(CurrentUser.class));
    }
}
