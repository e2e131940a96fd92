package io.probity.security;

import io.probity.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rejects every call under {@code /api} that does not carry a valid {@code X-API-Key} header,
 * with a 401 JSON error. The key itself is never logged.
 */
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    public static final String HEADER = "X-API-Key";

    @Inject
    ApiKeys apiKeys;

    @ServerRequestFilter(preMatching = true)
    public Response checkKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return null;
        }
        String key = request.getHeaderString(HEADER);
        if (apiKeys.isValid(key)) {
            return null;
        }

        String reason = key == null || key.isEmpty() ? "missing" : "invalid";
        LOG.debugf("Rejected %s %s: %s API key", request.getMethod(), path, reason);
        ApiError body = new ApiError(401, "unauthorized", "The " + HEADER + " header is " + reason
                + "; send one of the keys configured in PROBITY_API_KEYS", null);
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
