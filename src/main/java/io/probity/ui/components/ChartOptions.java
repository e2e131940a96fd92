package io.probity.ui.components;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.probity.calibration.ModelMetrics;

import java.util.List;
import java.util.Locale;

/**
 * Builds the ECharts option objects of Probity's charts: confidence histogram, reliability
 * diagram and probability bars. Bins with fewer than {@link #LOW_COUNT} predictions are drawn
 * grey, because their accuracy is too noisy to read.
 */
public final class ChartOptions {

    /** Bins with fewer predictions than this are greyed out in the reliability diagram. */
    public static final int LOW_COUNT = 10;
    private static final String GREY = "#b0b8c4";
    private static final String BLUE = "#1676f3";
    private static final String ORANGE = "#e8743b";

    private ChartOptions() {
    }

    /** Builds a bar chart of top-label confidence counts over equal-width bins on [0, 1]. */
    public static ObjectNode confidenceHistogram(long[] counts) {
        ObjectNode option = base("Top-label confidence", "Confidence", "Predictions");
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        ArrayNode data = EChart.newOption().arrayNode();
        for (int i = 0; i < counts.length; i++) {
            categories.add(String.format(Locale.ROOT, "%.2f–%.2f", (double) i / counts.length,
                    (double) (i + 1) / counts.length));
            data.add(counts[i]);
        }
        ObjectNode series = option.putArray("series").addObject();
        series.put("name", "Predictions").put("type", "bar").set("data", data);
        series.put("color", BLUE);
        return option;
    }

    /**
     * Builds a reliability diagram: accuracy per confidence bin as bars, mean confidence per bin as
     * a line, and the diagonal of perfect calibration. The tooltip shows each bin's count.
     */
    public static ObjectNode reliabilityDiagram(List<ModelMetrics.Bin> bins) {
        ObjectNode option = base("Reliability diagram", "Confidence bin", "Accuracy");
        option.withObject("yAxis").put("min", 0).put("max", 1);
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        ArrayNode accuracy = option.arrayNode();
        ArrayNode confidence = option.arrayNode();
        ArrayNode diagonal = option.arrayNode();
        for (ModelMetrics.Bin bin : bins) {
            categories.add(String.format(Locale.ROOT, "%.2f–%.2f (n=%d)", bin.lower(), bin.upper(), bin.count()));
            ObjectNode bar = accuracy.addObject();
            if (bin.accuracy() == null) {
                bar.putNull("value");
            } else {
                bar.put("value", bin.accuracy());
            }
            bar.putObject("itemStyle").put("color", bin.count() < LOW_COUNT ? GREY : BLUE);
            if (bin.meanConfidence() == null) {
                confidence.addNull();
            } else {
                confidence.add(bin.meanConfidence());
            }
            diagonal.add((bin.lower() + bin.upper()) / 2);
        }
        ArrayNode series = option.putArray("series");
        series.addObject().put("name", "Accuracy").put("type", "bar").set("data", accuracy);
        ObjectNode line = series.addObject().put("name", "Mean confidence").put("type", "line")
                .put("color", ORANGE);
        line.set("data", confidence);
        ObjectNode perfect = series.addObject().put("name", "Perfect calibration").put("type", "line")
                .put("color", "#888").put("showSymbol", false);
        perfect.putObject("lineStyle").put("type", "dashed");
        perfect.set("data", diagonal);
        option.withObject("tooltip").put("valueFormatter", "fn:fixed3");
        return option;
    }

    /** Grouped bars of probability vectors per class, for example reported next to recomputed. */
    public static ObjectNode probabilityBars(String title, List<String> classes, List<String> names,
                                             List<double[]> vectors) {
        ObjectNode option = base(title, "Class", "Probability");
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        classes.forEach(categories::add);
        ArrayNode series = option.putArray("series");
        String[] colors = {BLUE, ORANGE, "#3ba272"};
        for (int s = 0; s < vectors.size(); s++) {
            double[] vector = vectors.get(s);
            if (vector == null) {
                continue;
            }
            ArrayNode data = option.arrayNode();
            for (double v : vector) {
                if (Double.isFinite(v)) {
                    data.add(v);
                } else {
                    data.addNull();
                }
            }
            series.addObject().put("name", names.get(s)).put("type", "bar").put("color", colors[s % colors.length])
                    .set("data", data);
        }
        option.withObject("tooltip").put("valueFormatter", "fn:fixed3");
        return option;
    }

    /**
     * Builds a stacked bar chart of the share of predictions per time bucket that carried each audit cause.
     * A prediction with several causes adds to several stacks, so a stack can exceed the failure rate.
     */
    public static ObjectNode causeRates(io.probity.audit.CauseTimeline timeline) {
        ObjectNode option = base("Audit findings per " + timeline.interval() + " by cause", "Event time (UTC)",
                "Share of predictions");
        option.withObject("yAxis").putObject("axisLabel").put("formatter", "fn:percent");
        option.withObject("tooltip").put("valueFormatter", "fn:percent");
        ArrayNode categories = option.withObject("xAxis").putArray("data");
        String pattern = "hour".equals(timeline.interval()) ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd";
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(pattern)
                .withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < timeline.buckets().size(); i++) {
            categories.add(format.format(timeline.buckets().get(i)) + " (n=" + timeline.totals()[i] + ")");
        }
        ArrayNode series = option.putArray("series");
        for (String cause : timeline.causeCounts().keySet()) {
            ArrayNode data = option.arrayNode();
            for (int i = 0; i < timeline.buckets().size(); i++) {
                data.add(timeline.rate(cause, i));
            }
            series.addObject().put("name", cause).put("type", "bar").put("stack", "causes").set("data", data);
        }
        return option;
    }

    private static ObjectNode base(String title, String xName, String yName) {
        ObjectNode option = EChart.newOption();
        option.putObject("title").put("text", title).put("left", "center")
                .putObject("textStyle").put("fontSize", 14);
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend").put("bottom", 0);
        option.putObject("grid").put("left", 60).put("right", 20).put("top", 40).put("bottom", 70);
        option.putObject("xAxis").put("type", "category").put("name", xName).put("nameLocation", "middle")
                .put("nameGap", 28);
        option.putObject("yAxis").put("type", "value").put("name", yName);
        return option;
    }
}
