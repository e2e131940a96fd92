package io.probity.alerts;

import io.probity.ops.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs alert evaluations off the request threads: all active rules every
 * {@code probity.alerts.interval}, and the rules of each version that received predictions
 * shortly after the batch is committed. Ingestion only adds the version ids to a set, so its cost
 * on the ingestion path is one set insertion per batch.
 */
@ApplicationScoped
public class AlertScheduler {

    private static final Logger LOG = Logger.getLogger(AlertScheduler.class);

    @Inject
    AlertService alerts;

    @ConfigProperty(name = "probity.alerts.interval", defaultValue = "PT1M")
    Duration interval;

    private final Set<Long> dirtyVersions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        executor = DaemonThreads.scheduler("probity-alerts");
        executor.scheduleWithFixedDelay(this::evaluateAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("Alert rules are evaluated every %s and after each ingested batch", interval);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Marks versions whose predictions were just committed, to be evaluated asynchronously. */
    public void predictionsStored(Set<Long> versionIds) {
        if (versionIds.isEmpty() || executor == null) {
            return;
        }
        dirtyVersions.addAll(versionIds);
        if (drainQueued.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        drainQueued.set(false);
        for (Long versionId : Set.copyOf(dirtyVersions)) {
            dirtyVersions.remove(versionId);
            try {
                alerts.evaluateVersion(versionId, Instant.now());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Failed to evaluate the alert rules of model version %d", versionId);
            }
        }
    }

    private void evaluateAll() {
        try {
            alerts.evaluateAll(Instant.now());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Failed to evaluate the alert rules");
        }
    }
}
