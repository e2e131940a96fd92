package io.probity.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import io.probity.alerts.Alert;
import io.probity.alerts.AlertMetric;
import io.probity.alerts.AlertService;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.ModelScope;
import io.probity.api.ApiException;
import io.probity.api.FieldError;
import io.probity.model.ModelQueryService;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts of a model: each rule with its state, last value and a link to the model page showing
 * the window that was judged, the selected alert's transitions and webhook deliveries, and for
 * the ops role an editor of the rules of a version (the JSON body of
 * {@code PUT /api/v1/models/{model}/alert-rules}, validated the same way).
 */
@Route(value = "alerts", layout = MainLayout.class)
@PageTitle("Alerts | Probity")
@RolesAllowed({Role.ANALYST, Role.REVIEWER, Role.OPS, Role.ADMIN})
public class AlertsView extends VerticalLayout implements BeforeEnterObserver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertService alerts;
    private final AnalyticsService analytics;
    private final ModelQueryService models;

    private final ComboBox<String> model = new ComboBox<>("Model");
    private final ComboBox<String> version = new ComboBox<>("Version");
    private final Grid<Alert> alertGrid = new Grid<>(Alert.class, false);
    private final Grid<Alert.Transition> transitions = new Grid<>(Alert.Transition.class, false);
    private final Grid<Alert.Delivery> deliveries = new Grid<>(Alert.Delivery.class, false);
    private final TextArea editor = new TextArea("Rules of the version (JSON)");
    private final Pre errors = new Pre();
    private final VerticalLayout editorSection = new VerticalLayout();

    @Inject
    public AlertsView(AlertService alerts, AnalyticsService analytics, ModelQueryService models) {
        this.alerts = alerts;
        this.analytics = analytics;
        this.models = models;
        setWidthFull();

        model.setId("alerts-model");
        version.setId("alerts-version");
        model.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                updateVersions();
                load();
            }
        });
        version.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                load();
            }
        });
        HorizontalLayout selection = new HorizontalLayout(model, version);
        selection.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        configureAlertGrid();
        configureHistory();

        editor.setId("alerts-editor");
        editor.setWidthFull();
        editor.setMinHeight("12em");
        editor.addClassName("probity-code");
        errors.setId("alerts-errors");
        errors.addClassName("probity-verdict-fail");
        Button save = new Button("Save rules", click -> save());
        save.setId("alerts-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        editorSection.setPadding(false);
        editorSection.add(new H3("Rules"), new Paragraph("Metrics: " + AlertMetric.apiNames()
                + ". comparison is above or below, window an ISO-8601 duration of event time ending at the newest "
                + "prediction (PT24H), minCount the fewest predictions (labelled ones for ece and accuracy) to judge, "
                + "webhook an optional http(s) URL. A rule sent again unchanged keeps its state."), editor, errors, save);

        add(new H2("Alerts"), selection, alertGrid, new H3("Transitions of the selected alert"), transitions,
                new H3("Webhook deliveries of the selected alert"), deliveries, editorSection);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        CurrentUser user = CurrentUser.get().orElse(null);
        model.setItems(ModelChoices.visibleModels(models));
        Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
        String requestedModel = first(query, "model");
        model.setValue(user != null && requestedModel != null && user.mayAccessModel(requestedModel)
                ? requestedModel : null);
        updateVersions();
        String requested = first(query, "version");
        if (requested != null) {
            version.setValue(requested);
        }
        editorSection.setVisible(user != null && (user.hasRole(Role.OPS) || user.hasRole(Role.ADMIN)));
        load();
    }

    private void updateVersions() {
        List<String> versions = ModelChoices.versions(models, model.getValue());
        version.setItems(versions);
        version.setValue(versions.isEmpty() ? null : versions.get(versions.size() - 1));
    }

    private void load() {
        errors.setText("");
        Map<String, Optional<String>> url = new LinkedHashMap<>();
        url.put("model", model.getOptionalValue());
        url.put("version", version.getOptionalValue());
        UrlState.replace(this, "alerts", url);
        transitions.setItems(List.of());
        deliveries.setItems(List.of());
        boolean allowed = ModelChoices.isVisible(model.getValue());
        if (!allowed || version.getValue() == null) {
            alertGrid.setItems(List.of());
            editor.clear();
            return;
        }
        alertGrid.setItems(alerts.alerts(model.getValue()).stream()
                .filter(alert -> alert.version().equals(version.getValue())).toList());
        ModelScope scope = analytics.scope(model.getValue(), version.getValue());
        try {
            editor.setValue(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    Map.of("rules", alerts.rules(scope).stream().map(rule -> {
                        Map<String, Object> fields = new LinkedHashMap<>();
                        fields.put("metric", rule.metric());
                        fields.put("comparison", rule.comparison());
                        fields.put("threshold", rule.threshold());
                        fields.put("window", rule.window());
                        fields.put("minCount", rule.minCount());
                        if (rule.webhook() != null) {
                            fields.put("webhook", rule.webhook());
                        }
                        return fields;
                    }).toList())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to encode the alert rules", e);
        }
    }

    private void save() {
        errors.setText("");
        if (model.getValue() == null || version.getValue() == null) {
            errors.setText("Choose a model and version first.");
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(editor.getValue());
        } catch (JsonProcessingException e) {
            errors.setText("The rules are not valid JSON: " + e.getOriginalMessage());
            return;
        }
        CurrentUser user = CurrentUser.get().orElseThrow(() -> new IllegalStateException("No signed-in user"));
        try {
            ModelScope scope = analytics.scope(model.getValue(), version.getValue());
            int saved = alerts.replace(scope, body, user.name(), VaadinRequest.getCurrent().getRemoteAddr()).size();
            Notification.show("Saved " + saved + " alert rules");
            load();
        } catch (ApiException e) {
            StringBuilder text = new StringBuilder(e.getMessage());
            for (FieldError detail : e.details()) {
                text.append('\n').append(detail.field()).append(' ').append(detail.message());
            }
            errors.setText(text.toString());
        }
    }

    private void configureAlertGrid() {
        alertGrid.setId("alerts-grid");
        alertGrid.setAllRowsVisible(true);
        alertGrid.addColumn(alert -> alert.rule().metric() + " " + alert.rule().comparison() + " "
                + alert.rule().threshold() + " over " + alert.rule().window()).setHeader("Rule").setAutoWidth(true);
        alertGrid.addColumn(alert -> alert.active() ? alert.state() : alert.state() + " (rule removed)")
                .setHeader("State").setAutoWidth(true);
        alertGrid.addColumn(alert -> alert.value() == null ? "–" : String.format("%.4f", alert.value()))
                .setHeader("Value").setAutoWidth(true);
        alertGrid.addColumn(alert -> alert.count() == null ? "–" : alert.count().toString())
                .setHeader("Count").setAutoWidth(true);
        alertGrid.addColumn(alert -> alert.windowEnd() == null ? "–" : alert.windowEnd())
                .setHeader("Window end").setAutoWidth(true);
        alertGrid.addColumn(alert -> alert.changedAt() == null ? "–" : alert.changedAt())
                .setHeader("State since").setAutoWidth(true);
        alertGrid.addComponentColumn(alert -> new Anchor(relative(alert.link()), "Chart"))
                .setHeader("Explain").setAutoWidth(true);
        alertGrid.asSingleSelect().addValueChangeListener(change -> {
            Alert alert = change.getValue();
            transitions.setItems(alert == null ? List.of() : alert.transitions());
            deliveries.setItems(alert == null ? List.of() : alert.deliveries());
        });
    }

    private void configureHistory() {
        transitions.setId("alerts-transitions");
        transitions.setAllRowsVisible(true);
        transitions.addColumn(Alert.Transition::at).setHeader("At").setAutoWidth(true);
        transitions.addColumn(t -> t.from() + " → " + t.to()).setHeader("Change").setAutoWidth(true);
        transitions.addColumn(t -> t.windowEnd() == null ? "–" : t.windowEnd()).setHeader("Window end")
                .setAutoWidth(true);
        transitions.addColumn(Alert.Transition::reason).setHeader("Reason");
        deliveries.setId("alerts-deliveries");
        deliveries.setAllRowsVisible(true);
        deliveries.addColumn(Alert.Delivery::at).setHeader("At").setAutoWidth(true);
        deliveries.addColumn(Alert.Delivery::attempt).setHeader("Attempt").setAutoWidth(true);
        deliveries.addColumn(Alert.Delivery::url).setHeader("URL").setAutoWidth(true);
        deliveries.addColumn(d -> d.succeeded() ? "delivered" : d.error()).setHeader("Result");
    }

    /** Returns the path and query of a link, so the page links within the server that serves it. */
    private static String relative(String link) {
        URI uri = URI.create(link);
        return uri.getRawPath().substring(1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
