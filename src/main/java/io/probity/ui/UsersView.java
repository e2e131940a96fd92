package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import io.probity.api.ApiException;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.security.UserRequest;
import io.probity.security.UserService;
import io.probity.security.UserView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** Admin screen: users with their roles and models; create, edit, disable, reset a password. */
@Route(value = "admin/users", layout = MainLayout.class)
@PageTitle("Users | Probity")
@RolesAllowed(Role.ADMIN)
public class UsersView extends VerticalLayout {

    private final UserService users;
    private final Grid<UserView> grid = new Grid<>(UserView.class, false);

    @Inject
    public UsersView(UserService users) {
        this.users = users;
        setSizeFull();

        configureGrid();
        Button create = new Button("New user", click -> openEditor(null));
        create.setId("new-user");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2("Users"), create, grid);
        refresh();
    }

    private void configureGrid() {
        grid.setId("users-grid");
        grid.addColumn(UserView::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(user -> String.join(", ", user.roles())).setHeader("Roles").setAutoWidth(true);
        grid.addColumn(user -> user.models() == null ? "all" : String.join(", ", user.models()))
                .setHeader("Models").setAutoWidth(true);
        grid.addColumn(user -> user.enabled() ? "enabled" : "disabled").setHeader("State").setAutoWidth(true);
        grid.addColumn(user -> String.valueOf(user.updatedAt())).setHeader("Updated").setAutoWidth(true);
        grid.addItemClickListener(click -> openEditor(click.getItem()));
    }

    private void refresh() {
        grid.setItems(users.list());
    }

    private void openEditor(UserView existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "New user" : "Edit " + existing.name());

        TextField name = new TextField("Name");
        name.setId("user-name");
        PasswordField password = new PasswordField(existing == null ? "Password" : "New password (leave empty to keep)");
        password.setId("user-password");
        CheckboxGroup<String> roles = new CheckboxGroup<>("Roles");
        roles.setItems(Role.ORDER);
        TextField models = new TextField("Models (comma-separated; empty for all)");
        Checkbox enabled = new Checkbox("Enabled", true);
        if (existing != null) {
            name.setValue(existing.name());
            name.setReadOnly(true);
            roles.setValue(new HashSet<>(existing.roles()));
            models.setValue(existing.models() == null ? "" : String.join(", ", existing.models()));
            enabled.setValue(existing.enabled());
        } else {
            roles.setValue(java.util.Set.of(Role.ANALYST));
        }

        Button save = new Button("Save", click -> {
            List<String> modelList = models.getValue().isBlank() ? List.of()
                    : Arrays.stream(models.getValue().split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
            String actor = CurrentUser.get().map(CurrentUser::name).orElse("unknown");
            String address = VaadinRequest.getCurrent().getRemoteAddr();
            try {
                if (existing == null) {
                    users.create(new UserRequest(name.getValue(), password.getValue(), List.copyOf(roles.getValue()),
                            modelList, enabled.getValue()), actor, address);
                } else {
                    users.update(existing.name(), new UserRequest(null, password.getValue().isEmpty() ? null
                            : password.getValue(), List.copyOf(roles.getValue()), modelList, enabled.getValue()),
                            actor, address);
                }
                dialog.close();
                refresh();
            } catch (ApiException e) {
                Notification.show(e.getMessage());
            }
        });
        save.setId("save-user");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(name, password, roles, models, enabled));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.open();
    }
}
