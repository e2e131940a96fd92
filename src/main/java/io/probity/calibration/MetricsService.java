package io.probity.calibration;

import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.db.SqlArrays;
import io.probity.drift.Histogram;
import io.probity.ingest.EffectiveProbabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes confidence and calibration figures of a model (optionally one version) for an
 * event-time window, from the stored predictions.
 *
 * <p>Probabilities are the effective vectors (softmax of the logits at the declared temperature
 * when finite, else the reported vector), recomputed here exactly as at ingestion.
 */
@ApplicationScoped
public class MetricsService {

    /** Default number of reliability bins. */
    public static final int DEFAULT_BINS = 15;
    /** Default number of confidence histogram bins. */
    public static final int DEFAULT_HISTOGRAM_BINS = 10;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Computes the metrics of a window.
     *
     * @param version null for all versions, which then must share one class count
     * @param from    inclusive start, or null
     * @param to      exclusive end, or null
     * @throws ApiException 404 for an unknown model, 400 for bad parameters
     */
    // TODO: scans raw rows of the window; ten million predictions need the pre-aggregated rollups.
    public ModelMetrics compute(String model, String version, Instant from, Instant to, int bins, int histogramBins) {
        if (bins < 1 || bins > 1000) {
            throw ApiException.badRequest("bins is " + bins + "; send a whole number from 1 to 1000");
        }
        if (histogramBins < 1 || histogramBins > 1000) {
            throw ApiException.badRequest("histogramBins is " + histogramBins + "; send a whole number from 1 to 1000");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("from (" + from + ") is not before to (" + to + "); send a non-empty window");
        }

        Window window = load(model, version, from, to);

        Histogram histogram = Histogram.of(window.confidences(), histogramBins);
        double meanConfidence = mean(window.confidences());
        long labeled = window.labels.size();
        String fromText = from == null ? null : from.toString();
        String toText = to == null ? null : to.toString();
        if (labeled == 0) {
            return new ModelMetrics(model, version, fromText, toText, window.count, 0, window.auditFailed, null,
                    nullable(meanConfidence), null, null, null, null, List.of(), histogram.counts());
        }

        LabelledPredictions predictions = LabelledPredictions.of(window.vectors.toArray(double[][]::new),
                window.labels.stream().mapToInt(Integer::intValue).toArray());
        List<ModelMetrics.Bin> reliability = new ArrayList<>();
        for (ReliabilityBin bin : CalibrationMetrics.reliabilityDiagram(predictions, bins)) {
            boolean empty = bin.count() == 0;
            reliability.add(new ModelMetrics.Bin(bin.lower(), bin.upper(), bin.count(),
                    empty ? null : bin.accuracy(), empty ? null : bin.meanConfidence(),
                    empty ? null : bin.accuracyInterval().lower(), empty ? null : bin.accuracyInterval().upper()));
        }
        return new ModelMetrics(model, version, fromText, toText, window.count, labeled, window.auditFailed,
                CalibrationMetrics.accuracy(predictions), nullable(meanConfidence),
                CalibrationMetrics.ece(predictions, bins), CalibrationMetrics.mce(predictions, bins),
                CalibrationMetrics.brier(predictions), CalibrationMetrics.nll(predictions), reliability,
                histogram.counts());
    }

    /** Returns one overview row per model, over all of its data. */
    public List<ModelOverview> overview(List<io.probity.model.ModelSummary> models) {
        List<ModelOverview> rows = new ArrayList<>();
        for (io.probity.model.ModelSummary model : models) {
            String version = null;
            Set<Integer> classCounts = new HashSet<>();
            model.versions().forEach(v -> classCounts.add(v.classes().size()));
            if (classCounts.size() > 1) {
                version = model.versions().get(model.versions().size() - 1).version();
            }
            ModelMetrics metrics = compute(model.model(), version, null, null, DEFAULT_BINS, DEFAULT_HISTOGRAM_BINS);
            double failureRate = metrics.count() == 0 ? 0 : (double) metrics.auditFailed() / metrics.count();
            rows.add(new ModelOverview(model.model(), model.versions().size(), metrics.count(),
                    metrics.labeledCount(), metrics.accuracy(), metrics.meanConfidence(), metrics.ece(), failureRate));
        }
        return rows;
    }

    private Window load(String model, String version, Instant from, Instant to) {
        String sql = "SELECT p.logits, p.probabilities, p.temperature, p.label, p.confidence, p.verdict, "
                + "cardinality(v.classes) FROM prediction p JOIN model_version v ON v.id = p.model_version_id "
                + "WHERE p.model = ? AND (?::text IS NULL OR v.version = ?) "
                + "AND (?::timestamptz IS NULL OR p.event_time >= ?) AND (?::timestamptz IS NULL OR p.event_time < ?)";
        Window window = new Window();
        Set<Integer> classCounts = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, model);
            query.setString(2, version);
            query.setString(3, version);
            Timestamp fromTs = from == null ? null : Timestamp.from(from);
            Timestamp toTs = to == null ? null : Timestamp.from(to);
            query.setTimestamp(4, fromTs);
            query.setTimestamp(5, fromTs);
            query.setTimestamp(6, toTs);
            query.setTimestamp(7, toTs);
            query.setFetchSize(5000);
            connection.setAutoCommit(false);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    window.add(rs);
                    classCounts.add(rs.getInt(7));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read predictions of model " + model + ": " + e.getMessage(), e);
        }
        if (window.count == 0 && !modelExists(model, version)) {
            throw ApiException.notFound("No model " + model + (version == null ? "" : " version " + version)
                    + " is stored; list models with GET /api/v1/models");
        }
        if (classCounts.size() > 1) {
            throw ApiException.badRequest("Model " + model + " has versions with different class counts " + classCounts
                    + "; choose one with version=");
        }
        return window;
    }

    private boolean modelExists(String model, String version) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM model_version WHERE model = ? AND (?::text IS NULL OR version = ?)")) {
            query.setString(1, model);
            query.setString(2, version);
            query.setString(3, version);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to look up model " + model, e);
        }
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** Rows of one window: every confidence, and the vectors and labels of labelled rows. */
    private static final class Window {
        long count;
        long auditFailed;
        private double[] confidences = new double[1024];
        private int confidenceCount;
        final List<double[]> vectors = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();

        void add(ResultSet rs) throws SQLException {
            count++;
            if ("fail".equals(rs.getString(6))) {
                auditFailed++;
            }
            double confidence = rs.getDouble(5);
            if (!rs.wasNull()) {
                if (confidenceCount == confidences.length) {
                    confidences = java.util.Arrays.copyOf(confidences, confidenceCount * 2);
                }
                confidences[confidenceCount++] = confidence;
            }
            int label = rs.getInt(4);
            if (rs.wasNull()) {
                return;
            }
            double[] effective = EffectiveProbabilities.of(SqlArrays.doubles(rs.getArray(1)),
                    SqlArrays.doubles(rs.getArray(2)), rs.getDouble(3));
            if (effective != null) {
                vectors.add(effective);
                labels.add(label);
            }
        }

        double[] confidences() {
            return java.util.Arrays.copyOf(confidences, confidenceCount);
        }
    }
}
