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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @Operation(summary = "Ingest scored predictions",
            description = "At most 10,000 records and 16 MiB per request. (model, predictionId) is unique: "
                    + "a record sent again is answered duplicate and stored once.")
    @RequestBody(required = true, content = {
            @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "two records", value = ApiExamples.PREDICTIONS_NDJSON)),
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "two records", value = ApiExamples.PREDICTIONS_JSON))})
    @APIResponse(responseCode = "200", description = "One result per record, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IngestResponse.class),
                    examples = @ExampleObject(name = "one pass, one temperature failure",
                            value = ApiExamples.PREDICTIONS_RESPONSE)))
    @APIResponse(responseCode = "400", description = "Malformed JSON")
    @APIResponse(responseCode = "413", description = "More than 10,000 records or 16 MiB")
    public IngestResponse ingest(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        return ingestService.ingest(body, ndjson, caller.get());
    }
}
