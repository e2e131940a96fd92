package io.probity.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.probity.analytics.RollupStore;
import io.probity.analytics.RollupSums;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus gauges read from PostgreSQL: review queue sizes, the age of the oldest open review
 * item, and headline figures per model version over the last 24 hours of event time.
 *
 * <p>A scrape reads a snapshot that is at most {@code probity.metrics.cache} old; the first gauge
 * read after that refreshes it with four queries. Per-version gauges are registered when a refresh
 * finds a new version, so a new version can first appear one scrape late.
 *
 * <p>Per-version gauges cover at most {@code probity.metrics.max-model-versions} versions (default
 * 50), the most recently created ones, so the label cardinality stays bounded however many models
 * are stored. Their window is the 24 hours of event time that end with the version's latest rollup
 * hour, read from {@code analytics_rollup_all}, so a version that stopped sending keeps its last figures.
 */
@Startup
@ApplicationScoped
public class DatabaseGauges {

    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);

    /** Review item states as stored in {@code review_item.state}. */
    static final List<String> REVIEW_STATES = List.of("open", "claimed", "resolved", "skipped", "escalated", "expired");
    /** Reliability bins of the exported ECE, as in the metrics API default. */
    static final int ECE_BINS = 15;

    /** The LATERAL subquery finds each version's latest hour with a backward scan of the rollup primary key. */
    private static final String VERSION_SQL = """
            WITH v AS (SELECT id, model, version FROM model_version ORDER BY created_at DESC, id DESC LIMIT ?)
            SELECT v.model, v.version, %s
            FROM v
            CROSS JOIN LATERAL (SELECT m.hour FROM analytics_rollup_all m
                                WHERE m.model_version_id = v.id AND m.top_class = -2
                                ORDER BY m.hour DESC LIMIT 1) last
            JOIN analytics_rollup_all r ON r.model_version_id = v.id AND r.top_class = -2
                 AND r.hour > last.hour - interval '24 hours'
            """.formatted(RollupStore.selectColumns("r"));

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "probity.metrics.cache", defaultValue = "PT5S")
    Duration cacheDuration;

    @ConfigProperty(name = "probity.metrics.max-model-versions", defaultValue = "50")
    int maxModelVersions;

    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private ScheduledExecutorService refresher;
    private MultiGauge versionPredictions;
    private MultiGauge versionMeanConfidence;
    private MultiGauge versionEce;
    private MultiGauge versionAccuracy;
    private MultiGauge versionAuditFailureRatio;
    /** The versions that have gauge rows, so that rows are registered again only when they change. */
    private Set<Tags> publishedVersions = Set.of();

    @PostConstruct
    void register() {
        for (String state : REVIEW_STATES) {
            Gauge.builder("probity_review_items", this, gauges -> gauges.current().reviewCounts.getOrDefault(state, 0L))
                    .description("Review items by state")
                    .tag("state", state)
                    .register(registry);
        }
        Gauge.builder("probity_review_oldest_open_age_seconds", this, gauges -> gauges.current().oldestOpenAgeSeconds)
                .description("Age of the oldest review item in state open; 0 when none is open")
                .register(registry);
        Gauge.builder("probity_rollup_pending_rows", this, gauges -> gauges.current().pendingRollupRows)
                .description("Rollup rows appended by ingestion and not yet folded into analytics_rollup; "
                        + "a steady rise means the fold falls behind")
                .register(registry);
        Gauge.builder("probity_prediction_partitions", this, gauges -> gauges.current().partitions)
                .description("Time partitions of the prediction table")
                .register(registry);

        versionPredictions = MultiGauge.builder("probity_model_predictions_24h")
                .description("Predictions of the model version in the last 24 h of event time").register(registry);
        versionMeanConfidence = MultiGauge.builder("probity_model_mean_confidence_24h")
                .description("Mean top-class probability in the last 24 h of event time").register(registry);
        versionEce = MultiGauge.builder("probity_model_ece_24h")
                .description("Expected calibration error (15 bins) of labelled predictions in the last 24 h of "
                        + "event time; NaN without labels").register(registry);
        versionAccuracy = MultiGauge.builder("probity_model_accuracy_24h")
                .description("Accuracy of labelled predictions in the last 24 h of event time; NaN without labels")
                .register(registry);
        versionAuditFailureRatio = MultiGauge.builder("probity_model_audit_failure_ratio_24h")
                .description("Fraction of predictions with audit verdict fail in the last 24 h of event time")
                .register(registry);
    }

    /**
     * Reads a snapshot at start-up and then once per cache duration in the background. The
     * per-version gauges are registered by a read, and a scrape lists the meters before it reads any
     * gauge. When only scrapes triggered reads, a version that appeared since the last read (such as
     * the demo data, stored after start-up) was missing from the next scrape.
     */
    void readAtStart(@Observes StartupEvent event) {
        current();
        refresher = DaemonThreads.scheduler("probity-gauges");
        long period = Math.max(1, cacheDuration.toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            current();
        } catch (RuntimeException e) {
            // An exception would end the schedule, so it is logged and the next period tries again.
            LOG.warnf(e, "Background refresh of the database gauges failed");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Returns the cached snapshot, reading a new one when it is older than the cache duration. */
    synchronized Snapshot current() {
        long now = System.nanoTime();
        if (snapshot != Snapshot.EMPTY && now - snapshot.readAtNanos < cacheDuration.toNanos()) {
            return snapshot;
        }
        try {
            snapshot = read(now);
            publishVersions(snapshot.versions);
        } catch (SQLException e) {
            // Keep the previous values: a failed scrape read should not zero the queue gauges.
            LOG.warnf(e, "Reading metrics from the database failed; keeping the snapshot from %d s ago",
                    Duration.ofNanos(now - snapshot.readAtNanos).toSeconds());
        }
        return snapshot;
    }

    private Snapshot read(long now) throws SQLException {
        Map<String, Long> reviewCounts = new HashMap<>();
        double oldestOpenAge = 0;
        Map<Tags, VersionFigures> versions = new LinkedHashMap<>();
        long pendingRows;
        long partitions;

        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT state, count(*) FROM review_item GROUP BY state")) {
                while (rows.next()) {
                    reviewCounts.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT extract(epoch FROM now() - min(created_at)) FROM review_item WHERE state = 'open'")) {
                if (rows.next()) {
                    oldestOpenAge = rows.getDouble(1);
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM analytics_rollup_pending), "
                         + "(SELECT count(*) FROM pg_inherits WHERE inhparent = 'prediction'::regclass)")) {
                rows.next();
                pendingRows = rows.getLong(1);
                partitions = rows.getLong(2);
            }
            try (PreparedStatement statement = connection.prepareStatement(VERSION_SQL)) {
                // Binary transfer, so that the packed bins arrive as bytes rather than hex text.
                statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                statement.setInt(1, maxModelVersions);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Tags tags = Tags.of("model", rows.getString(1), "version", rows.getString(2));
                        RollupSums sums = RollupStore.readRow(rows, 3).sums();
                        versions.computeIfAbsent(tags, key -> new VersionFigures()).add(sums);
                    }
                }
            }
        }
        return new Snapshot(now, reviewCounts, oldestOpenAge, versions, pendingRows, partitions);
    }

    /**
     * Registers one gauge row per version when the set of versions changes. Each row reads its value
     * from the current snapshot when scraped. Registering rows with fixed values on every refresh
     * removed the previous rows while a scrape was listing them, so every scrape that refreshed the
     * snapshot came out without any per-version gauge.
     */
    private void publishVersions(Map<Tags, VersionFigures> versions) {
        if (versions.keySet().equals(publishedVersions)) {
            return;
        }
        publishedVersions = Set.copyOf(versions.keySet());
        versionPredictions.register(rows(VersionFigures::predictions), true);
        versionMeanConfidence.register(rows(VersionFigures::meanConfidence), true);
        versionEce.register(rows(VersionFigures::ece), true);
        versionAccuracy.register(rows(VersionFigures::accuracy), true);
        versionAuditFailureRatio.register(rows(VersionFigures::auditFailureRatio), true);
    }

    /** Returns one row per published version; overwriting removes the rows of versions that left the top N. */
    private List<MultiGauge.Row<?>> rows(ToDoubleFunction<VersionFigures> figure) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Tags tags : publishedVersions) {
            rows.add(MultiGauge.Row.of(tags, this, gauges -> {
                VersionFigures figures = gauges.snapshot.versions.get(tags);
                return figures == null ? Double.NaN : figure.applyAsDouble(figures);
            }));
        }
        return rows;
    }

    record Snapshot(long readAtNanos, Map<String, Long> reviewCounts, double oldestOpenAgeSeconds,
                    Map<Tags, VersionFigures> versions, long pendingRollupRows, long partitions) {
        static final Snapshot EMPTY = new Snapshot(0, Map.of(), 0, Map.of(), 0, 0);
    }

    /** Sums of the hourly rollup rows of one version. */
    static final class VersionFigures {
        private final RollupSums sums = new RollupSums();

        void add(RollupSums row) {
            sums.merge(row);
        }

        double predictions() {
            return sums.predictions();
        }

        double meanConfidence() {
            return sums.meanConfidence();
        }

        double auditFailureRatio() {
            return sums.predictions() == 0 ? Double.NaN : (double) sums.auditFailed() / sums.predictions();
        }

        double accuracy() {
            return sums.labelled() == 0 ? Double.NaN : sums.reliability(ECE_BINS).accuracy();
        }

        /** ECE over {@value #ECE_BINS} equal-width bins, as the metrics API computes it. */
        double ece() {
            return sums.labelled() == 0 ? Double.NaN : sums.reliability(ECE_BINS).ece();
        }
    }
}
