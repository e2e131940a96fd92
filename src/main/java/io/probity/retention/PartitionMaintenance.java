package io.probity.retention;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link PredictionPartitions#createAhead} and {@link PredictionPartitions#dropExpired} at
 * start-up and then every {@code probity.partitions.check-interval}. Several instances may run it:
 * creation is idempotent and drops take an advisory lock.
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    @Inject
    PredictionPartitions partitions;

    @ConfigProperty(name = "probity.partitions.check-interval", defaultValue = "PT1H")
    Duration checkInterval;

    private volatile ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        LOG.infof("Predictions are partitioned by %s of event time; retention: %s",
                partitions.interval().name().toLowerCase(java.util.Locale.ROOT),
                partitions.retention().map(period -> period + " (older partitions are dropped, rollups kept)")
                        .orElse("none (every prediction is kept)"));
        run();
        executor = DaemonThreads.scheduler("probity-partitions");
        executor.scheduleWithFixedDelay(this::run, checkInterval.toMillis(), checkInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Runs one maintenance pass. Failures are logged, and the next pass tries again. */
    void run() {
        Instant now = Instant.now();
        try {
            partitions.createAhead(now);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Failed to create the prediction partitions ahead of %s", now);
        }
        try {
            partitions.dropExpired(now);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Failed to drop expired prediction partitions");
        }
    }
}
