package io.probity.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.probity.security.Role;
import io.probity.security.SecurityLog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

/** Admin screen: the append-only security log, newest first. */
@Route(value = "admin/security-log", layout = MainLayout.class)
@PageTitle("Security log | Probity")
@RolesAllowed(Role.ADMIN)
public class SecurityLogView extends VerticalLayout {

    @Inject
    public SecurityLogView(SecurityLog log) {
        setSizeFull();
        Grid<SecurityLog.Event> grid = new Grid<>(SecurityLog.Event.class, false);
        grid.setId("security-log-grid");
        grid.addColumn(event -> Formats.time(event.at())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(SecurityLog.Event::actor).setHeader("Who").setAutoWidth(true);
        grid.addColumn(SecurityLog.Event::source).setHeader("From").setAutoWidth(true);
        grid.addColumn(SecurityLog.Event::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(SecurityLog.Event::target).setHeader("Target").setAutoWidth(true);
        grid.addColumn(SecurityLog.Event::details).setHeader("Details").setFlexGrow(1);
        grid.setItems(query -> log.list(query.getOffset(), query.getLimit()).stream(), query -> (int) log.count());
        add(new H2("Security log"), grid);
    }
}
