package io.probity.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * Figures of {@code GET /api/v1/models/{model}/timeseries}: one point per UTC hour or day of the
 * window that has predictions.
 *
 * @param metrics the requested metric names, in request order
 * @param baselineValues each metric over the whole baseline window, for a reference band
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeSeries(String model, String version, String interval, String from, String to,
                         List<String> metrics, BaselineWindow baseline, Map<String, Double> baselineValues,
                         List<Point> points) {

    /**
     * One bucket. {@code values} maps each requested metric to its value, or to null where the
     * bucket lacks the data (for example accuracy without labels).
     */
    public record Point(String start, long count, long labelledCount, Map<String, Double> values) {
    }
}
