package io.probity.review;

import io.probity.security.Role;

import java.util.Set;

/**
 * Who performs a review action: a signed-in user, or the person named by an API-key caller.
 *
 * @param name  recorded in the item and its history
 * @param roles the user's roles; an API-key caller has {@link Role#REVIEWER} and {@link Role#OPS}
 */
public record ReviewActor(String name, Set<String> roles) {

    /** Returns whether the actor has {@code role} or a role above it. */
    public boolean hasRole(String role) {
        return Role.includes(roles, role);
    }
}
