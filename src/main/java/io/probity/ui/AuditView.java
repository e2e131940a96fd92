package io.probity.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.probity.audit.AuditCauses;
import io.probity.audit.AuditFilter;
import io.probity.audit.AuditFinding;
import io.probity.audit.AuditQueryService;
import io.probity.audit.AuditSettingsService;
import io.probity.audit.VersionCauseCount;
import io.probity.model.ModelQueryService;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.ui.components.ChartOptions;
import io.probity.ui.components.EChart;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Audit page: the share of predictions per hour or day carrying each audit cause, the top causes
 * per model version, and a paged table of failed and warned predictions with a detail view.
 * The filters are kept in the URL ({@code ?model=&version=&cause=&verdict=&from=&to=&interval=}).
 */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class AuditView extends VerticalLayout implements BeforeEnterObserver {

    private final AuditQueryService audits;
    private final ModelQueryService models;

    private final ComboBox<String> model = new ComboBox<>("Model");
    private final ComboBox<String> version = new ComboBox<>("Version");
    private final ComboBox<String> cause = new ComboBox<>("Cause");
    private final ComboBox<String> verdict = new ComboBox<>("Verdict");
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC, exclusive)");
    private final ComboBox<String> interval = new ComboBox<>("Interval");
    private final EChart timeline = new EChart();
    private final Grid<VersionCauseCount> topCauses = new Grid<>(VersionCauseCount.class, false);
    private final Grid<AuditFinding> grid = new Grid<>(AuditFinding.class, false);
    private final AuditSettingsForm settingsForm;

    @Inject
    public AuditView(AuditQueryService audits, ModelQueryService models, AuditSettingsService settings) {
        this.audits = audits;
        this.models = models;
        this.settingsForm = new AuditSettingsForm(settings);
        setWidthFull();

        configureFilters();
        configureTopCauses();
        configureGrid();
        timeline.setId("audit-timeline");
        add(new H2("Audit findings"), createFilterBar(), settingsForm, timeline, new H3("Top causes per model version"),
                topCauses, new H3("Failed and warned predictions"), grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var query = event.getLocation().getQueryParameters();
        model.setValue(query.getSingleParameter("model").orElse(null));
        updateVersions();
        version.setValue(query.getSingleParameter("version").orElse(null));
        cause.setValue(query.getSingleParameter("cause").orElse(null));
        verdict.setValue(query.getSingleParameter("verdict").orElse(null));
        from.setValue(query.getSingleParameter("from").map(Formats::toLocal).orElse(null));
        to.setValue(query.getSingleParameter("to").map(Formats::toLocal).orElse(null));
        interval.setValue(query.getSingleParameter("interval").filter(v -> v.equals("hour")).orElse("day"));
        refresh();
    }

    private void configureFilters() {
        model.setItems(ModelChoices.visibleModels(models));
        model.setPlaceholder("All models");
        version.setPlaceholder("All versions");
        cause.setItems(AuditCauses.ALL);
        cause.setPlaceholder("All causes");
        verdict.setItems("fail", "warn");
        verdict.setPlaceholder("fail and warn");
        interval.setItems("hour", "day");
        interval.setValue("day");
        for (ComboBox<String> box : List.of(model, version, cause, verdict)) {
            box.setClearButtonVisible(true);
            box.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        }
        model.addValueChangeListener(change -> updateVersions());
        interval.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        from.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        to.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
    }

    private HorizontalLayout createFilterBar() {
        HorizontalLayout filters = new HorizontalLayout(model, version, cause, verdict, from, to, interval);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.getStyle().set("flex-wrap", "wrap");
        return filters;
    }

    private void configureTopCauses() {
        topCauses.setId("top-causes");
        topCauses.addColumn(VersionCauseCount::model).setHeader("Model").setAutoWidth(true);
        topCauses.addColumn(VersionCauseCount::version).setHeader("Version").setAutoWidth(true);
        topCauses.addColumn(VersionCauseCount::cause).setHeader("Cause").setAutoWidth(true);
        topCauses.addColumn(VersionCauseCount::count).setHeader("Predictions").setAutoWidth(true);
        topCauses.addColumn(row -> Formats.percent(row.share())).setHeader("Share of version").setAutoWidth(true);
        topCauses.setAllRowsVisible(true);
    }

    private void configureGrid() {
        grid.setId("audit-grid");
        grid.setHeight("480px");
        grid.addColumn(f -> Formats.time(f.timestamp())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(AuditFinding::model).setHeader("Model").setAutoWidth(true);
        grid.addColumn(AuditFinding::version).setHeader("Version").setAutoWidth(true);
        grid.addColumn(AuditFinding::predictionId).setHeader("Prediction").setAutoWidth(true);
        grid.addColumn(AuditFinding::verdict).setHeader("Verdict").setAutoWidth(true)
                .setClassNameGenerator(f -> "probity-verdict-" + f.verdict());
        grid.addColumn(f -> String.join(", ", f.causes())).setHeader("Causes").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(f -> f.maxAbsDiff() == null ? "–" : String.format(Locale.ROOT, "%.3g", f.maxAbsDiff()))
                .setHeader("Max abs diff").setAutoWidth(true);
        grid.addItemClickListener(click -> openDetail(click.getItem()));
    }

    private void updateVersions() {
        List<String> versions = ModelChoices.versions(models, model.getValue());
        version.setItems(versions);
        version.setEnabled(model.getValue() != null);
    }

    private void onFilterChange(boolean fromClient) {
        if (!fromClient) {
            return;
        }
        refresh();
        Map<String, Optional<String>> state = new LinkedHashMap<>();
        state.put("model", model.getOptionalValue());
        state.put("version", version.getOptionalValue());
        state.put("cause", cause.getOptionalValue());
        state.put("verdict", verdict.getOptionalValue());
        state.put("from", Optional.ofNullable(Formats.toInstant(from.getValue())).map(Instant::toString));
        state.put("to", Optional.ofNullable(Formats.toInstant(to.getValue())).map(Instant::toString));
        state.put("interval", interval.getOptionalValue());
        UrlState.replace(this, "audit", state);
    }

    private void refresh() {
        AuditFilter filter = new AuditFilter(model.getValue(), version.getValue(), cause.getValue(), verdict.getValue(),
                Formats.toInstant(from.getValue()), Formats.toInstant(to.getValue()),
                CurrentUser.get().orElseThrow().models());
        grid.setItems(query -> audits.findings(filter, query.getOffset(), query.getLimit()).stream(),
                query -> audits.count(filter));
        topCauses.setItems(audits.topCausesPerVersion(filter, 5));
        timeline.setOption(ChartOptions.causeRates(audits.timeline(filter, interval.getValue())));
        settingsForm.show(model.getValue(), version.getValue());
    }

    private void openDetail(AuditFinding finding) {
        if (!ModelChoices.isVisible(finding.model())) {
            return;
        }
        models.findPrediction(finding.model(), finding.predictionId())
                .ifPresent(detail -> new PredictionDialog(detail).open());
    }
}
