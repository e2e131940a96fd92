package io.probity.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.probity.audit.AuditFilter;
import io.probity.audit.AuditFinding;
import io.probity.audit.AuditQueryService;
import io.probity.model.ModelQueryService;
import io.probity.model.ModelSummary;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Audit page: predictions whose audit failed or warned, with their causes and a detail view.
 * The filters are kept in the URL ({@code ?model=&cause=&verdict=}).
 */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class AuditView extends VerticalLayout implements BeforeEnterObserver {

    private final AuditQueryService audits;
    private final ModelQueryService models;

    private final ComboBox<String> model = new ComboBox<>("Model");
    private final ComboBox<String> cause = new ComboBox<>("Cause");
    private final ComboBox<String> verdict = new ComboBox<>("Verdict");
    private final Span causeSummary = new Span();
    private final Grid<AuditFinding> grid = new Grid<>(AuditFinding.class, false);

    @Inject
    public AuditView(AuditQueryService audits, ModelQueryService models) {
        this.audits = audits;
        this.models = models;
        setSizeFull();

        configureGrid();
        add(new H2("Audit findings"), createFilters(), causeSummary, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var query = event.getLocation().getQueryParameters();
        model.setValue(query.getSingleParameter("model").orElse(null));
        cause.setValue(query.getSingleParameter("cause").orElse(null));
        verdict.setValue(query.getSingleParameter("verdict").orElse(null));
        refresh();
    }

    private HorizontalLayout createFilters() {
        model.setItems(models.listModels().stream().map(ModelSummary::model).toList());
        model.setClearButtonVisible(true);
        model.setPlaceholder("All models");
        cause.setItems(audits.causeCounts(AuditFilter.ALL).keySet());
        cause.setClearButtonVisible(true);
        cause.setPlaceholder("All causes");
        verdict.setItems("fail", "warn");
        verdict.setClearButtonVisible(true);
        verdict.setPlaceholder("fail and warn");
        model.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        cause.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        verdict.addValueChangeListener(change -> onFilterChange(change.isFromClient()));
        HorizontalLayout filters = new HorizontalLayout(model, cause, verdict);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return filters;
    }

    private void configureGrid() {
        grid.setId("audit-grid");
        grid.addColumn(f -> Formats.time(f.timestamp())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(AuditFinding::model).setHeader("Model").setAutoWidth(true);
        grid.addColumn(AuditFinding::version).setHeader("Version").setAutoWidth(true);
        grid.addColumn(AuditFinding::predictionId).setHeader("Prediction").setAutoWidth(true);
        grid.addColumn(AuditFinding::verdict).setHeader("Verdict").setAutoWidth(true)
                .setClassNameGenerator(f -> "probity-verdict-" + f.verdict());
        grid.addColumn(f -> String.join(", ", f.causes())).setHeader("Causes").setFlexGrow(1);
        grid.addColumn(f -> f.maxAbsDiff() == null ? "–" : String.format(java.util.Locale.ROOT, "%.3g", f.maxAbsDiff()))
                .setHeader("Max abs diff").setAutoWidth(true);
        grid.addItemClickListener(click -> openDetail(click.getItem()));
    }

    private void refresh() {
        AuditFilter filter = new AuditFilter(model.getValue(), null, cause.getValue(), verdict.getValue(), null, null);
        grid.setItems(query -> audits.findings(filter, query.getOffset(), query.getLimit()).stream(),
                query -> audits.count(filter));

        Map<String, Long> counts = audits.causeCounts(filter);
        causeSummary.setText(counts.isEmpty() ? "No findings."
                : "Causes: " + counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(" · ")));
    }

    private void onFilterChange(boolean fromClient) {
        if (!fromClient) {
            return;
        }
        refresh();
        UrlState.replace(this, "audit", java.util.Map.of("model", model.getOptionalValue(),
                "cause", cause.getOptionalValue(), "verdict", verdict.getOptionalValue()));
    }

    private void openDetail(AuditFinding finding) {
        models.findPrediction(finding.model(), finding.predictionId())
                .ifPresent(detail -> new PredictionDialog(detail).open());
    }
}
