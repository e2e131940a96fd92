package io.probity.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication ({@code Authorization: Basic base64(name:password)}, RFC 7617) of
 * the users in {@link UserAccounts}. The review API accepts it in place of an API key, so that
 * each action is recorded under the reviewer's own name.
 */
@ApplicationScoped
public class BasicAuthentication {

    private static final String PREFIX = "Basic ";

    @Inject
    UserAccounts accounts;

    /** Returns whether an {@code Authorization} header value uses the Basic scheme. */
    public static boolean isBasic(String header) {
        return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Returns the user whose valid credentials the header carries, or empty. */
    public Optional<CurrentUser> authenticate(String header) {
        if (!isBasic(header)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(PREFIX.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return accounts.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
