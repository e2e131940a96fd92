package io.probity.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.server.VaadinSession;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;

import java.util.Arrays;

/**
 * Layout of every signed-in page: header, navigation and the access check.
 *
 * <p>Every route that uses this layout is protected here: an anonymous visitor is sent to the
 * login page, and a signed-in user without one of the roles in the view's {@link RolesAllowed}
 * gets a "not found" page, as if the route did not exist. Roles include the ones below them, so a
 * view may name only its least role. A view without {@code @RolesAllowed} is denied, so a new
 * view is closed until it declares who may open it.
 */
@StyleSheet("context://frontend/probity.css")
public class MainLayout extends AppLayout implements BeforeEnterObserver {

    public MainLayout() {
        createHeader();
        createNavigation();
    }

    private void createHeader() {
        H1 title = new H1("Probity");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");

        Span user = new Span(CurrentUser.get().map(CurrentUser::name).orElse(""));
        user.setId("current-user");
        Button logout = new Button("Log out", click -> logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);

        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, user, logout);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        header.expand(title);
        header.setWidthFull();
        header.getStyle().set("padding", "0 var(--lumo-space-m)");
        addToNavbar(header);
    }

    private void createNavigation() {
        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Overview", OverviewView.class));
        nav.addItem(new SideNavItem("Audit", AuditView.class));
        nav.addItem(new SideNavItem("Review queue", ReviewView.class));
        nav.addItem(new SideNavItem("Alerts", AlertsView.class));
        nav.addItem(new SideNavItem("Account", AccountView.class));
        if (CurrentUser.get().map(user -> user.hasRole(Role.ADMIN)).orElse(false)) {
            nav.addItem(new SideNavItem("Users", UsersView.class));
            nav.addItem(new SideNavItem("API keys", ApiKeysView.class));
            nav.addItem(new SideNavItem("Security log", SecurityLogView.class));
        }
        addToDrawer(nav);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        CurrentUser user = CurrentUser.get().orElse(null);
        if (user == null) {
            event.forwardTo(LoginView.class);
            return;
        }
        RolesAllowed allowed = event.getNavigationTarget().getAnnotation(RolesAllowed.class);
        boolean permitted = allowed != null && Arrays.stream(allowed.value()).anyMatch(user::hasRole);
        if (!permitted) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class);
        }
    }

    private void logout() {
        VaadinSession session = VaadinSession.getCurrent();
        getUI().ifPresent(ui -> ui.getPage().setLocation("login"));
        session.getSession().invalidate();
        session.close();
    }
}
