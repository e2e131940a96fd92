package io.probity.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.db.SqlArrays;
import io.probity.db.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which freshly stored predictions enter the review queue and inserts their items,
 * inside the ingestion transaction.
 *
 * <p>Each version routes with its newest stored rule set (the built-in default when it has
 * none), read in the same transaction, so a rule change applies to every request that starts
 * after it commits. A prediction matched by any rule is queued with inclusion probability 1 and
 * the rule of highest priority (the first listed on ties). One matched by no rule is queued when
 * {@link ReviewSample} puts it in the version's sample, with inclusion probability equal to the
 * sample fraction. Calibration figures from review labels weigh each one by 1 / that probability.
 */
@ApplicationScoped
public class ReviewRouter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A rule set prepared for routing: rules with class names resolved to indexes. */
    record ActiveRules(int revision, List<ReviewRule> rules, int[] classIndexes, double sampleFraction) {
    }

    /** The decision for one prediction, or null from {@link #decide} when it is not queued. */
    public record Decision(String rule, int priority, double inclusionProbability) {
    }

    /** Queues the candidates that the rules or the sample select; returns how many were queued. */
    public int queue(Connection connection, List<RoutingCandidate> candidates) throws SQLException {
        if (candidates.isEmpty()) {
            return 0;
        }
        Map<Long, ActiveRules> rulesByVersion = loadRules(connection, candidates);

        List<Long> predictionPks = new ArrayList<>();
        List<Long> eventMicros = new ArrayList<>();
        List<Long> versionIds = new ArrayList<>();
        List<String> ruleNames = new ArrayList<>();
        List<Integer> revisions = new ArrayList<>();
        List<Integer> priorities = new ArrayList<>();
        List<Double> probabilities = new ArrayList<>();
        for (RoutingCandidate candidate : candidates) {
            ActiveRules rules = rulesByVersion.get(candidate.modelVersionId());
            Decision decision = decide(candidate, rules);
            if (decision != null) {
                predictionPks.add(candidate.predictionPk());
                eventMicros.add(candidate.eventMicros());
                versionIds.add(candidate.modelVersionId());
                ruleNames.add(decision.rule());
                revisions.add(rules.revision() == 0 ? null : rules.revision());
                priorities.add(decision.priority());
                probabilities.add(decision.inclusionProbability());
            }
        }
        if (predictionPks.isEmpty()) {
            return 0;
        }

        // The "queued" history entry is not stored: ReviewQueries.history derives it from the item row,
        // which saves a row, three index entries and a foreign-key check per queued prediction.
        // Event times go as microsecond counts, so the item stores exactly the microseconds of the row.
        String sql = "INSERT INTO review_item (prediction_pk, prediction_event_time, model_version_id, rule, "
                + "rule_set_revision, priority, inclusion_probability) "
                + "SELECT pk, " + SqlTimes.fromEpochMicros("t") + ", v, r, rev, pri, prob "
                + "FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::int[], ?::float8[]) "
                + "AS u (pk, t, v, r, rev, pri, prob)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setArray(1, connection.createArrayOf("bigint", predictionPks.toArray()));
            insert.setArray(2, connection.createArrayOf("bigint", eventMicros.toArray()));
            insert.setArray(3, connection.createArrayOf("bigint", versionIds.toArray()));
            insert.setArray(4, connection.createArrayOf("text", ruleNames.toArray()));
            insert.setArray(5, connection.createArrayOf("integer", revisions.toArray()));
            insert.setArray(6, connection.createArrayOf("integer", priorities.toArray()));
            insert.setArray(7, connection.createArrayOf("float8", probabilities.toArray()));
            insert.executeUpdate();
        }
        return predictionPks.size();
    }

    /** Decides whether one candidate is queued, by which rule and with what probability. */
    static Decision decide(RoutingCandidate candidate, ActiveRules rules) {
        if (candidate.labelled()) {
            return null;
        }
        ReviewRule matched = null;
        for (int i = 0; i < rules.rules().size(); i++) {
            ReviewRule rule = rules.rules().get(i);
            if (matches(rule, rules.classIndexes()[i], candidate) && (matched == null || rule.priority() > matched.priority())) {
                matched = rule;
            }
        }
        if (matched != null) {
            return new Decision(matched.type(), matched.priority(), 1.0);
        }
        if (ReviewSample.isSampled(candidate.model(), candidate.predictionId(), rules.sampleFraction())) {
            return new Decision(RuleType.SAMPLE, RuleType.SAMPLE_PRIORITY, rules.sampleFraction());
        }
        return null;
    }

    private static boolean matches(ReviewRule rule, int classIndex, RoutingCandidate candidate) {
        double threshold = rule.threshold() == null ? Double.NaN : rule.threshold();
        return switch (rule.ruleType()) {
            case CONFIDENCE_BELOW -> candidate.confidence() < threshold;
            case MARGIN_BELOW -> candidate.margin() < threshold;
            case ENTROPY_ABOVE -> candidate.normalisedEntropy() > threshold;
            case AUDIT_FAILED -> candidate.auditFailed();
            case CLASS_PROBABILITY_ABOVE -> classProbability(candidate, classIndex) > threshold;
        };
    }

    private static double classProbability(RoutingCandidate candidate, int classIndex) {
        double[] effective = candidate.effectiveProbabilities();
        return effective == null || classIndex < 0 || classIndex >= effective.length ? Double.NaN : effective[classIndex];
    }

    private static Map<Long, ActiveRules> loadRules(Connection connection, List<RoutingCandidate> candidates)
            throws SQLException {
        Long[] versionIds = candidates.stream().map(RoutingCandidate::modelVersionId).distinct().toArray(Long[]::new);
        Map<Long, ActiveRules> result = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT DISTINCT ON (s.model_version_id) s.model_version_id, s.revision, s.rules, s.sample_fraction, "
                        + "v.classes FROM review_rule_set s JOIN model_version v ON v.id = s.model_version_id "
                        + "WHERE s.model_version_id = ANY (?) ORDER BY s.model_version_id, s.revision DESC")) {
            query.setArray(1, connection.createArrayOf("bigint", versionIds));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    List<ReviewRule> rules = readRules(rs.getString(3));
                    result.put(rs.getLong(1), prepare(rs.getInt(2), rules, rs.getDouble(4),
                            SqlArrays.strings(rs.getArray(5))));
                }
            }
        }
        for (Long versionId : versionIds) {
            result.computeIfAbsent(versionId, id -> prepare(0, ReviewRuleSet.DEFAULT_RULES, 0, List.of()));
        }
        return result;
    }

    static ActiveRules prepare(int revision, List<ReviewRule> rules, double sampleFraction, List<String> classes) {
        int[] classIndexes = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            classIndexes[i] = rules.get(i).className() == null ? -1 : classes.indexOf(rules.get(i).className());
        }
        return new ActiveRules(revision, rules, classIndexes, sampleFraction);
    }

    /** Reads the stored JSON array of rules. */
    static List<ReviewRule> readRules(String json) {
        try {
            return List.of(JSON.readValue(json, ReviewRule[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored review rules are not valid JSON: " + e.getMessage(), e);
        }
    }
}
