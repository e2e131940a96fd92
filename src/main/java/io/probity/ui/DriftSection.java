package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.BaselineWindow;
import io.probity.analytics.CsvExport;
import io.probity.analytics.DriftReport;
import io.probity.analytics.ModelScope;
import io.probity.analytics.TimeSeries;
import io.probity.api.ApiException;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.ui.components.AnalyticsCharts;
import io.probity.ui.components.EChart;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model page's drift tab: drift figures of the window against the version's baseline, time
 * series of PSI, ECE and estimated against realised accuracy, and the baseline editor for ops users.
 */
class DriftSection extends VerticalLayout {

    private static final Logger LOG = Logger.getLogger(DriftSection.class);
    private static final List<String> METRICS = List.of("psi", "ece", "estimatedAccuracy", "accuracy");

    private final AnalyticsService analytics;
    private final Runnable onBaselineChange;

    DriftSection(AnalyticsService analytics, Runnable onBaselineChange) {
        this.analytics = analytics;
        this.onBaselineChange = onBaselineChange;
        setPadding(false);
        setWidthFull();
    }

    void show(ModelFilters filters) {
        removeAll();
        ModelScope scope = analytics.scope(filters.model(), filters.version());
        BaselineWindow baseline = analytics.baseline(scope);
        DriftReport drift = analytics.drift(scope, null, null, filters.from(), filters.to());
        Instant[] window = analytics.currentWindow(scope, filters.from(), filters.to());

        add(new Paragraph("Version " + scope.version() + ", window " + (window == null ? "–" : window[0] + " to "
                + window[1]) + ", against the " + baseline.source() + " baseline"
                + (baseline.isDefined() ? " " + baseline.from() + " to " + baseline.to() : "") + ". PSI of "
                + DriftReport.PSI_MODERATE + " or more is a moderate shift, " + DriftReport.PSI_STRONG
                + " or more a strong one."));
        FlexLayout cards = ModelView.cardRow();
        cards.add(Widgets.card("PSI (confidence)", Formats.decimal(drift.psi(), 3), drift.status()),
                Widgets.card("Jensen-Shannon", Formats.decimal(drift.jensenShannon(), 3), null),
                Widgets.card("Kolmogorov-Smirnov D", Formats.decimal(drift.ks() == null ? null : drift.ks().statistic(), 3),
                        drift.ks() == null ? null : "p = " + Formats.decimal(drift.ks().pValue(), 4)),
                Widgets.card("Class mix PSI", Formats.decimal(drift.classMixPsi(), 3), drift.classMix() == null ? null
                        : "chi-square p = " + Formats.decimal(drift.classMix().pValue(), 4)),
                Widgets.card("ECE change", Formats.decimal(drift.eceDelta(), 4), null),
                Widgets.card("Accuracy change", Formats.percent(drift.accuracyDelta()), null),
                Widgets.card("Estimated accuracy", Formats.percent(drift.estimatedAccuracy()),
                        "realised: " + Formats.percent(drift.currentAccuracy())));
        add(cards);

        if (window != null) {
            String interval = Duration.between(window[0], window[1]).compareTo(Duration.ofDays(3)) > 0 ? "day" : "hour";
            TimeSeries series = analytics.timeSeries(scope, METRICS, interval, window[0], window[1]);
            add(charts(series, baseline));
        } else {
            add(new Paragraph("No predictions yet, so there is no time series."));
        }
        add(baselineEditor(scope, baseline));
    }

    private Div charts(TimeSeries series, BaselineWindow baseline) {
        Map<String, List<Object[]>> drift = new LinkedHashMap<>();
        drift.put("PSI", points(series, "psi"));
        drift.put("ECE (15 bins)", points(series, "ece"));
        EChart driftChart = new EChart();
        driftChart.setId("drift-timeseries");
        driftChart.setOption(AnalyticsCharts.timeSeries("PSI and ECE per " + series.interval(), "Value", drift,
                baseline.from(), baseline.to(), Map.of("moderate", DriftReport.PSI_MODERATE, "strong",
                        DriftReport.PSI_STRONG)));

        Map<String, List<Object[]>> accuracy = new LinkedHashMap<>();
        accuracy.put("Estimated accuracy", points(series, "estimatedAccuracy"));
        accuracy.put("Realised accuracy", points(series, "accuracy"));
        Map<String, Double> reference = new LinkedHashMap<>();
        Double baselineAccuracy = series.baselineValues().get("accuracy");
        if (baselineAccuracy != null) {
            reference.put("baseline", baselineAccuracy);
        }
        EChart accuracyChart = new EChart();
        accuracyChart.setId("accuracy-timeseries");
        accuracyChart.setOption(AnalyticsCharts.timeSeries("Estimated and realised accuracy per " + series.interval(),
                "Accuracy", accuracy, baseline.from(), baseline.to(), reference));
        return Widgets.block(driftChart, accuracyChart,
                Widgets.csvDownload("timeseries-csv", "timeseries.csv", () -> CsvExport.timeSeries(series)));
    }

    private Div baselineEditor(ModelScope scope, BaselineWindow baseline) {
        boolean mayEdit = CurrentUser.get().map(user -> user.hasRole(Role.OPS) || user.hasRole(Role.ADMIN))
                .orElse(false);
        Div editor = Widgets.block(new H3("Baseline window"));
        if (!mayEdit) {
            editor.add(new Paragraph("Only ops users can change the baseline."));
            return editor;
        }
        DateTimePicker from = new DateTimePicker("Baseline from (UTC)");
        DateTimePicker to = new DateTimePicker("Baseline to (UTC, exclusive)");
        from.setId("baseline-from");
        to.setId("baseline-to");
        from.setStep(Duration.ofHours(1));
        to.setStep(Duration.ofHours(1));
        if (baseline.isDefined()) {
            from.setValue(LocalDateTime.ofInstant(Instant.parse(baseline.from()), ZoneOffset.UTC));
            to.setValue(LocalDateTime.ofInstant(Instant.parse(baseline.to()), ZoneOffset.UTC));
        }
        Button save = new Button("Save baseline", click -> {
            String user = CurrentUser.get().map(CurrentUser::name).orElse("unknown");
            try {
                analytics.setBaseline(scope, from.getValue() == null ? null : from.getValue().toInstant(ZoneOffset.UTC),
                        to.getValue() == null ? null : to.getValue().toInstant(ZoneOffset.UTC), user);
                LOG.infof("Baseline of model %s version %s set by %s", scope.model(), scope.version(), user);
                Notification.show("Baseline saved");
                onBaselineChange.run();
            } catch (ApiException e) {
                Notification.show(e.getMessage());
            }
        });
        save.setId("baseline-save");
        HorizontalLayout row = new HorizontalLayout(from, to, save);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        editor.add(row);
        return editor;
    }

    private static List<Object[]> points(TimeSeries series, String metric) {
        List<Object[]> points = new ArrayList<>();
        for (TimeSeries.Point point : series.points()) {
            points.add(new Object[] {point.start(), point.values().get(metric)});
        }
        return points;
    }
}
