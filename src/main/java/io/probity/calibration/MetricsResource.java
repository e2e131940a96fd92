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

/** {@code GET /api/v1/models/{model}/metrics}: confidence and calibration figures of a window. */
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
                                @QueryParam("histogramBins") @DefaultValue("10") String histogramBins) {
        return metricsService.compute(model, blankToNull(version), instant("from", from), instant("to", to),
                integer("bins", bins), integer("histogramBins", histogramBins));
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

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " \"" + value + "\" is not a whole number; send for example 15");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
