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
 * The API keys accepted in the {@code X-API-Key} header, from {@code probity.api-keys}
 * (env {@code PROBITY_API_KEYS}, comma-separated). Only SHA-256 digests are kept in memory and
 * keys are compared in constant time; no key is ever logged.
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
            LOG.warn("No API keys configured: every /api call will be answered 401. "
                    + "Set PROBITY_API_KEYS to a comma-separated list of keys.");
        } else {
            LOG.infof("Accepting %d API key(s) from probity.api-keys", digests.size());
        }
    }

    /** Returns whether {@code key} is one of the configured keys. */
    public boolean isValid(String key) {
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
