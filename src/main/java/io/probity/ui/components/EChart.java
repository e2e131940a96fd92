package io.probity.ui.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Div;

/**
 * An Apache ECharts chart. The option object is built in Java as JSON and rendered by
 * {@code frontend/probity-charts.js}, which also maps {@code "fn:NAME"} formatter strings to
 * functions. ECharts comes from the {@code org.webjars:echarts} webjar, so no npm bundle is built.
 */
@JavaScript("context://webjars/echarts/5.5.0/echarts.min.js")
@JavaScript("context://frontend/probity-charts.js")
public class EChart extends Div {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private String optionJson;

    public EChart() {
        addClassName("probity-chart");
    }

    /** Returns a new, empty ECharts option object to fill in. */
    public static ObjectNode newOption() {
        return MAPPER.createObjectNode();
    }

    /** Shows the chart described by an ECharts option object. */
    public void setOption(ObjectNode option) {
        try {
            optionJson = MAPPER.writeValueAsString(option);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Chart option cannot be written as JSON", e);
        }
        render();
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        render();
    }

    private void render() {
        if (optionJson != null && isAttached()) {
            getElement().executeJs("window.probityCharts.render(this, $0)", optionJson);
        }
    }
}
