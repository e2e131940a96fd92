package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.probity.calibration.MetricsService;
import io.probity.calibration.ModelMetrics;
import io.probity.model.ModelQueryService;
import io.probity.model.ModelSummary;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.ui.components.ChartOptions;
import io.probity.ui.components.EChart;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Model page: confidence histogram and reliability diagram for a version and an event-time
 * window. The version and window are kept in the URL ({@code ?version=&from=&to=}) so a view can
 * be shared by link.
 */
@Route(value = "models/:model", layout = MainLayout.class)
@PageTitle("Model | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class ModelView extends VerticalLayout implements BeforeEnterObserver {

    private final ModelQueryService models;
    private final MetricsService metrics;

    private final H2 title = new H2();
    private final ComboBox<String> version = new ComboBox<>("Version");
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC, exclusive)");
    private final FlexLayout cards = new FlexLayout();
    private final EChart histogram = new EChart();
    private final EChart reliability = new EChart();
    private final Paragraph notice = new Paragraph();
    private String model;

    @Inject
    public ModelView(ModelQueryService models, MetricsService metrics) {
        this.models = models;
        this.metrics = metrics;
        setWidthFull();

        histogram.setId("confidence-histogram");
        reliability.setId("reliability-diagram");
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        cards.getStyle().set("gap", "var(--lumo-space-m)");
        add(title, createFilters(), cards, notice, createCharts());
    }

    private HorizontalLayout createFilters() {
        version.setPlaceholder("All versions");
        version.setClearButtonVisible(true);
        from.setStep(java.time.Duration.ofMinutes(10));
        to.setStep(java.time.Duration.ofMinutes(10));
        Button apply = new Button("Apply", click -> navigateWithFilters());
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout filters = new HorizontalLayout(version, from, to, apply);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return filters;
    }

    private HorizontalLayout createCharts() {
        HorizontalLayout charts = new HorizontalLayout(histogram, reliability);
        charts.setWidthFull();
        return charts;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        model = event.getRouteParameters().get("model").orElseThrow(NotFoundException::new);
        boolean allowed = CurrentUser.get().map(user -> user.mayAccessModel(model)).orElse(false);
        ModelSummary summary = allowed ? models.findModel(model).orElse(null) : null;
        if (summary == null) {
            event.rerouteToError(NotFoundException.class);
            return;
        }

        Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
        version.setItems(summary.versions().stream().map(ModelSummary.VersionSummary::version).toList());
        version.setValue(first(query, "version"));
        from.setValue(toLocal(first(query, "from")));
        to.setValue(toLocal(first(query, "to")));
        title.setText("Model " + model);
        refresh();
    }

    private void refresh() {
        ModelMetrics figures = metrics.compute(model, version.getValue(), toInstant(from.getValue()),
                toInstant(to.getValue()), MetricsService.DEFAULT_BINS, MetricsService.DEFAULT_HISTOGRAM_BINS);

        cards.removeAll();
        cards.add(card("Predictions", String.valueOf(figures.count())),
                card("Labelled", String.valueOf(figures.labeledCount())),
                card("Accuracy", Formats.percent(figures.accuracy())),
                card("Mean confidence", Formats.percent(figures.meanConfidence())),
                card("ECE (15 bins)", Formats.decimal(figures.ece(), 4)),
                card("MCE", Formats.decimal(figures.mce(), 4)),
                card("Brier", Formats.decimal(figures.brier(), 4)),
                card("Log-loss", Formats.decimal(figures.nll(), 4)),
                card("Audit failures", String.valueOf(figures.auditFailed())));

        if (figures.count() == 0) {
            notice.setText("No predictions in this window.");
        } else if (figures.labeledCount() == 0) {
            notice.setText("No labelled predictions in this window, so calibration cannot be computed yet.");
        } else {
            notice.setText("Reliability bins with fewer than " + ChartOptions.LOW_COUNT
                    + " predictions are grey: their accuracy is too noisy to read.");
        }
        histogram.setOption(ChartOptions.confidenceHistogram(figures.confidenceHistogram()));
        reliability.setOption(ChartOptions.reliabilityDiagram(figures.reliability()));
    }

    private void navigateWithFilters() {
        Map<String, String> parameters = new HashMap<>();
        if (version.getValue() != null) {
            parameters.put("version", version.getValue());
        }
        if (from.getValue() != null) {
            parameters.put("from", toInstant(from.getValue()).toString());
        }
        if (to.getValue() != null) {
            parameters.put("to", toInstant(to.getValue()).toString());
        }
        getUI().ifPresent(ui -> ui.navigate(ModelView.class, new RouteParameters("model", model),
                QueryParameters.simple(parameters)));
    }

    private static Div card(String label, String value) {
        Span valueText = new Span(value);
        valueText.addClassName("probity-card-value");
        Span labelText = new Span(label);
        labelText.addClassName("probity-card-label");
        Div card = new Div(valueText, new Div(labelText));
        card.addClassName("probity-card");
        return card;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    private static LocalDateTime toLocal(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return LocalDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Instant toInstant(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
