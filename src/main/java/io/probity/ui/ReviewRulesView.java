package io.probity.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
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
import io.probity.api.ApiException;
import io.probity.api.FieldError;
import io.probity.model.ModelQueryService;
import io.probity.review.ReviewActors;
import io.probity.review.ReviewRuleService;
import io.probity.review.ReviewRuleSet;
import io.probity.review.RuleType;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Editor of a model version's review routing rules, for the ops role. The rules are edited as
 * the JSON body of {@code PUT /api/v1/models/{model}/review-rules} and validated the same way;
 * each save stores a new revision, listed below with its author. {@code ?model=&version=} are
 * kept in the URL.
 */
@Route(value = "review/rules", layout = MainLayout.class)
@PageTitle("Review rules | Probity")
@RolesAllowed({Role.OPS, Role.ADMIN})
public class ReviewRulesView extends VerticalLayout implements BeforeEnterObserver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReviewRuleService rules;
    private final ModelQueryService models;

    private final ComboBox<String> model = new ComboBox<>("Model");
    private final ComboBox<String> version = new ComboBox<>("Version");
    private final Paragraph status = new Paragraph();
    private final TextArea editor = new TextArea("Rules (JSON)");
    private final Pre errors = new Pre();
    private final Grid<ReviewRuleSet> revisions = new Grid<>(ReviewRuleSet.class, false);

    @Inject
    public ReviewRulesView(ReviewRuleService rules, ModelQueryService models) {
        this.rules = rules;
        this.models = models;
        setWidthFull();

        model.setId("rules-model");
        version.setId("rules-version");
        status.setId("rules-status");
        editor.setId("rules-editor");
        editor.setWidthFull();
        editor.setMinHeight("16em");
        editor.addClassName("probity-code");
        errors.setId("rules-errors");
        errors.addClassName("probity-verdict-fail");
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
        Button save = new Button("Save as new revision", click -> save());
        save.setId("rules-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout selection = new HorizontalLayout(model, version);
        selection.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        configureRevisions();
        add(new H2("Review routing rules"), new Paragraph("Rule types: " + RuleType.jsonNames()
                        + ". Each takes a threshold from 0 to 1 (auditFailed takes none), classProbabilityAbove also a "
                        + "class, and any rule an optional priority from 0 to 1000. sampleFraction sends that fraction of "
                        + "the other unlabelled predictions to review at random. Changes apply to predictions ingested "
                        + "after saving."),
                selection, status, editor, errors, save, new H3("Revisions"), revisions);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        model.setItems(ModelChoices.visibleModels(models));
        Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
        String requestedModel = first(query, "model");
        model.setValue(ModelChoices.isVisible(requestedModel) ? requestedModel : null);
        updateVersions();
        String requested = first(query, "version");
        if (requested != null) {
            version.setValue(requested);
        }
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
        UrlState.replace(this, "review/rules", url);
        if (!ModelChoices.isVisible(model.getValue()) || version.getValue() == null) {
            status.setText("Choose a model and version.");
            editor.clear();
            revisions.setItems(List.of());
            return;
        }
        ReviewRuleSet current = rules.current(model.getValue(), version.getValue());
        status.setText(current.builtInDefault()
                ? "No rules stored: the built-in default routes this version."
                : "Revision " + current.revision() + " by " + current.createdBy() + " at "
                + Formats.time(current.createdAt()) + " routes this version.");
        editor.setValue(ReviewRuleService.toEditableJson(current));
        revisions.setItems(rules.revisions(model.getValue(), version.getValue()));
    }

    private void save() {
        errors.setText("");
        if (!ModelChoices.isVisible(model.getValue()) || version.getValue() == null) {
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
            ReviewRuleSet saved = rules.replace(model.getValue(), version.getValue(), body, ReviewActors.of(user));
            Notification.show("Saved revision " + saved.revision());
            load();
        } catch (ApiException e) {
            StringBuilder text = new StringBuilder(e.getMessage());
            for (FieldError detail : e.details()) {
                text.append('\n').append(detail.field()).append(' ').append(detail.message());
            }
            errors.setText(text.toString());
        }
    }

    private void configureRevisions() {
        revisions.setId("rules-revisions");
        revisions.setAllRowsVisible(true);
        revisions.addColumn(ReviewRuleSet::revision).setHeader("Revision").setAutoWidth(true);
        revisions.addColumn(ReviewRuleSet::createdBy).setHeader("By").setAutoWidth(true);
        revisions.addColumn(set -> Formats.time(set.createdAt())).setHeader("At").setAutoWidth(true);
        revisions.addColumn(ReviewRuleSet::sampleFraction).setHeader("Sample fraction").setAutoWidth(true);
        revisions.addColumn(set -> {
            try {
                return JSON.writeValueAsString(set.rules());
            } catch (JsonProcessingException e) {
                return "(rules cannot be shown)";
            }
        }).setHeader("Rules");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
