package io.probity.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.server.StreamResource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Small components shared by the model page's sections: metric cards and CSV download links. */
final class Widgets {

    private Widgets() {
    }

    /** Creates a card with a large value, a label and an optional detail line such as an interval. */
    static Div card(String label, String value, String detail) {
        Span valueText = new Span(value);
        valueText.addClassName("probity-card-value");
        Span labelText = new Span(label);
        labelText.addClassName("probity-card-label");
        Div card = new Div(valueText, new Div(labelText));
        if (detail != null) {
            Span detailText = new Span(detail);
            detailText.addClassName("probity-card-label");
            card.add(new Div(detailText));
        }
        card.addClassName("probity-card");
        return card;
    }

    /** Wraps a chart and its download link in a full-width block, so the chart fills the page width. */
    static Div block(Component... components) {
        Div block = new Div(components);
        block.setWidthFull();
        return block;
    }

    /** Creates a link that downloads the CSV that {@code csv} builds when the link is followed. */
    static Anchor csvDownload(String id, String fileName, Supplier<String> csv) {
        StreamResource resource = new StreamResource(fileName,
                () -> new ByteArrayInputStream(csv.get().getBytes(StandardCharsets.UTF_8)));
        resource.setContentType("text/csv; charset=utf-8");
        Anchor anchor = new Anchor(resource, "Download CSV");
        anchor.getElement().setAttribute("download", true);
        anchor.setId(id);
        return anchor;
    }
}
