package io.probity.analytics;

import io.probity.calibration.ModelMetrics;
import io.probity.drift.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * Writes the tables behind the model page's charts as CSV (RFC 4180, comma-separated, one header
 * line, empty fields for undefined values), for download next to each chart.
 */
public final class CsvExport {

    private CsvExport() {
    }

    /** Returns one line per bin: edges, current count and baseline count. */
    public static String histogram(long[] current, long[] baseline) {
        StringBuilder csv = new StringBuilder("lower,upper,count,baseline_count\n");
        for (int i = 0; i < current.length; i++) {
            csv.append(number(Histogram.edge(i, current.length))).append(',')
                    .append(number(Histogram.edge(i + 1, current.length))).append(',').append(current[i]).append(',')
                    .append(baseline == null ? "" : String.valueOf(baseline[i])).append('\n');
        }
        return csv.toString();
    }

    /** Returns one line per class: name, current count and baseline count of predictions. */
    public static String classMix(List<String> classes, long[] current, long[] baseline) {
        StringBuilder csv = new StringBuilder("class,count,baseline_count\n");
        for (int k = 0; k < classes.size(); k++) {
            csv.append(text(classes.get(k))).append(',').append(current[k]).append(',').append(baseline[k])
                    .append('\n');
        }
        return csv.toString();
    }

    /** Returns one line per reliability bin with its Wilson 95 % interval. */
    public static String reliability(List<ModelMetrics.Bin> bins) {
        StringBuilder csv = new StringBuilder("lower,upper,count,accuracy,mean_confidence,accuracy_lower,accuracy_upper\n");
        for (ModelMetrics.Bin bin : bins) {
            csv.append(number(bin.lower())).append(',').append(number(bin.upper())).append(',').append(bin.count())
                    .append(',').append(number(bin.accuracy())).append(',').append(number(bin.meanConfidence()))
                    .append(',').append(number(bin.accuracyLower())).append(',').append(number(bin.accuracyUpper()))
                    .append('\n');
        }
        return csv.toString();
    }

    /** Returns one line per time-series point with one column per metric. */
    public static String timeSeries(TimeSeries series) {
        StringBuilder csv = new StringBuilder("start,count,labelled_count");
        series.metrics().forEach(metric -> csv.append(',').append(metric));
        csv.append('\n');
        for (TimeSeries.Point point : series.points()) {
            csv.append(point.start()).append(',').append(point.count()).append(',').append(point.labelledCount());
            series.metrics().forEach(metric -> csv.append(',').append(number(point.values().get(metric))));
            csv.append('\n');
        }
        return csv.toString();
    }

    private static String number(Double value) {
        return value == null || !Double.isFinite(value) ? "" : String.format(Locale.ROOT, "%.10g", value);
    }

    private static String text(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
