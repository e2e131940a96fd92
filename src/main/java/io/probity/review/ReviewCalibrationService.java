package io.probity.review;

import io.agroal.api.AgroalDataSource;
import io.probity.api.ApiException;
import io.probity.calibration.CalibrationMetrics;
import io.probity.calibration.LabelledPredictions;
import io.probity.calibration.ModelMetrics;
import io.probity.calibration.ReliabilityBin;
import io.probity.db.SqlArrays;
import io.probity.ingest.EffectiveProbabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes calibration figures from review labels with inverse-probability weights.
 *
 * <p>Routing reviews a prediction matched by a rule with probability 1 and any other unlabelled
 * prediction with probability f, the version's sample fraction. Weighting each review label by
 * 1 / that probability ({@code prediction.label_weight}, so 1 or 1/f) makes the weighted figures
 * estimate those of all unlabelled traffic, where labels from rule-matched, low-confidence cases
 * alone would understate accuracy. With f = 0, only rule-matched predictions are covered.
 *
 * <p>NOTE: the estimate assumes every queued item is eventually resolved. Items left open,
 * skipped or escalated are missing from it, and nothing reweights for them.
 */
@ApplicationScoped
public class ReviewCalibrationService {

    /** Text shown with every chart and response of these figures. */
    public static final String WEIGHTING = "Each review label is weighted by 1 / P(sent to review): "
            + "1 for a prediction matched by a routing rule, 1/f for one picked by the random sample of fraction f.";

    @Inject
    AgroalDataSource dataSource;

    /**
     * Computes the weighted figures of a model's review labels.
     *
     * @param version null for all versions, which then must share one class count
     * @throws ApiException 404 for an unknown model, 400 for bad parameters
     */
    public ReviewCalibration compute(String model, String version, int bins) {
        if (bins < 1 || bins > 1000) {
            throw ApiException.badRequest("bins is " + bins + "; send a whole number from 1 to 1000");
        }
        List<double[]> vectors = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        Set<Integer> classCounts = new HashSet<>();
        boolean versionExists = false;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement exists = connection.prepareStatement(
                     "SELECT cardinality(classes) FROM model_version WHERE model = ? AND (?::text IS NULL OR version = ?)");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT p.logits, p.probabilities, p.temperature, p.label, coalesce(p.label_weight, 1) "
                             + "FROM prediction p JOIN model_version v ON v.id = p.model_version_id "
                             + "WHERE p.model = ? AND (?::text IS NULL OR v.version = ?) AND p.label_source = 'review' "
                             + "AND p.label IS NOT NULL")) {
            exists.setString(1, model);
            exists.setString(2, version);
            exists.setString(3, version);
            try (ResultSet rs = exists.executeQuery()) {
                while (rs.next()) {
                    versionExists = true;
                    classCounts.add(rs.getInt(1));
                }
            }
            query.setString(1, model);
            query.setString(2, version);
            query.setString(3, version);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    double[] effective = EffectiveProbabilities.of(SqlArrays.doubles(rs.getArray(1)),
                            SqlArrays.doubles(rs.getArray(2)), rs.getDouble(3));
                    if (effective != null) {
                        vectors.add(effective);
                        labels.add(rs.getInt(4));
                        weights.add(rs.getDouble(5));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read review labels of model " + model + ": " + e.getMessage(), e);
        }
        if (!versionExists) {
            throw ApiException.notFound("No model " + model + (version == null ? "" : " version " + version)
                    + " is stored; list models with GET /api/v1/models");
        }
        if (classCounts.size() > 1) {
            throw ApiException.badRequest("Model " + model + " has versions with different class counts " + classCounts
                    + "; choose one with version=");
        }
        return compute(model, version, vectors, labels, weights, bins);
    }

    static ReviewCalibration compute(String model, String version, List<double[]> vectors, List<Integer> labels,
                                     List<Double> weights, int bins) {
        double weightSum = weights.stream().mapToDouble(Double::doubleValue).sum();
        long sampled = weights.stream().filter(w -> w > 1).count();
        if (vectors.isEmpty()) {
            return new ReviewCalibration(model, version, 0, 0, 0, WEIGHTING, null, null, null, null, null, List.of());
        }
        LabelledPredictions predictions = LabelledPredictions.weighted(vectors.toArray(double[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray());
        List<ModelMetrics.Bin> reliability = new ArrayList<>();
        for (ReliabilityBin bin : CalibrationMetrics.reliabilityDiagram(predictions, bins)) {
            boolean empty = bin.isEmpty();
            reliability.add(new ModelMetrics.Bin(bin.lower(), bin.upper(), bin.count(),
                    empty ? null : bin.accuracy(), empty ? null : bin.meanConfidence(),
                    empty ? null : bin.accuracyInterval().lower(), empty ? null : bin.accuracyInterval().upper()));
        }
        return new ReviewCalibration(model, version, vectors.size(), sampled, weightSum, WEIGHTING,
                finite(CalibrationMetrics.accuracy(predictions)), finite(CalibrationMetrics.meanConfidence(predictions)),
                finite(CalibrationMetrics.ece(predictions, bins)), finite(CalibrationMetrics.brier(predictions)),
                finite(CalibrationMetrics.nll(predictions)), reliability);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
