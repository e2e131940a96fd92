package io.probity.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** {@code /api/v1/admin/api-keys}: create, list and revoke API keys (admin only). */
@Path("/api/v1/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ADMIN)
public class AdminApiKeyResource {

    @Inject
    ApiKeyService keys;

    @Inject
    CurrentPrincipal caller;

    @GET
    public List<ApiKeyView> list() {
        return keys.list();
    }

    /** Creates a key. The response carries {@code id} and {@code secret}, which is never shown again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ApiKeyRequest request) {
        return Response.status(201).entity(keys.create(request, caller.get().name(), caller.address())).build();
    }

    @DELETE
    @Path("/{id}")
    public ApiKeyView revoke(@PathParam("id") long id) {
        return keys.revoke(id, caller.get().name(), caller.address());
    }
}
