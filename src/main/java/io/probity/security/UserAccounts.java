package io.probity.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The bootstrap {@code admin} account, configured by {@code probity.admin.password}
 * (env {@code PROBITY_ADMIN_PASSWORD}). When no password is configured, a random one is
 * generated at start and logged once, so a new installation can be opened.
 */
@ApplicationScoped
public class UserAccounts {

    private static final Logger LOG = Logger.getLogger(UserAccounts.class);
    public static final String ADMIN = "admin";

    @ConfigProperty(name = "probity.admin.password")
    Optional<String> configuredPassword;

    private byte[] adminPasswordDigest;

    void onStart(@Observes StartupEvent event) {
        String password = configuredPassword.filter(p -> !p.isBlank()).orElse(null);
        if (password == null) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.infof("No PROBITY_ADMIN_PASSWORD set: generated password for user admin: %s "
                    + "(shown once; set PROBITY_ADMIN_PASSWORD to choose your own)", password);
        }
        adminPasswordDigest = ApiKeys.sha256(password);
    }

    /** Returns the signed-in user when the name and password match, or empty. */
    public Optional<CurrentUser> authenticate(String name, String password) {
        if (name == null || password == null || adminPasswordDigest == null) {
            return Optional.empty();
        }
        boolean passwordMatches = MessageDigest.isEqual(adminPasswordDigest, ApiKeys.sha256(password));
        if (ADMIN.equals(name) && passwordMatches) {
            return Optional.of(new CurrentUser(ADMIN, Set.of(Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN)));
        }
        LOG.infof("Failed login for user name %s", name.length() > 64 ? name.substring(0, 64) : name);
        return Optional.empty();
    }
}
