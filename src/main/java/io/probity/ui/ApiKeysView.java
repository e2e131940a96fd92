package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import io.probity.api.ApiException;
import io.probity.security.ApiKeyRequest;
import io.probity.security.ApiKeyService;
import io.probity.security.ApiKeyView;
import io.probity.security.CurrentUser;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Admin screen: API keys with scope, creator, use and expiry; create (secret shown once) and revoke. */
@Route(value = "admin/api-keys", layout = MainLayout.class)
@PageTitle("API keys | Probity")
@RolesAllowed(Role.ADMIN)
public class ApiKeysView extends VerticalLayout {

    private final ApiKeyService keys;
    private final Grid<ApiKeyView> grid = new Grid<>(ApiKeyView.class, false);

    @Inject
    public ApiKeysView(ApiKeyService keys) {
        this.keys = keys;
        setSizeFull();

        configureGrid();
        Button create = new Button("New API key", click -> openCreator());
        create.setId("new-api-key");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new H2("API keys"), create, grid);
        refresh();
    }

    private void configureGrid() {
        grid.setId("api-keys-grid");
        grid.addColumn(ApiKeyView::id).setHeader("Id").setAutoWidth(true);
        grid.addColumn(ApiKeyView::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(key -> key.secretPrefix() + "…").setHeader("Secret starts").setAutoWidth(true);
        grid.addColumn(key -> String.join(", ", key.scope())).setHeader("Scope").setAutoWidth(true);
        grid.addColumn(key -> key.models() == null ? "all" : String.join(", ", key.models())).setHeader("Models")
                .setAutoWidth(true);
        grid.addColumn(ApiKeyView::createdBy).setHeader("Created by").setAutoWidth(true);
        grid.addColumn(key -> String.valueOf(key.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(key -> key.lastUsedAt() == null ? "never" : key.lastUsedAt().toString()).setHeader("Last used")
                .setAutoWidth(true);
        grid.addColumn(key -> key.expiresAt() == null ? "never" : key.expiresAt().toString()).setHeader("Expires")
                .setAutoWidth(true);
        grid.addComponentColumn(this::createRevokeButton).setHeader("State").setAutoWidth(true);
    }

    private com.vaadin.flow.component.Component createRevokeButton(ApiKeyView key) {
        if (key.revokedAt() != null) {
            return new Paragraph("revoked by " + key.revokedBy());
        }
        Button revoke = new Button("Revoke", click -> {
            keys.revoke(key.id(), actor(), VaadinRequest.getCurrent().getRemoteAddr());
            refresh();
        });
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return revoke;
    }

    private void refresh() {
        grid.setItems(keys.list());
    }

    private void openCreator() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New API key");
        TextField name = new TextField("Name of the client");
        CheckboxGroup<String> scope = new CheckboxGroup<>("Scope");
        scope.setItems(new TreeSet<>(Principal.SCOPES));
        TextField models = new TextField("Models (comma-separated; empty for all)");
        DateTimePicker expires = new DateTimePicker("Expires (UTC, optional)");

        Button create = new Button("Create", click -> {
            List<String> modelList = models.getValue().isBlank() ? null
                    : Arrays.stream(models.getValue().split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
            String expiresAt = expires.getValue() == null ? null : Formats.toInstant(expires.getValue()).toString();
            try {
                ApiKeyView created = keys.create(new ApiKeyRequest(name.getValue(), List.copyOf(scope.getValue()),
                        modelList, expiresAt), actor(), VaadinRequest.getCurrent().getRemoteAddr());
                dialog.close();
                showSecret(created);
                refresh();
            } catch (ApiException e) {
                Notification.show(e.getMessage());
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new VerticalLayout(name, scope, models, expires));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    private void showSecret(ApiKeyView created) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("API key " + created.id() + " created");
        TextField secret = new TextField("Secret");
        secret.setId("new-key-secret");
        secret.setValue(created.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        dialog.add(new VerticalLayout(new Paragraph("Copy the secret now: it is stored only as a hash and is not "
                + "shown again."), secret));
        dialog.getFooter().add(new Button("Done", click -> dialog.close()));
        dialog.setWidth("min(600px, 95vw)");
        dialog.open();
    }

    private static String actor() {
        return CurrentUser.get().map(CurrentUser::name).orElse("unknown");
    }
}
