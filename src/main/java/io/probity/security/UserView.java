package io.probity.security;

import java.time.OffsetDateTime;
import java.util.List;

/** A user as listed by the admin API and screens; never contains the password hash. */
public record UserView(String name, List<String> roles, List<String> models, boolean enabled,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static UserView of(AppUser user) {
        return new UserView(user.name, user.roles, user.models, user.enabled, user.createdAt, user.updatedAt);
    }
}
