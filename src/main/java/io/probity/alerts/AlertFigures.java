package io.probity.alerts;

import io.agroal.api.AgroalDataSource;
import io.probity.analytics.AnalyticsRepository;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.BaselineWindow;
import io.probity.analytics.ModelScope;
import io.probity.analytics.RollupKey;
import io.probity.analytics.RollupSums;
import io.probity.drift.ClassMixDrift;
import io.probity.drift.DistributionDrift;
import io.probity.drift.PerformanceEstimation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Computes the value of an alert rule's metric over its window. Windows are in event time and end
 * at the newest prediction timestamp of the version, so a replay of old traffic is judged like live
 * traffic. Window figures come from the hourly rollups of {@link AnalyticsRepository}, exact at
 * partial hours, and drift figures compare with the version's baseline window.
 */
@ApplicationScoped
public class AlertFigures {

    /** The maximum number of confidences that {@link AlertMetric#CONFIDENCE_CUSUM} reads per window. */
    public static final int CUSUM_READ_LIMIT = 100_000;

    @Inject
    AnalyticsRepository repository;

    @Inject
    AnalyticsService analytics;

    @Inject
    AgroalDataSource dataSource;

    /**
     * One computed figure.
     *
     * @param value the metric value, NaN when it cannot be computed (no baseline, no labels)
     * @param count the predictions (labelled ones for label metrics) the value is based on
     * @param windowEnd the newest prediction timestamp of the version, null without predictions
     */
    public record Figure(double value, long count, Instant windowEnd) {
    }

    /** Computes the figure of a rule on a version, at wall-clock time {@code now}. */
    public Figure compute(ModelScope scope, AlertRule rule, Instant now) {
        AlertMetric metric = AlertMetric.of(rule.metric());
        Instant end = newestEventTime(scope.versionId());
        switch (metric) {
            case REVIEW_BACKLOG, OLDEST_OPEN_REVIEW_AGE -> {
                return reviewFigure(scope.versionId(), metric, end, now);
            }
            case REJECTION_RATE -> {
                return rejectionRate(scope, rule, end);
            }
            case NO_DATA -> {
                Instant last = lastIngestedAt(scope.versionId());
                double minutes = last == null ? Double.NaN : Duration.between(last, now).toSeconds() / 60.0;
                return new Figure(minutes, last == null ? 0 : 1, end);
            }
            default -> {
            }
        }
        if (end == null) {
            return new Figure(Double.NaN, 0, null);
        }
        // The window includes the newest prediction: [end - window, end + 1 µs).
        Instant to = end.plusNanos(1_000);
        Instant from = to.minus(rule.windowLength());
        RollupSums sums = repository.total(scope, from, to);
        long count = metric.countsLabelled() ? sums.labelled() : sums.predictions();
        double value = switch (metric) {
            case ECE -> sums.reliability(AnalyticsService.CALIBRATION_BINS).ece();
            case ACCURACY -> sums.reliability(AnalyticsService.CALIBRATION_BINS).accuracy();
            case AUDIT_FAILURE_RATE -> sums.predictions() == 0 ? Double.NaN
                    : (double) sums.auditFailed() / sums.predictions();
            case PSI, JENSEN_SHANNON, CLASS_MIX_PSI, ESTIMATED_ACCURACY -> drift(scope, metric, sums, from, to);
            case CONFIDENCE_CUSUM -> cusum(scope, from, to);
            default -> throw new IllegalStateException("unhandled metric " + metric);
        };
        return new Figure(value, count, end);
    }

    private double drift(ModelScope scope, AlertMetric metric, RollupSums current, Instant from, Instant to) {
        Instant[] baseline = baselineWindow(scope);
        if (baseline == null) {
            return Double.NaN;
        }
        RollupSums before = repository.total(scope, baseline[0], baseline[1]);
        int bins = AnalyticsService.DRIFT_BINS;
        return switch (metric) {
            case PSI -> DistributionDrift.psi(before.confidenceHistogram(bins), current.confidenceHistogram(bins));
            case JENSEN_SHANNON -> DistributionDrift.jensenShannonDistance(before.confidenceHistogram(bins),
                    current.confidenceHistogram(bins));
            case CLASS_MIX_PSI -> ClassMixDrift.compare(repository.classCounts(scope, baseline[0], baseline[1]),
                    repository.classCounts(scope, from, to)).psi();
            case ESTIMATED_ACCURACY -> before.labelled() == 0 ? Double.NaN
                    : PerformanceEstimation.estimateAccuracy(before.reliability(AnalyticsService.CALIBRATION_BINS),
                            current.unlabelledReliability(AnalyticsService.CALIBRATION_BINS));
            default -> throw new IllegalStateException("not a drift metric: " + metric);
        };
    }

