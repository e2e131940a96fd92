package io.probity.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.probity.analytics.CsvExport;
import io.probity.calibration.Interval;
import io.probity.calibration.MetricsService;
import io.probity.calibration.ModelMetrics;
import io.probity.ui.components.AnalyticsCharts;
import io.probity.ui.components.ChartOptions;
import io.probity.ui.components.EChart;

import java.util.Locale;

/** The model page's calibration tab: metric cards with intervals and the reliability diagram. */
class CalibrationSection extends VerticalLayout {

    /** Bootstrap resamples for the ECE interval on the page. */
    private static final int BOOTSTRAP = 200;

    private final MetricsService metrics;

    CalibrationSection(MetricsService metrics) {
        this.metrics = metrics;
        setPadding(false);
        setWidthFull();
    }

    void show(ModelFilters filters) {
        removeAll();
        ModelMetrics figures = metrics.compute(new MetricsService.Request(filters.model(), filters.version(),
                filters.from(), filters.to(), MetricsService.DEFAULT_BINS, MetricsService.DEFAULT_HISTOGRAM_BINS,
                "width", filters.className(), true, BOOTSTRAP, false));
        ModelMetrics adaptive = figures.labeledCount() == 0 ? null : metrics.compute(new MetricsService.Request(
                filters.model(), filters.version(), filters.from(), filters.to(), MetricsService.DEFAULT_BINS,
                MetricsService.DEFAULT_HISTOGRAM_BINS, "mass", filters.className(), false, 0, false));

        Interval accuracyInterval = figures.accuracy() == null ? Interval.UNDEFINED
                : Interval.wilson(figures.accuracy(), figures.labeledCount(), Interval.Z_95);
        FlexLayout cards = ModelView.cardRow();
        cards.add(Widgets.card("Labelled", String.valueOf(figures.labeledCount()), null),
                Widgets.card("Accuracy", Formats.percent(figures.accuracy()), interval(accuracyInterval, true)),
                Widgets.card("ECE (15 bins)", Formats.decimal(figures.ece(), 4), figures.eceLower() == null ? null
                        : "bootstrap 95 %: " + Formats.decimal(figures.eceLower(), 4) + "–"
                                + Formats.decimal(figures.eceUpper(), 4)),
                Widgets.card("Adaptive ECE (15 equal-mass bins)",
                        Formats.decimal(adaptive == null ? null : adaptive.ece(), 4), null),
                Widgets.card("Classwise ECE", Formats.decimal(figures.classwiseEce(), 4), null),
                Widgets.card("MCE", Formats.decimal(figures.mce(), 4), null),
                Widgets.card("Brier", Formats.decimal(figures.brier(), 4), null),
                Widgets.card("Log-loss", Formats.decimal(figures.nll(), 4), null));
        add(cards);

        String notice;
        if (figures.count() == 0) {
            notice = "No predictions in this window.";
        } else if (figures.labeledCount() == 0) {
            notice = "No labelled predictions in this window, so calibration cannot be computed yet.";
        } else {
            notice = "Reliability bins with fewer than " + ChartOptions.LOW_COUNT + " predictions are grey: their "
                    + "accuracy is too noisy to read. Black bars are 95 % Wilson intervals. The ECE interval, "
                    + "adaptive and classwise ECE use " + figures.sampleSize() + " labelled predictions (at most "
                    + figures.sampleLimit() + ", spread over the window's hours).";
        }
        add(new Paragraph(notice));

        EChart reliability = new EChart();
        reliability.setId("reliability-diagram");
        reliability.setOption(AnalyticsCharts.reliability("Reliability diagram", figures.reliability(), null, null));
        add(Widgets.block(reliability, Widgets.csvDownload("reliability-csv", "reliability.csv",
                () -> CsvExport.reliability(figures.reliability()))));
    }

    private static String interval(Interval interval, boolean percent) {
        if (Double.isNaN(interval.lower())) {
            return null;
        }
        return percent
                ? String.format(Locale.ROOT, "Wilson 95 %%: %.1f–%.1f %%", interval.lower() * 100, interval.upper() * 100)
                : String.format(Locale.ROOT, "95 %%: %.4f–%.4f", interval.lower(), interval.upper());
    }
}
