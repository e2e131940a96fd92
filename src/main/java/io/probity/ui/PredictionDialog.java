package io.probity.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.probity.model.PredictionDetail;
import io.probity.ui.components.ChartOptions;
import io.probity.ui.components.EChart;

import java.util.List;

/**
 * Detail of one prediction: the audit in words, reported and recomputed probabilities side by
 * side, the logits, and the stored record as JSON. All user-supplied text is set as text, never
 * as HTML.
 */
class PredictionDialog extends Dialog {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    PredictionDialog(PredictionDetail detail) {
        setHeaderTitle("Prediction " + detail.predictionId());
        setWidth("min(900px, 95vw)");

        VerticalLayout content = new VerticalLayout(createSummary(detail), createChart(detail), createRawJson(detail));
        content.setPadding(false);
        add(content);
        getFooter().add(new Button("Close", click -> close()));
    }

    private static VerticalLayout createSummary(PredictionDetail detail) {
        PredictionDetail.AuditDetail audit = detail.audit();
        Span verdict = new Span("Audit: " + audit.verdict()
                + (audit.causes().isEmpty() ? "" : " (" + String.join(", ", audit.causes()) + ")"));
        verdict.addClassName("probity-verdict-" + audit.verdict());
        verdict.setId("audit-verdict");
        Paragraph explanation = new Paragraph(audit.explanation() == null ? "" : audit.explanation());
        explanation.setId("audit-explanation");
        Paragraph facts = new Paragraph("Model " + detail.model() + " version " + detail.modelVersion()
                + " · " + Formats.time(detail.timestamp()) + " · temperature " + detail.temperature()
                + " · predicted " + orDash(detail.predictedClass()) + " · label " + orDash(detail.label())
                + " · max |reported − recomputed| " + (audit.maxAbsDiff() == null ? "–"
                : String.format(java.util.Locale.ROOT, "%.3g", audit.maxAbsDiff())));
        VerticalLayout summary = new VerticalLayout(verdict, explanation, facts);
        summary.setPadding(false);
        summary.setSpacing(false);
        return summary;
    }

    private static EChart createChart(PredictionDetail detail) {
        EChart chart = new EChart();
        chart.setId("prediction-chart");
        chart.setOption(ChartOptions.probabilityBars("Reported and recomputed probabilities", detail.classes(),
                List.of("Reported", "Recomputed"), java.util.Arrays.asList(detail.probabilities(), detail.recomputed())));
        return chart;
    }

    private static Pre createRawJson(PredictionDetail detail) {
        Pre raw = new Pre();
        raw.addClassName("probity-code");
        try {
            raw.setText(JSON.writeValueAsString(detail));
        } catch (JsonProcessingException e) {
            raw.setText("The record cannot be shown as JSON: " + e.getOriginalMessage());
        }
        return raw;
    }

    private static String orDash(String value) {
        return value == null ? "–" : value;
    }
}
