package io.probity.ui.components;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.probity.calibration.ModelMetrics;
import io.probity.drift.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the ECharts options of the model page's analytics: histograms of the current window over
 * the baseline, the class mix, the reliability diagram with Wilson intervals and time series with
 * the baseline band and alert thresholds. Every chart has a title, axis titles, a legend and a
 * tooltip; a chart without data shows a message instead of empty axes.
 */
public final class AnalyticsCharts {

    private static final String GREY = "#b0b8c4";
    private static final String BLUE = "#1676f3";
    private static final String ORANGE = "#e8743b";
    private static final String GREEN = "#3ba272";
    private static final String RED = "#d9363e";

    private AnalyticsCharts() {
    }

    /** Returns an option that shows {@code message} in place of a chart, for windows without data. */
    public static ObjectNode empty(String title, String message) {
        ObjectNode option = EChart.newOption();
        option.putObject("title").put("text", title).put("subtext", message).put("left", "center").put("top", "40%")
                .putObject("textStyle").put("fontSize", 14);
        return option;
    }

    /**
     * Bars of the current window's share per bin next to the baseline's, because the two windows
     * hold different numbers of predictions. The tooltip shows shares; the CSV has the counts.
     */
    public static ObjectNode histogramComparison(String title, String xName, long[] current, long[] baseline) {
        if (total(current) == 0) {
            return empty(title, "No predictions in this window");
        }
        ObjectNode option = base(title, xName, "Share of predictions");
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        for (int i = 0; i < current.length; i++) {
            categories.add(String.format(Locale.ROOT, "%.2f–%.2f", Histogram.edge(i, current.length),
                    Histogram.edge(i + 1, current.length)));
        }
        ArrayNode series = option.putArray("series");
        series.add(bars("Current window", shares(option, current), BLUE));
        if (baseline != null && total(baseline) > 0) {
            series.add(bars("Baseline", shares(option, baseline), GREY));
        }
        percentAxis(option);
        return option;
    }

    /** Bars of the predicted-class shares of the current window and the baseline. */
    public static ObjectNode classMix(List<String> classes, long[] current, long[] baseline) {
        if (total(current) == 0) {
            return empty("Predicted classes", "No predictions in this window");
        }
        ObjectNode option = base("Predicted classes", "Predicted class", "Share of predictions");
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        classes.forEach(categories::add);
        ArrayNode series = option.putArray("series");
        series.add(bars("Current window", shares(option, current), BLUE));
        if (total(baseline) > 0) {
            series.add(bars("Baseline", shares(option, baseline), GREY));
        }
        percentAxis(option);
        return option;
    }

    /**
     * A reliability diagram: accuracy per confidence bin as bars (grey under
     * {@link ChartOptions#LOW_COUNT} predictions), the 95 % Wilson interval of each bin as an error
     * bar, mean confidence as a line, the diagonal of perfect calibration, and optionally the
     * accuracy of another diagram (for example before temperature scaling) as a second line.
     */
    public static ObjectNode reliability(String title, List<ModelMetrics.Bin> bins, String otherName,
                                         List<ModelMetrics.Bin> other) {
        long labelled = bins.stream().mapToLong(ModelMetrics.Bin::count).sum();
        if (labelled == 0) {
            return empty(title, "No labelled predictions in this window");
        }
        ObjectNode option = base(title, "Confidence bin", "Accuracy");
        option.withObject("yAxis").put("min", 0).put("max", 1);
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        ArrayNode accuracy = option.arrayNode();
        ArrayNode intervals = option.arrayNode();
        ArrayNode confidence = option.arrayNode();
        ArrayNode diagonal = option.arrayNode();
        for (ModelMetrics.Bin bin : bins) {
            categories.add(String.format(Locale.ROOT, "%.2f–%.2f (n=%d)", bin.lower(), bin.upper(), bin.count()));
            ObjectNode bar = accuracy.addObject();
            putNullable(bar, "value", bin.accuracy());
            bar.putObject("itemStyle").put("color", bin.count() < ChartOptions.LOW_COUNT ? GREY : BLUE);
            if (bin.accuracyLower() == null) {
                intervals.add("-");
            } else {
                intervals.addArray().add(bin.accuracyLower()).add(bin.accuracyUpper()).add(bin.accuracyLower())
                        .add(bin.accuracyUpper());
            }
            addNullable(confidence, bin.meanConfidence());
            diagonal.add((bin.lower() + bin.upper()) / 2);
        }
        ArrayNode series = option.putArray("series");
        series.addObject().put("name", "Accuracy").put("type", "bar").put("color", BLUE).set("data", accuracy);
        ObjectNode interval = series.addObject().put("name", "95 % Wilson interval").put("type", "candlestick")
                .put("barWidth", "12%");
        interval.putObject("itemStyle").put("color", "#333").put("color0", "#333").put("borderColor", "#333")
                .put("borderColor0", "#333");
        interval.set("data", intervals);
        ObjectNode line = series.addObject().put("name", "Mean confidence").put("type", "line").put("color", ORANGE);
        line.set("data", confidence);
        if (other != null) {
            ArrayNode otherAccuracy = option.arrayNode();
            other.forEach(bin -> addNullable(otherAccuracy, bin.accuracy()));
            ObjectNode otherLine = series.addObject().put("name", otherName).put("type", "line").put("color", RED);
            otherLine.set("data", otherAccuracy);
        }
        ObjectNode perfect = series.addObject().put("name", "Perfect calibration").put("type", "line")
                .put("color", "#888").put("showSymbol", false);
        perfect.putObject("lineStyle").put("type", "dashed");
        perfect.set("data", diagonal);
        option.withObject("tooltip").put("valueFormatter", "fn:fixed3");
        return option;
    }

