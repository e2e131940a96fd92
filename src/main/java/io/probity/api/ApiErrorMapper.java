package io.probity.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Maps every exception that leaves a REST resource to an {@link ApiError} JSON body, so that all
 * errors of the API share one shape. Unexpected exceptions are logged and returned as a
 * generic 500 that leaks no internals.
 */
@Provider
public class ApiErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @Override
    public Response toResponse(Exception exception) {
        ApiError body;
        if (exception instanceof ApiException api) {
            body = new ApiError(api.status(), api.code(), api.getMessage(), api.details());
        } else if (exception instanceof NotSupportedException) {
            body = new ApiError(415, "unsupported-media-type",
                    "Content-Type is not supported here; send application/json (a JSON array) or "
                            + "application/x-ndjson (one JSON object per line)", null);
        } else if (exception instanceof NotAuthorizedException) {
            body = new ApiError(401, "unauthorized", "Authentication is required", null);
        } else if (exception instanceof NotAllowedException) {
            body = new ApiError(405, "method-not-allowed", "This HTTP method is not allowed on this path", null);
        } else if (exception instanceof NotFoundException) {
            body = new ApiError(404, "not-found", "No resource at this path", null);
        } else if (exception instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            body = new ApiError(status, "http-" + status, web.getMessage(), null);
        } else {
            LOG.error("Unhandled error in a REST call", exception);
            body = new ApiError(500, "internal-error",
                    "Internal error; the server log has the details", null);
        }
        return Response.status(body.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
