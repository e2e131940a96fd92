package io.probity.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** {@code /api/v1/admin/users}: create, list and change users (admin only). */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ADMIN)
public class AdminUserResource {

    @Inject
    UserService users;

    @Inject
    CurrentPrincipal caller;

    @GET
    public List<UserView> list() {
        return users.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(UserRequest request) {
        UserView created = users.create(request, caller.get().name(), caller.address());
        return Response.status(201).entity(created).build();
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView update(@PathParam("name") String name, UserRequest patch) {
        return users.update(name, patch, caller.get().name(), caller.address());
    }
}
