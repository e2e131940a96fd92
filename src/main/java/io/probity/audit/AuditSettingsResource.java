package io.probity.audit;

import io.probity.api.ApiException;
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
import jakarta.ws.rs.core.MediaType;

/** {@code GET}/{@code PUT /api/v1/models/{model}/versions/{version}/audit-settings}: per-version audit overrides. */
@Path("/api/v1/models/{model}/versions/{version}/audit-settings")
@Produces(MediaType.APPLICATION_JSON)
public class AuditSettingsResource {

    @Inject
    AuditSettingsService settings;

    @Inject
    CurrentPrincipal caller;

    @GET
    @ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
    public AuditSettingsView get(@PathParam("model") String model, @PathParam("version") String version) {
        return settings.get(model, version);
    }

    @PUT
    @ApiAccess(role = Role.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    public AuditSettingsView put(@PathParam("model") String model, @PathParam("version") String version,
                                 AuditSettingsView body) {
        if (body == null) {
            throw ApiException.badRequest("Request body is empty; send {\"toleranceOverride\": number or null, "
                    + "\"temperatureOverride\": number or null}");
        }
        return settings.update(model, version, body.toleranceOverride(), body.temperatureOverride(), caller.get().name(), caller.address());
    }
}
