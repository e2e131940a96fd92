package io.probity.review;

import io.probity.security.ApiAccess;
import io.probity.security.Principal;
import io.probity.security.Role;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code GET} and {@code PUT /api/v1/models/{model}/review-rules?version=}: a version's review
 * routing rules. {@code version} may be left out when the model has one version. A {@code PUT}
 * stores a new revision (ops role) that routes predictions ingested after it.
 */
@Path("/api/v1/models/{model}/review-rules")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
public class ReviewRulesResource {

    @Inject
    ReviewRuleService rules;

    @Inject
    ReviewActors actors;

    @Context
    HttpHeaders headers;

    @GET
    public ReviewRuleSet current(@PathParam("model") String model, @QueryParam("version") String version) {
        actors.resolve(headers);
        return rules.current(model, blankToNull(version));
    }

    @PUT
    @ApiAccess(role = Role.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    public ReviewRuleSet replace(@PathParam("model") String model, @QueryParam("version") String version,
                                 JsonNode body) {
        return rules.replace(model, blankToNull(version), body, actors.resolve(headers));
    }

    /** Returns every stored revision, newest first. */
    @GET
    @Path("/revisions")
    public List<ReviewRuleSet> revisions(@PathParam("model") String model, @QueryParam("version") String version) {
        actors.resolve(headers);
        return rules.revisions(model, blankToNull(version));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