    /**
     * Lines over a time axis, one per entry of {@code series} (name to points of [ISO time, value]),
     * with the baseline window shaded and a dashed line per entry of {@code thresholds}.
     */
    public static ObjectNode timeSeries(String title, String yName, Map<String, List<Object[]>> series,
                                        String baselineFrom, String baselineTo, Map<String, Double> thresholds) {
        boolean hasData = series.values().stream().anyMatch(points -> !points.isEmpty());
        if (!hasData) {
            return empty(title, "No predictions in this window");
        }
        ObjectNode option = base(title, "Time (UTC)", yName);
        option.withObject("xAxis").put("type", "time");
        option.withObject("tooltip").put("valueFormatter", "fn:fixed3");
        ArrayNode lines = option.putArray("series");
        String[] colors = {BLUE, ORANGE, GREEN, RED};
        int index = 0;
        for (Map.Entry<String, List<Object[]>> entry : series.entrySet()) {
            ObjectNode line = lines.addObject().put("name", entry.getKey()).put("type", "line")
                    .put("color", colors[index % colors.length]).put("connectNulls", false);
            ArrayNode data = line.putArray("data");
            for (Object[] point : entry.getValue()) {
                ArrayNode pair = data.addArray().add((String) point[0]);
                addNullable(pair, (Double) point[1]);
            }
            if (index == 0) {
                decorate(line, baselineFrom, baselineTo, thresholds);
            }
            index++;
        }
        return option;
    }

    private static void decorate(ObjectNode line, String baselineFrom, String baselineTo,
                                 Map<String, Double> thresholds) {
        if (baselineFrom != null && baselineTo != null) {
            ObjectNode area = line.putObject("markArea");
            area.putObject("itemStyle").put("color", "rgba(120, 120, 120, 0.12)");
            ArrayNode band = area.putArray("data").addArray();
            band.addObject().put("name", "Baseline").put("xAxis", baselineFrom);
            band.addObject().put("xAxis", baselineTo);
        }
        if (!thresholds.isEmpty()) {
            ObjectNode marks = line.putObject("markLine").put("symbol", "none");
            marks.putObject("lineStyle").put("type", "dashed").put("color", RED);
            ArrayNode data = marks.putArray("data");
            thresholds.forEach((name, value) -> data.addObject().put("name", name).put("yAxis", value)
                    .putObject("label").put("formatter", name));
        }
    }

    private static ObjectNode base(String title, String xName, String yName) {
        ObjectNode option = EChart.newOption();
        option.putObject("title").put("text", title).put("left", "center").putObject("textStyle").put("fontSize", 14);
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend").put("bottom", 0);
        option.putObject("grid").put("left", 60).put("right", 30).put("top", 40).put("bottom", 70);
        option.putObject("xAxis").put("type", "category").put("name", xName).put("nameLocation", "middle")
                .put("nameGap", 28);
        option.putObject("yAxis").put("type", "value").put("name", yName);
        return option;
    }

    private static ObjectNode bars(String name, ArrayNode data, String color) {
        ObjectNode series = EChart.newOption().put("name", name).put("type", "bar").put("color", color);
        series.set("data", data);
        return series;
    }

    private static ArrayNode shares(ObjectNode option, long[] counts) {
        double total = total(counts);
        ArrayNode data = option.arrayNode();
        for (long count : counts) {
            data.add(total > 0 ? count / total : 0.0);
        }
        return data;
    }

    private static void percentAxis(ObjectNode option) {
        option.withObject("yAxis").putObject("axisLabel").put("formatter", "fn:percent");
        option.withObject("tooltip").put("valueFormatter", "fn:percent");
    }

    private static long total(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    private static void putNullable(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static void addNullable(ArrayNode array, Double value) {
        if (value == null) {
            array.addNull();
        } else {
            array.add(value);
        }
    }
}
