package io.probity.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends alert notifications as JSON {@code POST}s, signed with HMAC-SHA256 over the raw body in
 * {@code X-Probity-Signature: sha256=<hex>} when {@code probity.alerts.webhook-secret} is set.
 * A delivery that fails (connection error, timeout or a status other than 2xx) is retried after
 * {@code backoff}, {@code 2 * backoff}, {@code 4 * backoff} and so on, at most
 * {@code probity.alerts.webhook-attempts} attempts in all, with each wait capped at 5 minutes.
 * Every attempt is stored in {@code webhook_delivery}.
 *
 * <p>NOTE: one thread sends every delivery, so a receiver that times out (10 s) delays the others,
 * and retries still waiting are lost on shutdown.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final String SIGNATURE_HEADER = "X-Probity-Signature";

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "probity.alerts.webhook-secret")
    Optional<String> secret;

    @ConfigProperty(name = "probity.alerts.webhook-attempts", defaultValue = "5")
    int maxAttempts;

    @ConfigProperty(name = "probity.alerts.webhook-backoff", defaultValue = "PT2S")
    Duration backoff;

    private volatile ScheduledExecutorService executor;
    private volatile HttpClient client;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "probity-webhooks");
            thread.setDaemon(true);
            return thread;
        });
        client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        if (secret.isEmpty() || secret.get().isBlank()) {
            LOG.warn("probity.alerts.webhook-secret is not set, so alert webhooks are sent without "
                    + SIGNATURE_HEADER);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Queues the delivery of a notification of a transition; returns at once. */
    public void send(long transitionId, String url, Map<String, Object> payload) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "Failed to encode the webhook body of alert transition %d", transitionId);
            return;
        }
        executor.execute(() -> attempt(transitionId, url, body, 1));
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

    private void attempt(long transitionId, String url, byte[] body, int attempt) {
        Integer status = null;
        String error = null;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Probity-Alerts")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (secret.isPresent() && !secret.get().isBlank()) {
                request.header(SIGNATURE_HEADER, signature(secret.get(), body));
            }
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                error = "HTTP status " + status;
            }
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        boolean succeeded = error == null;
        record(transitionId, url, attempt, status, error, succeeded);
        if (succeeded) {
            return;
        }
        if (attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
            LOG.errorf("Webhook delivery of alert transition %d to %s failed after %d attempts: %s", transitionId,
                    url, attempt, error);
            return;
        }
        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        LOG.warnf("Webhook delivery of alert transition %d to %s failed (attempt %d of %d, %s); retrying in %s",
                transitionId, url, attempt, maxAttempts, error, wait);
        executor.schedule(() -> attempt(transitionId, url, body, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void record(long transitionId, String url, int attempt, Integer status, String error, boolean succeeded) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO webhook_delivery (transition_id, url, attempt, status_code, error, succeeded) "
                             + "VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, transitionId);
            insert.setString(2, url);
            insert.setInt(3, attempt);
            if (status == null) {
                insert.setNull(4, Types.INTEGER);
            } else {
                insert.setInt(4, status);
            }
            insert.setString(5, error);
            insert.setBoolean(6, succeeded);
            insert.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf(e, "Failed to store webhook delivery attempt %d of alert transition %d", attempt, transitionId);
        }
    }
}
