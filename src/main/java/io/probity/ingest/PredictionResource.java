package io.probity.ingest;

import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.io.InputStream;

/** {@code POST /api/v1/predictions}: ingest scored predictions as a JSON array or NDJSON. */
@Path("/api/v1/predictions")
public class PredictionResource {

    static final String NDJSON = "application/x-ndjson";

    @Inject
    IngestService ingestService;

    @Inject
    CurrentPrincipal caller;

    @POST
    @ApiAccess(role = Role.OPS, scopes = Principal.SCOPE_INGEST)
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces(MediaType.APPLICATION_JSON)
    public IngestResponse ingest(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        return ingestService.ingest(body, ndjson, caller.get());
    }
}
