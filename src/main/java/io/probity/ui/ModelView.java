package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.ModelScope;
import io.probity.calibration.MetricsService;
import io.probity.model.ModelQueryService;
import io.probity.model.ModelSummary;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model page: confidence, calibration, drift and temperature tabs for a version, a predicted class
 * and an event-time window. Every filter and the tab are kept in the URL
 * ({@code ?version=&class=&range=&from=&to=&tab=}) so a view can be shared by link. Only the open
 * tab is computed.
 */
@Route(value = "models/:model", layout = MainLayout.class)
@PageTitle("Model | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class ModelView extends VerticalLayout implements BeforeEnterObserver {

    /** The range presets of the picker, keyed by their URL value; each ends with the last data hour. */
    private static final Map<String, String> RANGES = ranges();
    private static final List<String> TABS = List.of("confidence", "calibration", "drift", "temperature");

    private final ModelQueryService models;
    private final AnalyticsService analytics;

    private final H2 title = new H2();
    private final ComboBox<String> version = new ComboBox<>("Version");
    private final ComboBox<String> className = new ComboBox<>("Predicted class");
    private final Select<String> range = new Select<>();
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC, exclusive)");
    private final Tabs tabs = new Tabs();
    private final ConfidenceSection confidence;
    private final CalibrationSection calibration;
    private final DriftSection drift;
    private final TemperatureSection temperature;
    private String model;
    private String openTab = TABS.get(0);

    @Inject
    public ModelView(ModelQueryService models, MetricsService metrics, AnalyticsService analytics) {
        this.models = models;
        this.analytics = analytics;
        this.confidence = new ConfidenceSection(metrics, analytics);
        this.calibration = new CalibrationSection(metrics);
        this.drift = new DriftSection(analytics, this::refresh);
        this.temperature = new TemperatureSection(analytics);
        setWidthFull();

        for (String tab : TABS) {
            Tab item = new Tab(Character.toUpperCase(tab.charAt(0)) + tab.substring(1));
            item.setId("tab-" + tab);
            tabs.add(item);
        }
        tabs.addSelectedChangeListener(event -> {
            if (event.isFromClient()) {
                openTab = TABS.get(tabs.getSelectedIndex());
                navigateWithFilters();
            }
        });
        add(title, createFilters(), tabs, confidence, calibration, drift, temperature);
    }

    /** Returns a wrapping row for metric cards. */
    static FlexLayout cardRow() {
        FlexLayout cards = new FlexLayout();
        cards.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        cards.getStyle().set("gap", "var(--lumo-space-m)");
        return cards;
    }

    private HorizontalLayout createFilters() {
        version.setPlaceholder("All versions");
        version.setClearButtonVisible(true);
        className.setPlaceholder("All classes");
        className.setClearButtonVisible(true);
        range.setLabel("Range");
        range.setItems(RANGES.keySet());
        range.setItemLabelGenerator(RANGES::get);
        range.addValueChangeListener(event -> {
            boolean custom = "custom".equals(event.getValue());
            from.setEnabled(custom);
            to.setEnabled(custom);
        });
        from.setStep(java.time.Duration.ofMinutes(10));
        to.setStep(java.time.Duration.ofMinutes(10));
        Button apply = new Button("Apply", click -> navigateWithFilters());
        apply.setId("apply-filters");
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout filters = new HorizontalLayout(version, className, range, from, to, apply);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);
        return filters;
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
        String chosenVersion = first(query, "version");
        version.setValue(chosenVersion != null && summary.versions().stream()
                .anyMatch(v -> v.version().equals(chosenVersion)) ? chosenVersion : null);
        ModelScope scope = analytics.scope(model, version.getValue());
        className.setItems(scope.classes());
        String chosenClass = first(query, "class");
        className.setValue(chosenClass != null && scope.classes().contains(chosenClass) ? chosenClass : null);
        String chosenRange = first(query, "range");
        boolean hasWindow = first(query, "from") != null || first(query, "to") != null;
        range.setValue(chosenRange != null && RANGES.containsKey(chosenRange) ? chosenRange
                : hasWindow ? "custom" : "all");
        from.setValue(toLocal(first(query, "from")));
        to.setValue(toLocal(first(query, "to")));
        String chosenTab = first(query, "tab");
        openTab = chosenTab != null && TABS.contains(chosenTab) ? chosenTab : TABS.get(0);
        tabs.setSelectedIndex(TABS.indexOf(openTab));
        title.setText("Model " + model);
        refresh();
    }

    private void refresh() {
        ModelScope scope = analytics.scope(model, version.getValue());
        Instant windowFrom = toInstant(from.getValue());
        Instant windowTo = toInstant(to.getValue());
        if (!"custom".equals(range.getValue())) {
            Instant[] preset = analytics.presetWindow(scope, range.getValue());
            windowFrom = preset == null ? null : preset[0];
            windowTo = preset == null ? null : preset[1];
        }
        ModelFilters filters = new ModelFilters(model, version.getValue(), className.getValue(), windowFrom, windowTo);
        confidence.setVisible("confidence".equals(openTab));
        calibration.setVisible("calibration".equals(openTab));
        drift.setVisible("drift".equals(openTab));
        temperature.setVisible("temperature".equals(openTab));
        switch (openTab) {
            case "calibration" -> calibration.show(filters);
            case "drift" -> drift.show(filters);
            case "temperature" -> temperature.show(filters);
            default -> confidence.show(filters);
        }
    }

    private void navigateWithFilters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (version.getValue() != null) {
            parameters.put("version", version.getValue());
        }
        if (className.getValue() != null) {
            parameters.put("class", className.getValue());
        }
        if (range.getValue() != null && !"all".equals(range.getValue())) {
            parameters.put("range", range.getValue());
        }
        if ("custom".equals(range.getValue())) {
            if (from.getValue() != null) {
                parameters.put("from", toInstant(from.getValue()).toString());
            }
            if (to.getValue() != null) {
                parameters.put("to", toInstant(to.getValue()).toString());
            }
        }
        parameters.put("tab", openTab);
        getUI().ifPresent(ui -> ui.navigate(ModelView.class, new RouteParameters("model", model),
                QueryParameters.simple(parameters)));
    }

    private static Map<String, String> ranges() {
        Map<String, String> ranges = new LinkedHashMap<>();
        ranges.put("all", "All data");
        ranges.put("hour", "Last hour of data");
        ranges.put("day", "Last day of data");
        ranges.put("week", "Last week of data");
        ranges.put("custom", "Custom (from/to)");
        return ranges;
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
