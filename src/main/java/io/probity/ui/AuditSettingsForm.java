package io.probity.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import io.probity.api.ApiException;
import io.probity.audit.AuditSettingsService;
import io.probity.audit.AuditSettingsView;
import io.probity.security.CurrentUser;
import io.probity.security.Role;

/**
 * Edits the audit overrides of one model version: an absolute tolerance and a temperature that
 * replace the derived tolerance and the declared temperature. Only ops users may save.
 */
class AuditSettingsForm extends HorizontalLayout {

    private final AuditSettingsService service;
    private final NumberField tolerance = new NumberField("Tolerance override");
    private final NumberField temperature = new NumberField("Temperature override");
    private final Button save = new Button("Save settings");
    private final Span scope = new Span();
    private String model;
    private String version;

    AuditSettingsForm(AuditSettingsService service) {
        this.service = service;
        setId("audit-settings");
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        tolerance.setPlaceholder("derived from precision");
        tolerance.setClearButtonVisible(true);
        tolerance.setStep(1e-6);
        temperature.setPlaceholder("declared by each record");
        temperature.setClearButtonVisible(true);
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> save());
        boolean mayEdit = CurrentUser.get().map(user -> user.hasRole(Role.OPS)).orElse(false);
        save.setEnabled(mayEdit);
        tolerance.setReadOnly(!mayEdit);
        temperature.setReadOnly(!mayEdit);
        add(scope, tolerance, temperature, save);
    }

    /** Shows the settings of a version, or hides the form when no single version is chosen. */
    void show(String model, String version) {
        this.model = model;
        this.version = version;
        setVisible(model != null && version != null);
        if (!isVisible()) {
            return;
        }
        AuditSettingsView current = service.get(model, version);
        scope.setText("Audit settings of " + model + " " + version + ":");
        tolerance.setValue(current.toleranceOverride());
        temperature.setValue(current.temperatureOverride());
    }

    private void save() {
        String user = CurrentUser.get().map(CurrentUser::name).orElse("unknown");
        try {
            service.update(model, version, tolerance.getValue(), temperature.getValue(), user, "ui");
            Notification.show("Saved. New predictions of " + model + " " + version + " are audited with these settings.");
        } catch (ApiException e) {
            Notification.show(e.getMessage());
        }
    }
}
