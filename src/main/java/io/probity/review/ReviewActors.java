package io.probity.review;

import io.probity.api.ApiException;
import io.probity.security.CurrentPrincipal;
import io.probity.security.CurrentUser;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Set;

/**
 * Finds the acting person of a review API call, after {@code ApiAuthFilter} has authenticated it:
 * a user signed in with HTTP Basic acts under their own name and roles, and an API-key caller
 * must name the acting person in {@value #REVIEWER_HEADER}.
 *
 * <p>NOTE: an API key is a shared service credential, so the {@value #REVIEWER_HEADER} name is
 * taken on trust; only Basic credentials prove who acted.
 */
@ApplicationScoped
public class ReviewActors {

    public static final String REVIEWER_HEADER = "X-Reviewer";
    /** Longest accepted reviewer name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Set<String> API_KEY_ROLES = Set.of(Role.REVIEWER, Role.OPS);

    @Inject
    CurrentPrincipal currentPrincipal;

    /**
     * Returns the actor of a call.
     *
     * @throws ApiException 400 when an API-key call has no valid {@value #REVIEWER_HEADER} header
     */
    public ReviewActor resolve(HttpHeaders headers) {
        Principal principal = currentPrincipal.get();
        if (principal.kind() == Principal.Kind.USER) {
            return new ReviewActor(principal.name(), principal.roles());
        }

        String name = headers.getHeaderString(REVIEWER_HEADER);
        if (name == null || name.isBlank()) {
            throw new ApiException(400, "reviewer-missing", "The " + REVIEWER_HEADER + " header is missing; with an "
                    + "API key, send the acting reviewer's name in it, or authenticate as the user with HTTP Basic");
        }
        name = name.strip();
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, "reviewer-invalid", "The " + REVIEWER_HEADER + " header is not a valid name; "
                    + "send at most " + MAX_NAME_LENGTH + " characters without control characters");
        }
        return new ReviewActor(name, API_KEY_ROLES);
    }

    /** Returns the actor for a user signed in to the UI. */
    public static ReviewActor of(CurrentUser user) {
        return new ReviewActor(user.name(), user.roles());
    }

    /**
     * Checks that the actor has a role.
     *
     * @throws ApiException 403 when it does not
     */
    public static void require(ReviewActor actor, String role, String action) {
        if (!actor.hasRole(role)) {
            throw new ApiException(403, "forbidden", "User " + actor.name() + " may not " + action
                    + "; it needs the " + role + " role");
        }
    }
}
