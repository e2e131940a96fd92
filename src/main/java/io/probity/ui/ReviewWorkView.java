package io.probity.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.probity.api.ApiException;
import io.probity.model.ModelQueryService;
import io.probity.model.PredictionDetail;
import io.probity.review.ReviewActor;
import io.probity.review.ReviewActors;
import io.probity.review.ReviewItem;
import io.probity.review.ReviewQueries;
import io.probity.review.ReviewService;
import io.probity.security.CurrentUser;
import io.probity.security.Role;
import io.probity.ui.components.ChartOptions;
import io.probity.ui.components.EChart;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reviewer's screen: one claimed item at a time with its class probabilities, logits, audit
 * and attributes, and one button per class. Keys 1–9 choose the first nine classes and 0 the
 * tenth; S skips, E escalates and U undoes the last decision made here. After each decision the
 * next item is claimed and shown in place. {@code ?model=&version=} restrict the queue, and
 * {@code ?item=} starts with a chosen item. Opening the screen again resumes an item the user
 * still holds.
 */
@Route(value = "review/work", layout = MainLayout.class)
@PageTitle("Review | Probity")
@RolesAllowed({Role.REVIEWER, Role.OPS, Role.ADMIN})
@JavaScript("context://frontend/probity-review.js")
public class ReviewWorkView extends VerticalLayout implements BeforeEnterObserver {

