package io.probity.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.probity.calibration.MetricsService;
import io.probity.calibration.ModelOverview;
import io.probity.model.ModelQueryService;
import io.probity.model.ModelSummary;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.util.List;

/** Start page: one row per model with volume, accuracy, confidence, ECE and audit failure rate. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Overview | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class OverviewView extends VerticalLayout {

    private final Grid<ModelOverview> grid = new Grid<>(ModelOverview.class, false);

    @Inject
    public OverviewView(ModelQueryService models, MetricsService metrics) {
        setSizeFull();
        configureGrid();

        List<ModelSummary> visible = models.listModels().stream()
                .filter(m -> CurrentUser.get().map(user -> user.mayAccessModel(m.model())).orElse(false)).toList();
        List<ModelOverview> rows = metrics.overview(visible);
        grid.setItems(rows);
        add(new H2("Models"), rows.isEmpty() ? createEmptyState() : grid);
    }

    private void configureGrid() {
        grid.setId("models-grid");
        grid.addColumn(ModelOverview::model).setHeader("Model").setAutoWidth(true).setSortable(true);
        grid.addColumn(ModelOverview::versions).setHeader("Versions").setAutoWidth(true);
        grid.addColumn(ModelOverview::count).setHeader("Predictions").setAutoWidth(true).setSortable(true);
        grid.addColumn(ModelOverview::labeledCount).setHeader("Labelled").setAutoWidth(true);
        grid.addColumn(row -> Formats.percent(row.accuracy())).setHeader("Accuracy").setAutoWidth(true);
        grid.addColumn(row -> Formats.percent(row.meanConfidence())).setHeader("Mean confidence").setAutoWidth(true);
        grid.addColumn(row -> Formats.decimal(row.ece(), 4)).setHeader("ECE (15 bins)").setAutoWidth(true);
        grid.addColumn(row -> Formats.percent(row.auditFailureRate())).setHeader("Audit failures").setAutoWidth(true);
        grid.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate(ModelView.class,
                new RouteParameters("model", click.getItem().model()))));
        grid.setAllRowsVisible(true);
    }

    private Paragraph createEmptyState() {
        return new Paragraph("No predictions yet. Send some to POST /api/v1/predictions, "
                + "or start Probity with PROBITY_DEMO=true to replay the digits demo data.");
    }
}
