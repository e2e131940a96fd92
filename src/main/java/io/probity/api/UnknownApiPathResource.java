package io.probity.api;

import io.probity.security.ApiAccess;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Returns 404 JSON for any {@code /api} path that no resource serves. Without it the request would
 * fall through to the Vaadin servlet, which is mapped at {@code /*}, and a client with a typo in its
 * URL would get 200 and an HTML page. Anonymous callers still get 401 from the auth filter first.
 */
@Path("/api/{path: .+}")
@ApiAccess(role = Role.ANALYST, scopes = {Principal.SCOPE_READ, Principal.SCOPE_INGEST, Principal.SCOPE_LABELS})
public class UnknownApiPathResource {

    @GET
    public void get(@PathParam("path") String path) {
        throw notFound(path);
    }

    @POST
    public void post(@PathParam("path") String path) {
        throw notFound(path);
    }

    @PUT
    public void put(@PathParam("path") String path) {
        throw notFound(path);
    }

    @PATCH
    public void patch(@PathParam("path") String path) {
        throw notFound(path);
    }

    @DELETE
    public void delete(@PathParam("path") String path) {
        throw notFound(path);
    }

    private static ApiException notFound(String path) {
        return ApiException.notFound("No API endpoint at /api/" + path + "; the README lists the endpoints");
    }
}
