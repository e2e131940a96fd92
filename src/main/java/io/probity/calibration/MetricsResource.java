package io.probity.calibration;

import io.probity.api.ApiException;
import io.probity.security.ApiAccess;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/v1/models/{model}/metrics}: confidence and calibration figures of a window.
 *
 * <p>Query parameters: {@code version}, {@code from}, {@code to} (ISO-8601 with offset, window
 * {@code [from, to)}), {@code bins} (reliability bins, default 15), {@code histogramBins} (default
 * 10), {@code binning} ({@code width} or {@code mass}), {@code class} (a predicted class name),
 * {@code classwise} ({@code true} adds the classwise ECE), {@code bootstrap} (resamples for the
 * ECE interval, default 0 for none) and {@code perClass} ({@code true} adds histograms per
 * predicted class).
 */
@Path("/api/v1/models/{model}/metrics")
@ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
public class MetricsResource {

    @Inject
    MetricsService metricsService;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ModelMetrics metrics(@PathParam("model") String model, @QueryParam("version") String version,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("bins") @DefaultValue("15") String bins,
                                @QueryParam("histogramBins") @DefaultValue("10") String histogramBins,
                                @QueryParam("binning") @DefaultValue("width") String binning,
                                @QueryParam("class") String className,
                                @QueryParam("classwise") @DefaultValue("false") String classwise,
                                @QueryParam("bootstrap") @DefaultValue("0") String bootstrap,
                                @QueryParam("perClass") @DefaultValue("false") String perClass) {
        return metricsService.compute(new MetricsService.Request(model, blankToNull(version), instant("from", from),
                instant("to", to), integer("bins", bins), integer("histogramBins", histogramBins), binning.trim(),
                blankToNull(className), bool("classwise", classwise), integer("bootstrap", bootstrap),
                bool("perClass", perClass)));
    }

    /** Parses an ISO-8601 date-time query parameter; null when absent. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " \"" + value + "\" is not an ISO-8601 date-time with an offset; "
                    + "send for example 2026-06-01T00:00:00Z");
        }
    }

    /** Parses a whole-number query parameter. */
    public static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " \"" + value + "\" is not a whole number; send for example 15");
        }
    }

    /** Parses a {@code true}/{@code false} query parameter. */
    public static boolean bool(String name, String value) {
        String trimmed = value.trim();
        if ("true".equalsIgnoreCase(trimmed)) {
            return true;
        }
        if ("false".equalsIgnoreCase(trimmed)) {
            return false;
        }
        throw ApiException.badRequest(name + " \"" + value + "\" is not a boolean; send true or false");
    }

    /** Returns null for an absent or blank parameter. */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
