package io.probity.security;

import io.probity.api.ApiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates and authorises every call under {@code /api}.
 *
 * <p>A caller authenticates with HTTP Basic (a user; failures count towards the login throttle)
 * or with an {@code X-API-Key} header (a key created by an admin, or a bootstrap key). Anonymous
 * or invalid credentials get 401. The resource method's {@link ApiAccess} then decides: a user
 * needs the declared role or one above it, a key one of the declared scopes; otherwise 403. A
 * method without {@link ApiAccess} is denied to everyone. A request naming a model, in the path
 * or in a {@code model} query parameter, that the caller may not see gets 404, the same response as
 * for a model that does not exist. Credentials are never logged.
 */
public class ApiAuthFilter {

    private static final Logger LOG = Logger.getLogger(ApiAuthFilter.class);
    public static final String API_KEY_HEADER = "X-API-Key";

    @Inject
    ApiKeys bootstrapKeys;

    @Inject
    ApiKeyService apiKeys;

    @Inject
    UserService users;

    @Inject
    CurrentPrincipal currentPrincipal;

    @ServerRequestFilter
    public Response authorise(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return null;
        }

        String address = http.remoteAddress() == null ? "unknown" : http.remoteAddress().host();
        Optional<Principal> principal = authenticate(request, address);
        if (principal.isEmpty()) {
            return error(401, "unauthorized", "Authentication failed or is missing; send an " + API_KEY_HEADER
                    + " header with a valid key, or HTTP Basic credentials of a user", true);
        }
        Principal caller = principal.get();

        ApiAccess access = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(ApiAccess.class);
        if (access == null && resource.getResourceClass() != null) {
            access = resource.getResourceClass().getAnnotation(ApiAccess.class);
        }
        if (!permitted(caller, access)) {
            LOG.infof("Denied %s %s to %s", request.getMethod(), path, caller.name());
            return error(403, "forbidden", "This call needs " + describe(access) + "; " + caller.name()
                    + " does not have it", false);
        }

        String model = request.getUriInfo().getPathParameters().getFirst("model");
        if (model == null) {
            model = request.getUriInfo().getQueryParameters().getFirst("model");
        }
        if (model != null && !caller.mayAccessModel(model)) {
            return error(404, "not-found", "No model " + model + " is stored; list models with GET /api/v1/models",
                    false);
        }

        currentPrincipal.set(caller, address);
        return null;
    }

    private Optional<Principal> authenticate(ContainerRequestContext request, String address) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return users.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1), address, false)
                    .map(user -> new Principal(user.name(), Principal.Kind.USER, user.roles(), java.util.Set.of(),
                            user.models()));
        }

        String key = request.getHeaderString(API_KEY_HEADER);
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        if (bootstrapKeys.isBootstrapKey(key)) {
            return Optional.of(new Principal("bootstrap-key", Principal.Kind.BOOTSTRAP_KEY, java.util.Set.of(),
                    Principal.SCOPES, null));
        }
        return apiKeys.authenticate(key);
    }

    private static boolean permitted(Principal caller, ApiAccess access) {
        if (access == null) {
            return false;
        }
        if (caller.hasRole(access.role())) {
            return true;
        }
        for (String scope : access.scopes()) {
            if (caller.hasScope(scope)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ApiAccess access) {
        if (access == null) {
            return "an access declaration that this endpoint lacks";
        }
        String roles = "the role " + access.role() + " or above";
        return access.scopes().length == 0 ? roles
                : roles + ", or an API key with scope " + String.join(" or ", access.scopes());
    }

    private static Response error(int status, String code, String message, boolean challenge) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, code, message, null));
        if (challenge) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Probity\", charset=\"UTF-8\"");
        }
        return builder.build();
    }
}
