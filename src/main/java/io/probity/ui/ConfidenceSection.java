package io.probity.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.BaselineWindow;
import io.probity.analytics.CsvExport;
import io.probity.analytics.ModelScope;
import io.probity.calibration.MetricsService;
import io.probity.calibration.ModelMetrics;
import io.probity.ui.components.AnalyticsCharts;
import io.probity.ui.components.EChart;

import java.time.Instant;
import java.util.List;

/** The model page's confidence tab: histograms of the window over the baseline's, and the class mix. */
class ConfidenceSection extends VerticalLayout {

    private final MetricsService metrics;
    private final AnalyticsService analytics;

    ConfidenceSection(MetricsService metrics, AnalyticsService analytics) {
        this.metrics = metrics;
        this.analytics = analytics;
        setPadding(false);
        setWidthFull();
    }

    void show(ModelFilters filters) {
        removeAll();
        ModelMetrics current = compute(filters, filters.version(), filters.from(), filters.to());
        ModelScope scope = analytics.scope(filters.model(), filters.version());
        BaselineWindow baseline = analytics.baseline(scope);
        ModelMetrics before = baseline.isDefined() ? compute(filters, scope.version(), Instant.parse(baseline.from()),
                Instant.parse(baseline.to())) : null;

        FlexLayout cards = ModelView.cardRow();
        cards.add(Widgets.card("Predictions", String.valueOf(current.count()), null),
                Widgets.card("Mean confidence", Formats.percent(current.meanConfidence()), null),
                Widgets.card("Audit failures", String.valueOf(current.auditFailed()), null));
        add(cards);
        add(new Paragraph(baseline.isDefined()
                ? "Grey bars: the baseline of version " + scope.version() + " (" + baseline.from() + " to "
                        + baseline.to() + ", " + (before == null ? 0 : before.count()) + " predictions)."
                : "No baseline: version " + scope.version() + " has no predictions yet."));

        add(chart("confidence-histogram", "Top-label confidence", "Confidence", current.confidenceHistogram(),
                before == null ? null : before.confidenceHistogram()));
        add(chart("margin-histogram", "Margin (top-1 minus top-2)", "Margin", current.marginHistogram(),
                before == null ? null : before.marginHistogram()));
        add(chart("entropy-histogram", "Normalised entropy", "Entropy / ln K", current.entropyHistogram(),
                before == null ? null : before.entropyHistogram()));

        List<String> classes = scope.classes();
        long[] currentMix = classCounts(classes, current);
        long[] baselineMix = before == null ? new long[classes.size()] : classCounts(classes, before);
        EChart mix = new EChart();
        mix.setId("class-mix");
        mix.setOption(AnalyticsCharts.classMix(classes, currentMix, baselineMix));
        add(Widgets.block(mix, Widgets.csvDownload("class-mix-csv", "class-mix.csv",
                () -> CsvExport.classMix(classes, currentMix, baselineMix))));
    }

    private ModelMetrics compute(ModelFilters filters, String version, Instant from, Instant to) {
        return metrics.compute(new MetricsService.Request(filters.model(), version, from, to,
                MetricsService.DEFAULT_BINS, MetricsService.DEFAULT_HISTOGRAM_BINS, "width", filters.className(),
                false, 0, true));
    }

    private static Div chart(String id, String title, String xName, long[] current, long[] baseline) {
        EChart chart = new EChart();
        chart.setId(id);
        chart.setOption(AnalyticsCharts.histogramComparison(title, xName, current, baseline));
        return Widgets.block(chart, Widgets.csvDownload(id + "-csv", id + ".csv",
                () -> CsvExport.histogram(current, baseline)));
    }

    private static long[] classCounts(List<String> classes, ModelMetrics figures) {
        long[] counts = new long[classes.size()];
        for (ModelMetrics.ClassHistograms row : figures.perClass()) {
            counts[classes.indexOf(row.className())] = row.count();
        }
        return counts;
    }
}
