package io.probity.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.api.ApiException;
import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** {@code POST /api/v1/labels}: ground truth for stored predictions, {@code [{model, predictionId, label}]}. */
@Path("/api/v1/labels")
public class LabelResource {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<LabelRecord>> LABEL_LIST = new TypeReference<>() {
    };

    @Inject
    LabelService labelService;

    @Inject
    CurrentPrincipal caller;

    @POST
    @ApiAccess(role = Role.REVIEWER, scopes = Principal.SCOPE_LABELS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store ground-truth labels of stored predictions")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LabelRecord[].class),
            examples = @ExampleObject(name = "one label", value = ApiExamples.LABELS_JSON)))
    @APIResponse(responseCode = "200", description = "One result per label, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IngestResponse.class),
                    examples = @ExampleObject(name = "one label stored", value = ApiExamples.LABELS_RESPONSE)))
    public IngestResponse label(InputStream body) {
        List<LabelRecord> labels;
        try {
            labels = MAPPER.readValue(new LimitedInputStream(body, IngestService.MAX_BODY_BYTES), LABEL_LIST);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column "
                    + location.getColumnNr();
            throw new ApiException(400, "malformed-json", "Malformed JSON" + where + ": " + e.getOriginalMessage()
                    + "; send a JSON array of {model, predictionId, label} (nothing was stored)");
        } catch (IOException e) {
            throw ApiException.badRequest("Failed to read the request body: " + e.getMessage());
        }
        if (labels == null) {
            throw ApiException.badRequest("Request body is empty; send a JSON array of {model, predictionId, label}");
        }
        if (labels.size() > IngestService.MAX_RECORDS) {
            throw ApiException.payloadTooLarge("Request has " + labels.size() + " labels; send at most "
                    + IngestService.MAX_RECORDS + " per request");
        }
        return labelService.apply(labels, "api", caller.get());
    }
}
