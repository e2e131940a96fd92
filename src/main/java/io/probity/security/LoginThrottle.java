package io.probity.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down and then locks a user name or a client address after repeated failed logins.
 *
 * <p>Failures are counted per lower-cased user name and per client address within a sliding
 * window of {@code probity.security.lock-minutes}. From the third failure each response is delayed
 * by {@code probity.security.failure-delay} times (failures − 2), at most five times that delay.
 * At {@code probity.security.lock-after} failures of a name, or
 * {@code probity.security.address-lock-after} failures from an address (higher, because many
 * users may share an address behind a proxy), the name or address is locked for
 * {@code probity.security.lock-minutes}, and a correct password is rejected until the lock ends.
 * The counts live in memory, so they are per instance and reset on restart.
 */
@ApplicationScoped
public class LoginThrottle {

    @ConfigProperty(name = "probity.security.lock-after", defaultValue = "10")
    int lockAfter;

    @ConfigProperty(name = "probity.security.address-lock-after", defaultValue = "50")
    int addressLockAfter;

    @ConfigProperty(name = "probity.security.lock-minutes", defaultValue = "15")
    int lockMinutes;

    @ConfigProperty(name = "probity.security.failure-delay", defaultValue = "PT0.5S")
    Duration failureDelay;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    private static final class Failures {
        int count;
        Instant first;
        Instant lockedUntil;
    }

    /** Returns how long the name or the address stays locked, or empty when neither is. */
    public Optional<Duration> lockRemaining(String name, String address) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : keys(name, address)) {
            Failures entry = failures.get(key);
            if (entry != null && entry.lockedUntil != null && entry.lockedUntil.isAfter(now)) {
                Duration remaining = Duration.between(now, entry.lockedUntil);
                if (longest == null || remaining.compareTo(longest) > 0) {
                    longest = remaining;
                }
            }
        }
        return Optional.ofNullable(longest);
    }

    /**
     * Counts a failed login and returns the delay to apply before responding. A lock starts
     * when the count reaches the limit.
     *
     * @return the delay, and whether this failure started a lock
     */
    public FailureOutcome recordFailure(String name, String address) {
        Instant now = clock.instant();
        int worst = 0;
        boolean locked = false;
        for (String key : keys(name, address)) {
            Failures entry = failures.computeIfAbsent(key, k -> new Failures());
            synchronized (entry) {
                if (entry.first == null || entry.first.plus(Duration.ofMinutes(lockMinutes)).isBefore(now)) {
                    entry.first = now;
                    entry.count = 0;
                    entry.lockedUntil = null;
                }
                entry.count++;
                int limit = key.startsWith("user:") ? lockAfter : addressLockAfter;
                if (entry.count >= limit && entry.lockedUntil == null) {
                    entry.lockedUntil = now.plus(Duration.ofMinutes(lockMinutes));
                    locked = true;
                }
                worst = Math.max(worst, entry.count);
            }
        }
        long steps = Math.min(5, Math.max(0, worst - 2));
        return new FailureOutcome(failureDelay.multipliedBy(steps), locked);
    }

    /** Clears the name's failures after a successful login; the address keeps its count. */
    public void recordSuccess(String name) {
        failures.remove("user:" + normalise(name));
    }

    /** Result of {@link #recordFailure}. */
    public record FailureOutcome(Duration delay, boolean lockStarted) {
    }

    private static String[] keys(String name, String address) {
        return new String[] {"user:" + normalise(name), "address:" + (address == null ? "unknown" : address)};
    }

    private static String normalise(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }
}