    private static final String[] CLASS_KEYS = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};

    private final ReviewService reviews;
    private final ReviewQueries queries;
    private final ModelQueryService models;

    private final H2 title = new H2("Review");
    private final Span itemLine = new Span();
    private final Paragraph empty = new Paragraph();
    private final EChart chart = new EChart();
    private final Span logits = new Span();
    private final Span audit = new Span();
    private final Div attributes = new Div();
    private final FlexLayout classButtons = new FlexLayout();
    private final FlexLayout otherButtons = new FlexLayout();
    private final TextField note = new TextField("Note (optional)");
    private final VerticalLayout itemPanel = new VerticalLayout();
    private final VerticalLayout detailPanel = new VerticalLayout();

    private String model;
    private String version;
    private ReviewItem current;
    private Long lastDecided;

    @Inject
    public ReviewWorkView(ReviewService reviews, ReviewQueries queries, ModelQueryService models) {
        this.reviews = reviews;
        this.queries = queries;
        this.models = models;
        setWidthFull();

        itemLine.setId("review-item");
        empty.setId("review-empty");
        chart.setId("review-chart");
        logits.setId("review-logits");
        logits.addClassName("probity-code");
        audit.setId("review-audit");
        attributes.setId("review-attributes");
        attributes.addClassName("probity-code");
        classButtons.setId("review-classes");
        for (FlexLayout buttons : List.of(classButtons, otherButtons)) {
            buttons.setFlexWrap(FlexLayout.FlexWrap.WRAP);
            buttons.getStyle().set("gap", "var(--lumo-space-s)");
        }
        note.setId("review-note");
        note.setMaxLength(ReviewService.MAX_NOTE_LENGTH);
        note.setWidth("min(40em, 100%)");

        chart.setHeight("240px");
        itemPanel.setPadding(false);
        itemPanel.add(itemLine, label("True class"), classButtons, note);
        detailPanel.setPadding(false);
        detailPanel.add(chart, label("Logits"), logits, label("Audit"), audit, label("Attributes"), attributes);
        add(title, empty, itemPanel, otherButtons, detailPanel);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        attachEvent.getUI().getPage().executeJs("window.probityReview && window.probityReview.install()");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
        model = first(query, "model");
        version = first(query, "version");
        CurrentUser user = CurrentUser.get().orElseThrow();
        if (user.models() != null && (model == null || !user.mayAccessModel(model))) {
            // TODO: claiming across several allowed models needs a model list in the claim query, so
            // until then a model-limited reviewer works one of their models at a time.
            if (model != null || user.models().isEmpty()) {
                event.rerouteToError(com.vaadin.flow.router.NotFoundException.class);
                return;
            }
            model = user.models().stream().sorted().findFirst().orElseThrow();
        }
        String itemId = first(query, "item");
        if (itemId != null) {
            try {
                show(reviews.claim(actor(), Long.parseLong(itemId)));
                return;
            } catch (NumberFormatException e) {
                Notification.show("Item \"" + itemId + "\" is not a number; showing the next item instead");
            } catch (ApiException e) {
                Notification.show(e.getMessage());
            }
        }
        Optional<ReviewItem> held = queries.heldBy(actor().name(), model, version);
        if (held.isPresent()) {
            show(held.get());
        } else {
            showNext();
        }
    }

    private void showNext() {
        Optional<ReviewItem> next = reviews.claimNext(actor(), model, version);
        if (next.isPresent()) {
            show(next.get());
        } else {
            current = null;
            itemPanel.setVisible(false);
            detailPanel.setVisible(false);
            empty.setVisible(true);
            empty.setText("No item is waiting" + (model == null ? "" : " for model " + model)
                    + ". Press U to undo your last decision, or come back later.");
            otherButtons.removeAll();
            otherButtons.add(undoButton());
        }
    }

    private void show(ReviewItem item) {
        current = item;
        empty.setVisible(false);
        itemPanel.setVisible(true);
        detailPanel.setVisible(true);
        note.clear();

        title.setText("Review " + item.model() + " / " + item.version());
        itemLine.setText("Item " + item.id() + " · prediction " + item.predictionId() + " · queued by " + item.rule()
                + " (priority " + item.priority() + ") " + age(item.createdAt()) + " ago · predicted "
                + (item.topClass() == null ? "–" : item.topClass()) + " at " + Formats.percent(item.confidence())
                + " · yours until " + Formats.time(item.leaseExpiresAt()));

        PredictionDetail detail = models.findPrediction(item.model(), item.predictionId()).orElse(null);
        chart.setOption(ChartOptions.probabilityBars("Class probabilities", item.classes(), List.of("Probability"),
                Collections.singletonList(item.probabilities())));
        logits.setText(formatLogits(item.classes(), detail == null ? null : detail.logits()));
        audit.setText(formatAudit(item, detail));
        attributes.setText(formatAttributes(detail == null ? null : detail.attributes()));

        // New buttons for every item, so that a key pressed twice never decides the next item.
        classButtons.removeAll();
        for (int i = 0; i < item.classes().size(); i++) {
            String className = item.classes().get(i);
            String key = i < CLASS_KEYS.length ? CLASS_KEYS[i] : null;
            Button choose = shortcutButton(key, className, () -> decide(() -> reviews.resolve(actor(), item.id(),
                    className, note.getValue()), "Item " + item.id() + " resolved as " + className));
            choose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            classButtons.add(choose);
        }
        otherButtons.removeAll();
        otherButtons.add(
                shortcutButton("s", "Skip", () -> decide(() -> reviews.skip(actor(), item.id(), note.getValue()),
                        "Item " + item.id() + " skipped")),
                shortcutButton("e", "Escalate to ops", () -> decide(() -> reviews.escalate(actor(), item.id(),
                        note.getValue()), "Item " + item.id() + " escalated")),
                undoButton(),
                new Button("Release and stop", click -> releaseAndLeave(item)));
    }

    private Button undoButton() {
        return shortcutButton("u", "Undo last decision", this::undo);
    }

    private Button shortcutButton(String key, String text, Runnable action) {
        Button button = new Button(text, click -> action.run());
        if (key != null) {
            Span keycap = new Span(key.toUpperCase(Locale.ROOT));
            keycap.addClassName("probity-kbd");
            button.setPrefixComponent(keycap);
            button.getElement().setAttribute("data-shortcut", key);
        }
        return button;
    }

    private void decide(Runnable decision, String message) {
        long decided = current.id();
        try {
            decision.run();
            lastDecided = decided;
            Notification.show(message, 1500, Notification.Position.BOTTOM_START);
        } catch (ApiException e) {
            Notification.show(e.getMessage());
        }
        showNext();
    }

    private void undo() {
        if (lastDecided == null) {
            Notification.show("There is no decision to undo on this screen");
            return;
        }
        ReviewItem previous = current;
        try {
            ReviewItem restored = reviews.undo(actor(), lastDecided);
            lastDecided = null;
            if (previous != null) {
                reviews.release(actor(), previous.id());
            }
            Notification.show("Item " + restored.id() + " is back; decide again", 1500, Notification.Position.BOTTOM_START);
            show(restored);
        } catch (ApiException e) {
            Notification.show(e.getMessage());
        }
    }

    private void releaseAndLeave(ReviewItem item) {
        try {
            reviews.release(actor(), item.id());
        } catch (ApiException e) {
            Notification.show(e.getMessage());
        }
        getUI().ifPresent(ui -> ui.navigate(ReviewView.class));
    }

    private static ReviewActor actor() {
        return ReviewActors.of(CurrentUser.get().orElseThrow(() -> new IllegalStateException("No signed-in user")));
    }

    private static Span label(String text) {
        Span span = new Span(text);
        span.addClassName("probity-card-label");
        return span;
    }

    static String formatLogits(List<String> classes, double[] values) {
        if (values == null) {
            return "none reported";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append("   ");
            }
            text.append(i < classes.size() ? classes.get(i) : "#" + i).append(": ")
                    .append(String.format(Locale.ROOT, "%.4f", values[i]));
        }
        return text.toString();
    }

    private static String formatAudit(ReviewItem item, PredictionDetail detail) {
        String causes = item.auditCauses().isEmpty() ? "" : " (" + String.join(", ", item.auditCauses()) + ")";
        String explanation = detail == null || detail.audit() == null || detail.audit().explanation() == null
                ? "" : ". " + detail.audit().explanation();
        return item.auditVerdict() + causes + explanation;
    }

    private static String formatAttributes(JsonNode attributes) {
        if (attributes == null || attributes.isNull() || attributes.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            text.append(field.getKey()).append(": ").append(value.isTextual() ? value.asText() : value.toString())
                    .append('\n');
        }
        return text.toString().strip();
    }

    static String age(Instant since) {
        Duration age = Duration.between(since, Instant.now());
        if (age.toDays() > 0) {
            return age.toDays() + " d " + age.toHoursPart() + " h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min";
        }
        return Math.max(0, age.toMinutes()) + " min";
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
