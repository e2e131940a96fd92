package io.probity.calibration;

import io.probity.analytics.AnalyticsRepository;
import io.probity.analytics.ModelScope;
import io.probity.analytics.RollupKey;
import io.probity.analytics.RollupStore;
import io.probity.analytics.RollupSums;
import io.probity.api.ApiException;
import io.probity.ingest.EffectiveProbabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes confidence and calibration figures of a model (optionally one version and one
 * predicted class) for an event-time window.
 *
 * <p>Counts, histograms and the equal-width calibration figures come from the hourly rollups
 * ({@link RollupStore#window}), which equal the figures over the raw rows. Equal-mass bins, the
 * classwise ECE and the bootstrap interval need single predictions, so they read a sample of at
 * most {@link #SAMPLE_LIMIT} labelled predictions spread over the window's hours.
 */
@ApplicationScoped
public class MetricsService {

    /** Default number of reliability bins. */
    public static final int DEFAULT_BINS = 15;
    /** Default number of confidence histogram bins. */
    public static final int DEFAULT_HISTOGRAM_BINS = 10;
    /** The maximum number of labelled predictions read for the statistics that need raw rows. */
    public static final int SAMPLE_LIMIT = 20_000;
    /** The maximum number of bootstrap resamples per request. */
    public static final int MAX_BOOTSTRAP = 1000;
    /** The seed of the bootstrap, fixed so that equal requests give equal intervals. */
    private static final long BOOTSTRAP_SEED = 20260601L;

    @Inject
    AnalyticsRepository repository;

    /**
     * The parameters of one metrics request.
     *
     * @param version null for all versions, which then must share one class list
     * @param from inclusive start, or null
     * @param to exclusive end, or null
     * @param binning {@code width} or {@code mass}
     * @param className a predicted class to restrict the figures to, or null
     * @param bootstrap the number of bootstrap resamples for the ECE interval, 0 for none
     * @param perClass whether to add histograms per predicted class, which reads one rollup row per
     *     class and hour instead of one per hour
     */
    public record Request(String model, String version, Instant from, Instant to, int bins, int histogramBins,
                          String binning, String className, boolean classwise, int bootstrap, boolean perClass) {
    }

    /** Computes the equal-width figures of a window, as {@link #compute(Request)} with defaults. */
    public ModelMetrics compute(String model, String version, Instant from, Instant to, int bins, int histogramBins) {
        return compute(new Request(model, version, from, to, bins, histogramBins, "width", null, false, 0, false));
    }

    /**
     * Computes the metrics of a window.
     *
     * @throws ApiException 404 for an unknown model or version, 400 for bad parameters
     */
    public ModelMetrics compute(Request request) {
        validate(request);
        ModelScope scope = repository.scope(request.model(), request.version(), false);
        Integer classIndex = classIndex(scope, request.className());

        // Hourly totals are one row per hour; per-class rows are needed only for a class breakdown.
        Integer rowClass = classIndex != null ? classIndex : request.perClass() ? null : (Integer) RollupKey.ALL_CLASSES;
        Map<Integer, RollupSums> byClass = new TreeMap<>();
        RollupSums total = new RollupSums();
        for (RollupStore.Row row : repository.window(scope, request.from(), request.to(), rowClass)) {
            byClass.computeIfAbsent(row.key().topClass(), k -> new RollupSums()).merge(row.sums());
            total.merge(row.sums());
        }

        int histogramBins = request.histogramBins();
        List<ModelMetrics.ClassHistograms> perClass = rowClass != null && rowClass == RollupKey.ALL_CLASSES
                ? null : new ArrayList<>();
        byClass.forEach((k, sums) -> {
            if (k >= 0 && perClass != null) {
                perClass.add(new ModelMetrics.ClassHistograms(scope.classes().get(k), sums.predictions(),
                        sums.confidenceHistogram(histogramBins).counts(), sums.marginHistogram(histogramBins).counts(),
                        sums.entropyHistogram(histogramBins).counts()));
            }
        });

        String fromText = request.from() == null ? null : request.from().toString();
        String toText = request.to() == null ? null : request.to().toString();
        long labelled = total.labelled();
        Double meanConfidence = nullable(total.meanConfidence());
        long[] confidenceHistogram = total.confidenceHistogram(histogramBins).counts();
        long[] marginHistogram = total.marginHistogram(histogramBins).counts();
        long[] entropyHistogram = total.entropyHistogram(histogramBins).counts();
        if (labelled == 0) {
            return new ModelMetrics(request.model(), request.version(), fromText, toText, total.predictions(), 0,
                    total.auditFailed(), null, meanConfidence, null, null, null, null, List.of(), confidenceHistogram,
                    request.binning(), request.className(), null, null, null, marginHistogram, entropyHistogram,
                    perClass, null, null);
        }

        ReliabilityAccumulator widthSums = total.reliability("width".equals(request.binning()) ? request.bins()
                : DEFAULT_BINS);
        Double ece = nullable(widthSums.ece());
        Double mce = nullable(widthSums.mce());
        List<ReliabilityBin> diagram = widthSums.reliabilityDiagram();
        Double eceLower = null;
        Double eceUpper = null;
        Double classwiseEce = null;
        Integer sampleSize = null;
        Integer sampleLimit = null;
        if ("mass".equals(request.binning()) || request.classwise() || request.bootstrap() > 0) {
            LabelledPredictions sample = labelledSample(scope, request, classIndex);
            sampleSize = sample.size();
            sampleLimit = SAMPLE_LIMIT;
            if (sample.size() > 0) {
                if ("mass".equals(request.binning())) {
                    diagram = CalibrationMetrics.adaptiveReliabilityDiagram(sample, request.bins());
                    ece = nullable(CalibrationMetrics.adaptiveEce(sample, request.bins()));
                    mce = maxGap(diagram);
                }
                if (request.classwise()) {
                    classwiseEce = nullable(CalibrationMetrics.classwiseEce(sample, request.bins()));
                }
                if (request.bootstrap() > 0) {
                    Interval interval = CalibrationMetrics.bootstrapEceInterval(sample, request.bins(),
                            request.bootstrap(), BOOTSTRAP_SEED);
                    eceLower = nullable(interval.lower());
                    eceUpper = nullable(interval.upper());
                }
            }
        }

        List<ModelMetrics.Bin> reliability = diagram.stream().map(ModelMetrics.Bin::of).toList();
        return new ModelMetrics(request.model(), request.version(), fromText, toText, total.predictions(), labelled,
                total.auditFailed(), nullable(widthSums.accuracy()), meanConfidence, ece, mce,
                nullable(widthSums.brier()), nullable(widthSums.nll()), reliability, confidenceHistogram,
                request.binning(), request.className(), eceLower, eceUpper, classwiseEce, marginHistogram,
                entropyHistogram, perClass, sampleSize, sampleLimit);
    }

    /** Returns one overview row per model, over all of its data. */
    public List<ModelOverview> overview(List<io.probity.model.ModelSummary> models) {
        List<ModelOverview> rows = new ArrayList<>();
        for (io.probity.model.ModelSummary model : models) {
            String version = null;
            if (model.versions().stream().map(v -> v.classes()).distinct().count() > 1) {
                version = model.versions().get(model.versions().size() - 1).version();
            }
            ModelMetrics metrics = compute(model.model(), version, null, null, DEFAULT_BINS, DEFAULT_HISTOGRAM_BINS);
            double failureRate = metrics.count() == 0 ? 0 : (double) metrics.auditFailed() / metrics.count();
            rows.add(new ModelOverview(model.model(), model.versions().size(), metrics.count(),
                    metrics.labeledCount(), metrics.accuracy(), metrics.meanConfidence(), metrics.ece(), failureRate));
        }
        return rows;
    }

    /** Returns the index of a class name in the scope's class list, null for no filter. */
    public static Integer classIndex(ModelScope scope, String className) {
        if (className == null) {
            return null;
        }
        int index = scope.classes().indexOf(className);
        if (index < 0) {
            throw ApiException.badRequest("class \"" + className + "\" is not a class of model " + scope.model()
                    + "; use one of " + scope.classes());
        }
        return index;
    }

    private LabelledPredictions labelledSample(ModelScope scope, Request request, Integer classIndex) {
        Instant from = request.from();
        Instant to = request.to();
        if (from == null || to == null) {
            Instant[] range = repository.dataRange(scope);
            if (range == null) {
                return LabelledPredictions.of(new double[0][], new int[0]);
            }
            from = from == null ? range[0] : from;
            to = to == null ? range[1] : to;
        }
        List<double[]> vectors = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (AnalyticsRepository.RawPrediction row : repository.sample(scope, from, to, classIndex, true,
                SAMPLE_LIMIT)) {
            double[] effective = EffectiveProbabilities.of(row.logits(), row.probabilities(), row.temperature());
            if (effective != null) {
                vectors.add(effective);
                labels.add(row.label());
            }
        }
        return LabelledPredictions.of(vectors.toArray(double[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void validate(Request request) {
        if (!"width".equals(request.binning()) && !"mass".equals(request.binning())) {
            throw ApiException.badRequest("binning \"" + request.binning()
                    + "\" is not supported; send width (equal-width bins) or mass (equal-mass bins)");
        }
        if ("width".equals(request.binning()) && !RollupSums.isSupported(request.bins())) {
            throw ApiException.badRequest("bins is " + request.bins() + "; equal-width figures come from "
                    + RollupSums.FINE_BINS + " stored bins, so send one of " + RollupSums.supportedBins());
        }
        if ("mass".equals(request.binning()) && (request.bins() < 1 || request.bins() > 100)) {
            throw ApiException.badRequest("bins is " + request.bins() + "; send a whole number from 1 to 100 "
                    + "for equal-mass bins");
        }
        if (!RollupSums.isSupported(request.histogramBins())) {
            throw ApiException.badRequest("histogramBins is " + request.histogramBins() + "; histograms come from "
                    + RollupSums.FINE_BINS + " stored bins, so send one of " + RollupSums.supportedBins());
        }
        if (request.bootstrap() < 0 || request.bootstrap() > MAX_BOOTSTRAP) {
            throw ApiException.badRequest("bootstrap is " + request.bootstrap() + "; send a number of resamples "
                    + "from 0 (no interval) to " + MAX_BOOTSTRAP + ", for example 200");
        }
        if (request.from() != null && request.to() != null && !request.from().isBefore(request.to())) {
            throw ApiException.badRequest("from (" + request.from() + ") is not before to (" + request.to()
                    + "); send a non-empty window");
        }
    }

    private static Double maxGap(List<ReliabilityBin> diagram) {
        double max = Double.NaN;
        for (ReliabilityBin bin : diagram) {
            if (!bin.isEmpty()) {
                double gap = Math.abs(bin.gap());
                max = Double.isNaN(max) ? gap : Math.max(max, gap);
            }
        }
        return nullable(max);
    }

    static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
