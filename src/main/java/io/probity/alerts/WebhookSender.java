package io.probity.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends alert notifications from the {@link WebhookOutbox} queue as JSON {@code POST}s, signed with
 * HMAC-SHA256 over the stored body in {@code X-Probity-Signature: sha256=<hex>} when
 * {@code probity.alerts.webhook-secret} is set.
 *
 * <p>{@code probity.alerts.webhook-workers} threads each claim one due row at a time, so a slow
 * receiver holds up only the thread that sends to it. A delivery that fails (connection error,
 * timeout or a status other than 2xx) is retried after {@code backoff}, {@code 2 * backoff},
 * {@code 4 * backoff} and so on, at most {@code probity.alerts.webhook-attempts} attempts in all,
 * with each wait capped at 5 minutes. Every attempt is stored in {@code webhook_delivery}.
 * Workers look for due rows every {@code probity.alerts.webhook-poll}, and at once after
 * {@link #wakeUp}.
 *
 * <p>Delivery is at least once: a worker that stops between sending and storing the outcome
 * leaves its lease to expire, and the row is sent again. Receivers can drop repeats by the
 * {@code transitionId} of the body.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a claimed row stays with its worker: above the connect and request timeouts together. */
    static final Duration LEASE = Duration.ofMinutes(2);
    public static final String SIGNATURE_HEADER = "X-Probity-Signature";

    @Inject
    WebhookOutbox outbox;

    @ConfigProperty(name = "probity.alerts.webhook-secret")
    Optional<String> secret;

    @ConfigProperty(name = "probity.alerts.webhook-attempts", defaultValue = "5")
    int maxAttempts;

    @ConfigProperty(name = "probity.alerts.webhook-backoff", defaultValue = "PT2S")
    Duration backoff;

    @ConfigProperty(name = "probity.alerts.webhook-workers", defaultValue = "4")
    int workers;

    @ConfigProperty(name = "probity.alerts.webhook-poll", defaultValue = "PT1S")
    Duration poll;

    private final Object signal = new Object();
    private volatile boolean running;
    private volatile ExecutorService executor;
    private volatile HttpClient client;

    void start(@Observes StartupEvent event) {
        if (secret.isEmpty() || secret.get().isBlank()) {
            LOG.warn("probity.alerts.webhook-secret is not set, so alert webhooks are sent without "
                    + SIGNATURE_HEADER);
        }
        startWorkers();
    }

    void stop(@Observes ShutdownEvent event) {
        stopWorkers();
    }

    /** Starts the worker threads; they also send the rows left pending by an earlier run. */
    synchronized void startWorkers() {
        if (running) {
            return;
        }
        if (workers < 1) {
            throw new IllegalArgumentException("probity.alerts.webhook-workers is " + workers
                    + "; set it to 1 or more");
        }
        client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        AtomicInteger number = new AtomicInteger();
        executor = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "probity-webhooks-" + number.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        for (int i = 0; i < workers; i++) {
            executor.execute(this::work);
        }
        LOG.infof("Started %d webhook delivery workers, polling every %s", workers, poll);
    }

    /**
     * Stops the workers and waits up to the request timeout for the requests in flight. A request
     * cut short is not counted as an attempt, and its row is sent again on the next start.
     */
    synchronized void stopWorkers() {
        if (!running) {
            return;
        }
        running = false;
        wakeUp();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("Stopped the webhook delivery workers");
    }

    /**
     * Queues the notification of a transition on the caller's connection, so it is stored in the
     * same transaction as the transition. Call {@link #wakeUp} after the commit.
     */
    public void enqueue(Connection connection, long transitionId, String url, Map<String, Object> payload)
            throws SQLException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to encode the webhook body of alert transition "
                    + transitionId, e);
        }
        outbox.enqueue(connection, transitionId, url, body);
    }

    /** Makes waiting workers look for due rows now instead of at their next poll. */
    public void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Returns {@code sha256=<hex>} of the HMAC-SHA256 of {@code body} with {@code key}. */
    public static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private void work() {
        while (running) {
            WebhookOutbox.Claim claim;
            try {
                claim = outbox.claim(LEASE);
            } catch (SQLException | RuntimeException e) {
                LOG.errorf(e, "Failed to read the webhook queue; trying again in %s", poll);
                await();
                continue;
            }
            if (claim == null) {
                await();
                continue;
            }
            deliver(claim);
        }
    }

    private void await() {
        synchronized (signal) {
            if (!running) {
                return;
            }
            try {
                signal.wait(Math.max(1, poll.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void deliver(WebhookOutbox.Claim claim) {
        Integer status = null;
        String error = null;
        try {
            status = send(claim);
            if (status / 100 != 2) {
                error = "HTTP status " + status;
            }
        } catch (IOException | IllegalArgumentException e) {
            // ConnectException from HttpClient has no message; its cause names the refusal or the timeout.
            Throwable cause = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
            error = cause.getClass().getSimpleName() + ": " + (cause.getMessage() == null ? "no detail"
                    : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(claim);
            return;
        }

        String next;
        Duration retryAfter = Duration.ZERO;
        if (error == null) {
            next = WebhookOutbox.DELIVERED;
        } else if (claim.attempt() >= maxAttempts) {
            next = WebhookOutbox.FAILED;
            LOG.errorf("Webhook delivery %d of alert transition %d to %s failed after %d attempts: %s", claim.id(),
                    claim.transitionId(), claim.url(), claim.attempt(), error);
        } else {
            next = WebhookOutbox.PENDING;
            retryAfter = retryWait(claim.attempt());
            LOG.warnf("Webhook delivery %d of alert transition %d to %s failed (attempt %d of %d, %s); retrying in %s",
                    claim.id(), claim.transitionId(), claim.url(), claim.attempt(), maxAttempts, error, retryAfter);
        }

        try {
            if (!outbox.complete(claim, status, error, next, retryAfter)) {
                LOG.warnf("Webhook delivery %d of alert transition %d: the lease expired during attempt %d, so "
                        + "another worker owns the row", claim.id(), claim.transitionId(), claim.attempt());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "Failed to store attempt %d of webhook delivery %d of alert transition %d; the row is "
                    + "sent again when its lease expires", claim.attempt(), claim.id(), claim.transitionId());
        }
    }

    private int send(WebhookOutbox.Claim claim) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(claim.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Probity-Alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(claim.body()));
        if (secret.isPresent() && !secret.get().isBlank()) {
            request.header(SIGNATURE_HEADER, signature(secret.get(), claim.body()));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Returns the wait after failed attempt {@code attempt}: backoff * 2^(attempt - 1), at most 5 minutes. */
    private Duration retryWait(int attempt) {
        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    private void release(WebhookOutbox.Claim claim) {
        try {
            outbox.release(claim);
            LOG.infof("Webhook delivery %d of alert transition %d was interrupted by shutdown; it is sent again "
                    + "on the next start", claim.id(), claim.transitionId());
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "Failed to release webhook delivery %d of alert transition %d; it is sent again when "
                    + "its lease expires", claim.id(), claim.transitionId());
        }
    }
}
