package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import io.probity.api.ApiException;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.security.UserService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

/** The signed-in user's account: roles, models and a password change. */
@Route(value = "account", layout = MainLayout.class)
@PageTitle("Account | Probity")
@RolesAllowed(Role.ANALYST)
public class AccountView extends VerticalLayout {

    private final UserService users;
    private final PasswordField current = new PasswordField("Current password");
    private final PasswordField next = new PasswordField("New password (at least 10 characters)");

    @Inject
    public AccountView(UserService users) {
        this.users = users;
        CurrentUser user = CurrentUser.get().orElseThrow();
        add(new H2("Account " + user.name()),
                new Paragraph("Roles: " + String.join(", ", user.roles()) + ". Models: "
                        + (user.models() == null ? "all" : String.join(", ", user.models())) + "."),
                createPasswordForm());
    }

    private VerticalLayout createPasswordForm() {
        Button change = new Button("Change password", click -> changePassword());
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        VerticalLayout form = new VerticalLayout(current, next, change);
        form.setPadding(false);
        return form;
    }

    private void changePassword() {
        String name = CurrentUser.get().orElseThrow().name();
        try {
            users.changeOwnPassword(name, current.getValue(), next.getValue(), VaadinRequest.getCurrent().getRemoteAddr());
            Notification.show("Password changed.");
            current.clear();
            next.clear();
        } catch (ApiException e) {
            Notification.show(e.getMessage());
        }
    }
}
