package io.probity.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bootstrap API keys from {@code probity.api-keys} (env {@code PROBITY_API_KEYS},
 * comma-separated), which have every scope and every model. Only SHA-256 digests are kept in
 * memory and keys are compared in constant time; no key is ever logged.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final List<byte[]> digests = new ArrayList<>();

    @ConfigProperty(name = "probity.api-keys")
    Optional<List<String>> configuredKeys;

    void onStart(@Observes StartupEvent event) {
        configuredKeys.orElse(List.of()).stream()
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .forEach(key -> digests.add(sha256(key)));
        if (digests.isEmpty()) {
            LOG.info("No bootstrap API keys configured (PROBITY_API_KEYS); API calls need a key created by an admin "
                    + "or HTTP Basic credentials");
        } else {
            LOG.infof("Accepting %d bootstrap API key(s) from probity.api-keys", digests.size());
        }
    }

    /** Returns whether {@code key} is one of the bootstrap keys. */
    public boolean isBootstrapKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        byte[] candidate = sha256(key);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, candidate);
        }
        return match;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
