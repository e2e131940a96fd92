package io.probity.model;

import io.probity.api.ApiException;
import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /api/v1/models} and single stored predictions. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
public class ModelResource {

    @Inject
    ModelQueryService queries;

    @Inject
    CurrentPrincipal caller;

    @GET
    public List<ModelSummary> list() {
        return queries.listModels().stream().filter(m -> caller.get().mayAccessModel(m.model())).toList();
    }

    @GET
    @Path("/{model}/predictions/{predictionId}")
    public PredictionDetail prediction(@PathParam("model") String model,
                                       @PathParam("predictionId") String predictionId) {
        return queries.findPrediction(model, predictionId).orElseThrow(() -> ApiException.notFound(
                "No prediction \"" + predictionId + "\" is stored for model " + model
                        + "; check the model name and id, or list models with GET /api/v1/models"));
    }
}
