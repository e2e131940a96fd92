package io.probity.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.probity.analytics.AnalyticsService;
import io.probity.analytics.ModelScope;
import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code GET} and {@code PUT /api/v1/models/{model}/alert-rules?version=}: the alert rules of a
 * version, the most recently registered one when {@code version} is left out. A {@code PUT}
 * (ops role) replaces the version's rules and is recorded in the security log.
 */
@Path("/api/v1/models/{model}/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    @Inject
    AlertService alerts;

    @Inject
    AnalyticsService analytics;

    @Inject
    CurrentPrincipal caller;

    /** The rules of one version, as {@code GET} returns and {@code PUT} accepts them. */
    public record RuleSet(String model, String version, List<AlertRule> rules) {
    }

    @GET
    @ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
    public RuleSet rules(@PathParam("model") String model, @QueryParam("version") String version) {
        ModelScope scope = analytics.scope(model, AlertResource.blankToNull(version));
        return new RuleSet(scope.model(), scope.version(), alerts.rules(scope));
    }

    @PUT
    @ApiAccess(role = Role.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    public RuleSet replace(@PathParam("model") String model, @QueryParam("version") String version, JsonNode body) {
        ModelScope scope = analytics.scope(model, AlertResource.blankToNull(version));
        return new RuleSet(scope.model(), scope.version(),
                alerts.replace(scope, body, caller.get().name(), caller.address()));
    }
}
