package io.probity.analytics;

import io.probity.api.ApiException;
import io.probity.calibration.CalibrationMetrics;
import io.probity.calibration.LabelledPredictions;
import io.probity.calibration.ModelMetrics;
import io.probity.calibration.ReliabilityAccumulator;
import io.probity.calibration.TemperatureScaling;
import io.probity.drift.CalibrationChange;
import io.probity.drift.ClassMixDrift;
import io.probity.drift.DistributionDrift;
import io.probity.drift.PerformanceEstimation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Baseline windows, drift, time series and temperature advice of one model version.
 *
 * <p>Without a {@code version} these cover the most recently registered version of the model,
 * because baselines and drift belong to one version. Without a window they cover the last
 * {@link #DEFAULT_WINDOW} of the version's data. Every figure except the Kolmogorov-Smirnov test
 * and the temperature fit comes from the hourly rollups; those two read bounded samples of raw
 * predictions ({@link #KS_SAMPLE_LIMIT}, {@link #TEMPERATURE_SAMPLE_LIMIT}).
 */
@ApplicationScoped
public class AnalyticsService {

    /** The current window when a request names none: this long, ending with the last data hour. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    /** The number of equal-width bins of the drift histograms (PSI, Jensen-Shannon). */
    public static final int DRIFT_BINS = 10;
    /** The number of equal-width reliability bins of ECE and the accuracy estimate. */
    public static final int CALIBRATION_BINS = 15;
    /** The maximum number of confidences per window that the Kolmogorov-Smirnov test reads. */
    public static final int KS_SAMPLE_LIMIT = 2_000;
    /** The maximum number of labelled predictions that the temperature fit reads. */
    public static final int TEMPERATURE_SAMPLE_LIMIT = 20_000;
    /** The metric names that {@link #timeSeries} accepts. */
    public static final List<String> METRICS = List.of("count", "labelledCount", "accuracy", "meanConfidence", "ece",
            "psi", "estimatedAccuracy", "auditFailureRate");
    /** The spelling of {@code labelledCount} that the metrics and models endpoints use, accepted too. */
    static final String LABELED_COUNT = "labeledCount";
    /** The maximum number of points of a time series. */
    public static final int MAX_POINTS = 24 * 92;

    @Inject
    AnalyticsRepository repository;

    /** Resolves the version a request covers; see {@link AnalyticsRepository#scope}. */
    public ModelScope scope(String model, String version) {
        return repository.scope(model, version, true);
    }

    /** Returns the baseline window of a version, stored or default. */
    public BaselineWindow baseline(ModelScope scope) {
        Object[] stored = repository.storedBaseline(scope.versionId());
        if (stored != null) {
            return new BaselineWindow(scope.model(), scope.version(), stored[0].toString(), stored[1].toString(),
                    "stored", (String) stored[2], stored[3].toString());
        }
        Instant[] range = repository.dataRange(scope);
        if (range == null) {
            return new BaselineWindow(scope.model(), scope.version(), null, null, "none", null, null);
        }
        Instant to = range[0].plus(BaselineWindow.DEFAULT_DAYS, ChronoUnit.DAYS);
        return new BaselineWindow(scope.model(), scope.version(), range[0].toString(), to.toString(), "default",
                null, null);
    }

    /**
     * Stores the baseline window of a version.
     *
     * @throws ApiException 400 when a bound is missing or {@code from} is not before {@code to}
     */
    public BaselineWindow setBaseline(ModelScope scope, Instant from, Instant to, String user) {
        if (from == null || to == null) {
            throw ApiException.badRequest("the baseline needs both from and to; send for example "
                    + "{\"from\":\"2026-06-01T00:00:00Z\",\"to\":\"2026-06-08T00:00:00Z\"}");
        }
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("baseline from (" + from + ") is not before to (" + to
                    + "); send a non-empty window");
        }
        repository.storeBaseline(scope.versionId(), from, to, user);
        return baseline(scope);
    }

    /**
     * Returns the current window {@code [from, to)}: the given bounds, or the last
     * {@link #DEFAULT_WINDOW} of data for a missing one; null when a bound is missing and there is
     * no data.
     */
    public Instant[] currentWindow(ModelScope scope, Instant from, Instant to) {
        if (from != null && to != null) {
            requireOrder("from", from, "to", to);
            return new Instant[] {from, to};
        }
        Instant[] range = repository.dataRange(scope);
        if (range == null && to == null) {
            return null;
        }
        Instant end = to != null ? to : range[1];
        Instant start = from != null ? from : end.minus(DEFAULT_WINDOW);
        requireOrder("from", start, "to", end);
        return new Instant[] {start, end};
    }

    /**
     * Returns the window of a preset range, ending with the last hour of the version's data:
     * {@code hour}, {@code day} or {@code week}; null for {@code all} or when there is no data.
     *
     * @throws ApiException 400 for an unknown preset
     */
    public Instant[] presetWindow(ModelScope scope, String preset) {
        Duration length = switch (preset) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            case "all" -> null;
            default -> throw ApiException.badRequest("range \"" + preset + "\" is not supported; send hour, day, "
                    + "week or all");
        };
        Instant[] range = repository.dataRange(scope);
        if (length == null || range == null) {
            return null;
        }
        return new Instant[] {range[1].minus(length), range[1]};
    }

    /** Compares a current window with a baseline window; see {@link DriftReport}. */
    public DriftReport drift(ModelScope scope, Instant baselineFrom, Instant baselineTo, Instant from, Instant to) {
        Instant[] baseline = baselineWindow(scope, baselineFrom, baselineTo);
        Instant[] current = currentWindow(scope, from, to);
        if (baseline == null || current == null) {
            return new DriftReport(scope.model(), scope.version(), null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
        }
        WindowSums before = windowSums(scope, baseline[0], baseline[1]);
        WindowSums now = windowSums(scope, current[0], current[1]);

        Double psi = nullable(DistributionDrift.psi(before.total().confidenceHistogram(DRIFT_BINS),
                now.total().confidenceHistogram(DRIFT_BINS)));
        Double jensenShannon = nullable(DistributionDrift.jensenShannonDistance(
                before.total().confidenceHistogram(DRIFT_BINS), now.total().confidenceHistogram(DRIFT_BINS)));
        Double marginPsi = nullable(DistributionDrift.psi(before.total().marginHistogram(DRIFT_BINS),
                now.total().marginHistogram(DRIFT_BINS)));
        Double entropyPsi = nullable(DistributionDrift.psi(before.total().entropyHistogram(DRIFT_BINS),
                now.total().entropyHistogram(DRIFT_BINS)));

        double[] baselineSample = repository.sampleConfidences(scope, baseline[0], baseline[1], KS_SAMPLE_LIMIT);
        double[] currentSample = repository.sampleConfidences(scope, current[0], current[1], KS_SAMPLE_LIMIT);
        DistributionDrift.KolmogorovSmirnov test = DistributionDrift.kolmogorovSmirnov(baselineSample, currentSample);
        DriftReport.Ks ks = new DriftReport.Ks(nullable(test.statistic()), nullable(test.pValue()),
                baselineSample.length, currentSample.length, KS_SAMPLE_LIMIT);

        ClassMixDrift mix = ClassMixDrift.compare(before.classCounts(), now.classCounts());
        DriftReport.ClassMix classMix = new DriftReport.ClassMix(nullable(mix.chiSquare()), mix.degreesOfFreedom(),
                nullable(mix.pValue()), before.classCounts(), now.classCounts());

        ReliabilityAccumulator baselineReliability = before.total().reliability(CALIBRATION_BINS);
        CalibrationChange change = CalibrationChange.between(baselineReliability,
                now.total().reliability(CALIBRATION_BINS));
        Double estimated = nullable(estimateAccuracy(baselineReliability, now.total));

        return new DriftReport(scope.model(), scope.version(),
                new DriftReport.Window(baseline[0].toString(), baseline[1].toString(), before.total().predictions(),
                        before.total().labelled()),
                new DriftReport.Window(current[0].toString(), current[1].toString(), now.total().predictions(),
                        now.total().labelled()),
                psi, jensenShannon, ks, marginPsi, entropyPsi, nullable(mix.psi()), classMix,
                nullable(change.baselineEce()), nullable(change.currentEce()), nullable(change.eceChange()),
                nullable(change.baselineAccuracy()), nullable(change.currentAccuracy()),
                nullable(change.accuracyChange()), estimated, DriftReport.status(psi));
    }

    /**
     * Computes metrics per UTC hour or day of a window.
     *
     * @param metrics names from {@link #METRICS}
     * @param interval {@code hour} or {@code day}
     * @throws ApiException 400 for an unknown metric or interval, or a window of too many points
     */
    public TimeSeries timeSeries(ModelScope scope, List<String> metrics, String interval, Instant from, Instant to) {
        if (metrics.isEmpty()) {
            throw ApiException.badRequest("metric is missing; send one or more of " + METRICS
                    + ", separated by commas");
        }
        for (String metric : metrics) {
            if (!METRICS.contains(metric) && !LABELED_COUNT.equals(metric)) {
                throw ApiException.badRequest("metric \"" + metric + "\" is not supported; send one or more of "
                        + METRICS + ", separated by commas");
            }
        }
        ChronoUnit unit = switch (interval) {
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> throw ApiException.badRequest("interval \"" + interval + "\" is not supported; send hour or day");
        };
        BaselineWindow baselineWindow = baseline(scope);
        Instant[] window = currentWindow(scope, from, to);
        if (window == null) {
            return new TimeSeries(scope.model(), scope.version(), interval, null, null, metrics, baselineWindow,
                    Map.of(), List.of());
        }
        long points = Duration.between(window[0], window[1]).dividedBy(unit.getDuration()) + 1;
        if (points > MAX_POINTS) {
            throw ApiException.badRequest("the window from " + window[0] + " to " + window[1] + " has " + points
                    + " " + interval + "s, more than " + MAX_POINTS + "; send a shorter window or interval=day");
        }

        RollupSums baselineSums = baselineWindow.isDefined()
                ? repository.total(scope, Instant.parse(baselineWindow.from()), Instant.parse(baselineWindow.to()))
                : new RollupSums();
        Map<Instant, RollupSums> buckets = new TreeMap<>();
        for (RollupStore.Row row : repository.window(scope, window[0], window[1], RollupKey.ALL_CLASSES)) {
            buckets.computeIfAbsent(row.key().hour().truncatedTo(unit), k -> new RollupSums()).merge(row.sums());
        }
        List<TimeSeries.Point> series = new ArrayList<>(buckets.size());
        buckets.forEach((start, sums) -> series.add(new TimeSeries.Point(start.toString(), sums.predictions(),
                sums.labelled(), values(metrics, sums, baselineSums))));
        Map<String, Double> baselineValues = baselineWindow.isDefined()
                ? values(metrics, baselineSums, baselineSums) : Map.of();
        return new TimeSeries(scope.model(), scope.version(), interval, window[0].toString(), window[1].toString(),
                metrics, baselineWindow, baselineValues, series);
    }

    /**
     * Fits temperature scaling on the labelled predictions of a window (at most
     * {@link #TEMPERATURE_SAMPLE_LIMIT}, spread over its hours) that have finite logits. Each
     * prediction's logits are divided by its served temperature first, so the fitted value
     * multiplies the served temperature.
     */
    public TemperatureAdvice temperature(ModelScope scope, Instant from, Instant to) {
        Instant[] window = currentWindow(scope, from, to);
        if (window == null) {
            return new TemperatureAdvice(scope.model(), scope.version(), null, null, 0, TEMPERATURE_SAMPLE_LIMIT,
                    null, null, null, null, null, null, null);
        }
        List<double[]> logits = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        // NOTE: predictions sent with probabilities only have no logits and are left out of the fit.
        for (AnalyticsRepository.RawPrediction row : repository.sample(scope, window[0], window[1], null, true,
                TEMPERATURE_SAMPLE_LIMIT)) {
            if (row.logits() == null || !allFinite(row.logits())) {
                continue;
            }
            double[] scaled = new double[row.logits().length];
            for (int k = 0; k < scaled.length; k++) {
                scaled[k] = row.logits()[k] / row.temperature();
            }
            logits.add(scaled);
            labels.add(row.label());
        }
        if (logits.isEmpty()) {
            return new TemperatureAdvice(scope.model(), scope.version(), window[0].toString(), window[1].toString(), 0,
                    TEMPERATURE_SAMPLE_LIMIT, null, null, null, null, null, null, null);
        }
        double[][] logitArray = logits.toArray(double[][]::new);
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        TemperatureScaling.Result fit = TemperatureScaling.fit(logitArray, labelArray, CALIBRATION_BINS);
        LabelledPredictions before = LabelledPredictions.fromLogits(logitArray, labelArray);
        return new TemperatureAdvice(scope.model(), scope.version(), window[0].toString(), window[1].toString(),
                logits.size(), TEMPERATURE_SAMPLE_LIMIT, fit.temperature(), fit.eceBefore(), fit.eceAfter(),
                fit.nllBefore(), fit.nllAfter(),
                CalibrationMetrics.reliabilityDiagram(before, CALIBRATION_BINS).stream().map(ModelMetrics.Bin::of)
                        .toList(),
                fit.reliabilityAfter().stream().map(ModelMetrics.Bin::of).toList());
    }

    private Instant[] baselineWindow(ModelScope scope, Instant from, Instant to) {
        if ((from == null) != (to == null)) {
            throw ApiException.badRequest("send both baselineFrom and baselineTo, or neither for the stored "
                    + "baseline of the version");
        }
        if (from != null) {
            requireOrder("baselineFrom", from, "baselineTo", to);
            return new Instant[] {from, to};
        }
        BaselineWindow stored = baseline(scope);
        return stored.isDefined() ? new Instant[] {Instant.parse(stored.from()), Instant.parse(stored.to())} : null;
    }

    private WindowSums windowSums(ModelScope scope, Instant from, Instant to) {
        return new WindowSums(repository.total(scope, from, to), repository.classCounts(scope, from, to));
    }

    private static Map<String, Double> values(List<String> metrics, RollupSums sums, RollupSums baseline) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String metric : metrics) {
            double value = switch (metric) {
                case "count" -> sums.predictions();
                case "labelledCount", LABELED_COUNT -> sums.labelled();
                case "accuracy" -> sums.reliability(CALIBRATION_BINS).accuracy();
                case "meanConfidence" -> sums.meanConfidence();
                case "ece" -> sums.reliability(CALIBRATION_BINS).ece();
                case "psi" -> DistributionDrift.psi(baseline.confidenceHistogram(DRIFT_BINS),
                        sums.confidenceHistogram(DRIFT_BINS));
                case "estimatedAccuracy" -> estimateAccuracy(baseline.reliability(CALIBRATION_BINS), sums);
                case "auditFailureRate" -> sums.predictions() == 0 ? Double.NaN
                        : (double) sums.auditFailed() / sums.predictions();
                default -> throw new IllegalArgumentException("unknown metric " + metric);
            };
            values.put(metric, nullable(value));
        }
        return values;
    }

    /** Estimates accuracy from confidences alone; NaN without a labelled baseline or current predictions. */
    private static double estimateAccuracy(ReliabilityAccumulator baseline, RollupSums current) {
        if (baseline.count() == 0) {
            return Double.NaN;
        }
        return PerformanceEstimation.estimateAccuracy(baseline, current.unlabelledReliability(CALIBRATION_BINS));
    }

    private static void requireOrder(String fromName, Instant from, String toName, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest(fromName + " (" + from + ") is not before " + toName + " (" + to
                    + "); send a non-empty window");
        }
    }

    private static boolean allFinite(double[] values) {
        for (double value : values) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The sums of a window and its predicted-class counts (predictions with a vector only). */
    private record WindowSums(RollupSums total, long[] classCounts) {
    }
}