    /**
     * Runs a fresh {@link CusumDetector} without restarts over the confidences of the window in
     * event-time order and returns its largest statistic, standardized with the mean and standard
     * deviation of a bounded sample of the baseline window.
     */
    private double cusum(ModelScope scope, Instant from, Instant to) {
        Instant[] baseline = baselineWindow(scope);
        if (baseline == null) {
            return Double.NaN;
        }
        double[] reference = repository.sampleConfidences(scope, baseline[0], baseline[1],
                AnalyticsService.KS_SAMPLE_LIMIT);
        if (reference.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double x : reference) {
            mean += x;
        }
        mean /= reference.length;
        double squares = 0;
        for (double x : reference) {
            squares += (x - mean) * (x - mean);
        }
        double deviation = Math.sqrt(squares / (reference.length - 1));
        if (!(deviation > 0)) {
            return Double.NaN;
        }
        // The detector is given an unreachable threshold so it never restarts within the window.
        CusumDetector detector = new CusumDetector(mean, deviation, CusumDetector.DEFAULT_K, Double.MAX_VALUE,
                CusumDetector.DEFAULT_CLIP);
        double max = 0;
        // NOTE: this is the only metric that reads raw predictions (up to CUSUM_READ_LIMIT per
        // evaluation) instead of rollups. Keep its window short on busy versions.
        String sql = "SELECT confidence FROM prediction WHERE model_version_id = ? AND event_time >= ? "
                + "AND event_time < ? AND confidence IS NOT NULL ORDER BY event_time, id LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, scope.versionId());
            query.setTimestamp(2, Timestamp.from(from));
            query.setTimestamp(3, Timestamp.from(to));
            query.setInt(4, CUSUM_READ_LIMIT);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    detector.add(rs.getDouble(1));
                    max = Math.max(max, detector.statistic());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the confidences of model " + scope.model() + ": "
                    + e.getMessage(), e);
        }
        return max;
    }

    /**
     * Computes {@link AlertMetric#REJECTION_RATE}: rejected / (rejected + accepted) over the UTC
     * hours from the hour of the window start to the hour of its end, both included.
     *
     * <p>NOTE: a record whose timestamp does not parse is counted in the hour it was received. During
     * a backfill of old events such a record moves the window end to the present, where no accepted
     * predictions are, so the rate there is 1 until newer predictions arrive.
     */
    private Figure rejectionRate(ModelScope scope, AlertRule rule, Instant newestPrediction) {
        // Records that send no modelVersion are stored under version "default", so they count there.
        String[] versions = "default".equals(scope.version()) ? new String[] {"default", ""}
                : new String[] {scope.version()};
        String rejectedSql = "SELECT coalesce(sum(rejected), 0) FROM ingest_rejection_hourly "
                + "WHERE model = ? AND model_version = ANY (?) AND hour >= ? AND hour <= ?";
        String acceptedSql = "SELECT coalesce(sum(predictions), 0) FROM analytics_rollup_all "
                + "WHERE model_version_id = ? AND top_class = " + RollupKey.ALL_CLASSES + " AND hour >= ? AND hour <= ?";
        try (Connection connection = dataSource.getConnection()) {
            Instant end = newestPrediction;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT max(hour) FROM ingest_rejection_hourly WHERE model = ? AND model_version = ANY (?)")) {
                query.setString(1, scope.model());
                query.setArray(2, connection.createArrayOf("text", versions));
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    Timestamp newestRejection = rs.getTimestamp(1);
                    if (newestRejection != null && (end == null || newestRejection.toInstant().isAfter(end))) {
                        end = newestRejection.toInstant();
                    }
                }
            }
            if (end == null) {
                return new Figure(Double.NaN, 0, null);
            }

            // The window is [end - window, end], so its hours run from the start's hour to the end's.
            Timestamp firstHour = Timestamp.from(end.plusNanos(1_000).minus(rule.windowLength())
                    .truncatedTo(ChronoUnit.HOURS));
            Timestamp lastHour = Timestamp.from(end.truncatedTo(ChronoUnit.HOURS));
            long rejected;
            try (PreparedStatement query = connection.prepareStatement(rejectedSql)) {
                query.setString(1, scope.model());
                query.setArray(2, connection.createArrayOf("text", versions));
                query.setTimestamp(3, firstHour);
                query.setTimestamp(4, lastHour);
                rejected = singleLong(query);
            }
            long accepted;
            try (PreparedStatement query = connection.prepareStatement(acceptedSql)) {
                query.setLong(1, scope.versionId());
                query.setTimestamp(2, firstHour);
                query.setTimestamp(3, lastHour);
                accepted = singleLong(query);
            }

            long total = rejected + accepted;
            double rate = total == 0 ? Double.NaN : (double) rejected / total;
            return new Figure(rate, total, end);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count the rejected records of model " + scope.model()
                    + " version " + scope.version() + ": " + e.getMessage(), e);
        }
    }

    private static long singleLong(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Instant[] baselineWindow(ModelScope scope) {
        BaselineWindow window = analytics.baseline(scope);
        return window.isDefined() ? new Instant[] {Instant.parse(window.from()), Instant.parse(window.to())} : null;
    }

    private Figure reviewFigure(long versionId, AlertMetric metric, Instant end, Instant now) {
        String sql = "SELECT count(*), min(created_at) FROM review_item WHERE model_version_id = ? "
                + "AND state IN ('open', 'skipped', 'claimed', 'escalated')";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, versionId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                long open = rs.getLong(1);
                Timestamp oldest = rs.getTimestamp(2);
                if (metric == AlertMetric.REVIEW_BACKLOG) {
                    return new Figure(open, open, end);
                }
                double minutes = oldest == null ? 0 : Duration.between(oldest.toInstant(), now).toSeconds() / 60.0;
                return new Figure(minutes, open, end);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count the review items of version " + versionId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Returns the newest event time of a version, from the (model_version_id, event_time) index. */
    Instant newestEventTime(long versionId) {
        return instant("SELECT max(event_time) FROM prediction WHERE model_version_id = ?", versionId);
    }

    // NOTE: this reads the ingestion time of the last day of event time only, so a backfill of
    // older events is not seen as new data by noData.
    private Instant lastIngestedAt(long versionId) {
        return instant("SELECT max(ingested_at) FROM prediction WHERE model_version_id = ? AND event_time >= "
                + "(SELECT max(event_time) FROM prediction WHERE model_version_id = ?) - interval '1 day'", versionId);
    }

    private Instant instant(String sql, long versionId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 1; i <= query.getParameterMetaData().getParameterCount(); i++) {
                query.setLong(i, versionId);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                Timestamp value = rs.getTimestamp(1);
                return value == null ? null : value.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the predictions of version " + versionId + ": "
                    + e.getMessage(), e);
        }
    }
}
