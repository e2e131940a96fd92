package io.probity.security;

import io.probity.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /api/v1/admin/security-events}: the security log, newest first (admin only). */
@Path("/api/v1/admin/security-events")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ADMIN)
public class SecurityEventResource {

    @Inject
    SecurityLog log;

    @GET
    public List<SecurityLog.Event> list(@QueryParam("offset") @DefaultValue("0") int offset,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw ApiException.badRequest("offset must be at least 0 and limit from 1 to 1000; got offset " + offset
                    + " and limit " + limit);
        }
        return log.list(offset, limit);
    }
}
