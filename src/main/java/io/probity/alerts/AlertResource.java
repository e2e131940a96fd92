package io.probity.alerts;

import io.probity.analytics.AnalyticsService;
import io.probity.analytics.ModelScope;
import io.probity.api.ApiException;
import io.probity.security.ApiAccess;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** {@code /api/v1/alerts?model=}: the alerts of a model, and an evaluation on request. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    @Inject
    AlertService alerts;

    @Inject
    AnalyticsService analytics;

    /** Returns every alert of a model, with its rule, state, value, transitions and deliveries. */
    @GET
    @ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
    public List<Alert> list(@QueryParam("model") String model) {
        analytics.scope(requireModel(model), null);
        return alerts.alerts(model);
    }

    /**
     * Evaluates the active rules of a version now, as the scheduler does, and returns the model's
     * alerts. Each call counts as one evaluation of the state machine.
     */
    @POST
    @Path("/evaluate")
    @ApiAccess(role = Role.OPS)
    public List<Alert> evaluate(@QueryParam("model") String model, @QueryParam("version") String version) {
        ModelScope scope = analytics.scope(requireModel(model), blankToNull(version));
        alerts.evaluateVersion(scope.versionId(), Instant.now());
        return alerts.alerts(model);
    }

    private static String requireModel(String model) {
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("model is missing; send ?model=NAME");
        }
        return model;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
