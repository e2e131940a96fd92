package io.probity.analytics;

import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;
import io.probity.security.SecurityLog;

import io.probity.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.List;

import static io.probity.calibration.MetricsResource.blankToNull;
import static io.probity.calibration.MetricsResource.instant;

/**
 * Drift, time series, temperature advice and baseline windows of a model version. Every endpoint
 * takes {@code version} (default: the most recently registered version) and answers 404 for an
 * unknown model or version and 400 with the fix for a bad parameter. Times are ISO-8601 with an
 * offset, and windows are half-open {@code [from, to)}.
 */
@Path("/api/v1/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
public class AnalyticsResource {

    @jakarta.inject.Inject
    CurrentPrincipal caller;

    @jakarta.inject.Inject
    SecurityLog securityLog;

    private static final Logger LOG = Logger.getLogger(AnalyticsResource.class);

    @Inject
    AnalyticsService analytics;

    /** {@code GET .../drift?baselineFrom=&baselineTo=&from=&to=}; the baseline defaults to the stored one. */
    @GET
    @Path("drift")
    public DriftReport drift(@PathParam("model") String model, @QueryParam("version") String version,
                             @QueryParam("baselineFrom") String baselineFrom,
                             @QueryParam("baselineTo") String baselineTo,
                             @QueryParam("from") String from, @QueryParam("to") String to) {
        ModelScope scope = analytics.scope(model, blankToNull(version));
        return analytics.drift(scope, instant("baselineFrom", baselineFrom), instant("baselineTo", baselineTo),
                instant("from", from), instant("to", to));
    }

    /** {@code GET .../timeseries?metric=psi,ece&interval=hour|day&from=&to=}. */
    @GET
    @Path("timeseries")
    public TimeSeries timeSeries(@PathParam("model") String model, @QueryParam("version") String version,
                                 @QueryParam("metric") String metric,
                                 @QueryParam("interval") @DefaultValue("hour") String interval,
                                 @QueryParam("from") String from, @QueryParam("to") String to) {
        List<String> metrics = metric == null ? List.of()
                : Arrays.stream(metric.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        ModelScope scope = analytics.scope(model, blankToNull(version));
        return analytics.timeSeries(scope, metrics, interval.trim(), instant("from", from), instant("to", to));
    }

    /** {@code GET .../temperature?from=&to=}. */
    @GET
    @Path("temperature")
    public TemperatureAdvice temperature(@PathParam("model") String model, @QueryParam("version") String version,
                                         @QueryParam("from") String from, @QueryParam("to") String to) {
        ModelScope scope = analytics.scope(model, blankToNull(version));
        return analytics.temperature(scope, instant("from", from), instant("to", to));
    }

    /** {@code GET .../baseline?version=}. */
    @GET
    @Path("baseline")
    public BaselineWindow baseline(@PathParam("model") String model, @QueryParam("version") String version) {
        return analytics.baseline(analytics.scope(model, blankToNull(version)));
    }

    /** {@code PUT .../baseline?version=} with {@code {"from": ..., "to": ...}}. */
    @PUT
    @Path("baseline")
    @ApiAccess(role = Role.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    public BaselineWindow setBaseline(@PathParam("model") String model, @QueryParam("version") String version,
                                      BaselineUpdate update) {
        if (update == null) {
            throw ApiException.badRequest("the request body is missing; send "
                    + "{\"from\":\"2026-06-01T00:00:00Z\",\"to\":\"2026-06-08T00:00:00Z\"}");
        }
        ModelScope scope = analytics.scope(model, blankToNull(version));
        String actor = caller.get().name();
        BaselineWindow stored = analytics.setBaseline(scope, instant("from", update.from()), instant("to", update.to()),
                actor);
        securityLog.record(actor, caller.address(), "baseline-changed", model + "/" + scope.version(),
                java.util.Map.of("from", String.valueOf(stored.from()), "to", String.valueOf(stored.to())));
        LOG.infof("Baseline of model %s version %s set to [%s, %s) by %s", model, scope.version(),
                stored.from(), stored.to(), actor);
        return stored;
    }

    /** The body of {@code PUT .../baseline}. */
    public record BaselineUpdate(String from, String to) {
    }
}
