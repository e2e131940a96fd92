package io.probity.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.CsvExport;
import io.probity.analytics.ModelScope;
import io.probity.analytics.TemperatureAdvice;
import io.probity.ui.components.AnalyticsCharts;
import io.probity.ui.components.EChart;

/** The model page's temperature tab: the temperature scaling fitted on the window's labels. */
class TemperatureSection extends VerticalLayout {

    private final AnalyticsService analytics;

    TemperatureSection(AnalyticsService analytics) {
        this.analytics = analytics;
        setPadding(false);
        setWidthFull();
    }

    void show(ModelFilters filters) {
        removeAll();
        ModelScope scope = analytics.scope(filters.model(), filters.version());
        TemperatureAdvice advice = analytics.temperature(scope, filters.from(), filters.to());

        FlexLayout cards = ModelView.cardRow();
        cards.add(Widgets.card("Fitted temperature", Formats.decimal(advice.temperature(), 3),
                        "multiplies the served temperature"),
                Widgets.card("ECE before → after", Formats.decimal(advice.eceBefore(), 4) + " → "
                        + Formats.decimal(advice.eceAfter(), 4), null),
                Widgets.card("Log-loss before → after", Formats.decimal(advice.nllBefore(), 4) + " → "
                        + Formats.decimal(advice.nllAfter(), 4), null),
                Widgets.card("Labelled predictions used", String.valueOf(advice.sampleSize()),
                        "at most " + advice.sampleLimit()));
        add(cards);

        if (advice.temperature() == null) {
            add(new Paragraph("No labelled predictions with logits in this window of version " + scope.version()
                    + ", so no temperature can be fitted."));
            EChart empty = new EChart();
            empty.setId("temperature-reliability");
            empty.setOption(AnalyticsCharts.empty("Reliability after temperature scaling",
                    "No labelled predictions with logits in this window"));
            add(empty);
            return;
        }
        add(new Paragraph(advice.temperature() > 1
                ? "T > 1: the model is overconfident here; serving with a higher temperature softens its probabilities."
                : "T < 1: the model is underconfident here; serving with a lower temperature sharpens its probabilities."));
        EChart chart = new EChart();
        chart.setId("temperature-reliability");
        chart.setOption(AnalyticsCharts.reliability("Reliability after temperature scaling",
                advice.reliabilityAfter(), "Accuracy before scaling", advice.reliabilityBefore()));
        add(Widgets.block(chart, Widgets.csvDownload("temperature-csv", "temperature-reliability.csv",
                () -> CsvExport.reliability(advice.reliabilityAfter()))));
    }
}
