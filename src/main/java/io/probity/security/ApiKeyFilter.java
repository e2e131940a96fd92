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
 * with a 401 JSON error. The key itself is never logged. Review endpoints also accept HTTP Basic
 * credentials of a user in place of the key.
 */
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    public static final String HEADER = "X-API-Key";

    @Inject
    ApiKeys apiKeys;

    @Inject
    BasicAuthentication basicAuthentication;

    @ServerRequestFilter(preMatching = true)
    public Response checkKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return null;
        }
        String authorization = request.getHeaderString("Authorization");
        if (BasicAuthentication.isBasic(authorization) && isReviewPath(path)) {
            if (basicAuthentication.authenticate(authorization).isPresent()) {
                return null;
            }
            return unauthorized("The Basic credentials are invalid; send the user name and password of a Probity user");
        }
        String key = request.getHeaderString(HEADER);
        if (apiKeys.isValid(key)) {
            return null;
        }

        String reason = key == null || key.isEmpty() ? "missing" : "invalid";
        LOG.debugf("Rejected %s %s: %s API key", request.getMethod(), path, reason);
        return unauthorized("The " + HEADER + " header is " + reason
                + "; send one of the keys configured in PROBITY_API_KEYS");
    }

    /** Returns whether a path belongs to the review queue or review rules API. */
    static boolean isReviewPath(String path) {
        return path.startsWith("/api/v1/review/")
                || path.matches("/api/v1/models/[^/]+/review-(rules|metrics)(/.*)?");
    }

    private static Response unauthorized(String message) {
        ApiError body = new ApiError(401, "unauthorized", message, null);
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
