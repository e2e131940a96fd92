package io.probity.review;

import io.probity.security.ApiAccess;
import io.probity.security.CurrentPrincipal;
import io.probity.security.Principal;
import io.probity.security.Role;

import io.probity.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;

/**
 * The review queue API under {@code /api/v1/review}. Calls authenticate with HTTP Basic as a
 * user, or with an API key plus the acting reviewer's name in {@code X-Reviewer}; see
 * {@link ReviewActors}. Conflicting actions return 409 with the item's state and holder in
 * {@code details}.
 */
@Path("/api/v1/review")
@Produces(MediaType.APPLICATION_JSON)
@ApiAccess(role = Role.REVIEWER, scopes = Principal.SCOPE_LABELS)
public class ReviewResource {

    /** Most items one list call returns. */
    static final int MAX_LIMIT = 1000;

    @Inject
    ReviewService reviews;

    @Inject
    ReviewQueries queries;

    @Inject
    ReviewActors actors;

    @Inject
    CurrentPrincipal caller;

    @Context
    HttpHeaders headers;

    /** Queue summary of the listing: counts per state, the oldest open item and reviewer throughput. */
    public record Summary(QueueSummary queue, List<ReviewerThroughput> reviewers) {
    }

    @GET
    @Path("/items")
    public List<ReviewItem> list(@QueryParam("model") String model, @QueryParam("version") String version,
                                 @QueryParam("rule") String rule, @QueryParam("state") String state,
                                 @QueryParam("minAgeMinutes") String minAgeMinutes,
                                 @QueryParam("limit") @DefaultValue("100") String limit) {
        actors.resolve(headers);
        reviews.expireLeases();
        return queries.list(filter(visibleModel(model), version, rule, state, minAgeMinutes), parseLimit(limit));
    }

    @GET
    @Path("/summary")
    public Summary summary(@QueryParam("model") String model, @QueryParam("version") String version,
                           @QueryParam("rule") String rule, @QueryParam("minAgeMinutes") String minAgeMinutes) {
        actors.resolve(headers);
        reviews.expireLeases();
        return new Summary(queries.summary(filter(visibleModel(model), version, rule, null, minAgeMinutes)),
                queries.throughput());
    }

    @GET
    @Path("/items/{id}")
    public ReviewItem item(@PathParam("id") long id) {
        actors.resolve(headers);
        return visibleItem(id);
    }

    /** Claims the next item; 204 when none is waiting. */
    @POST
    @Path("/claim")
    public Response claimNext(@QueryParam("model") String model, @QueryParam("version") String version) {
        return reviews.claimNext(actors.resolve(headers), visibleModel(model), blankToNull(version))
                .map(item -> Response.ok(item).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("/items/{id}/claim")
    public ReviewItem claim(@PathParam("id") long id) {
        visibleItem(id);
        return reviews.claim(actors.resolve(headers), id);
    }

    @POST
    @Path("/items/{id}/resolve")
    public ReviewItem resolve(@PathParam("id") long id, ReviewDecision decision) {
        ReviewActor actor = actors.resolve(headers);
        visibleItem(id);
        if (decision == null) {
            throw ApiException.badRequest("The body is missing; send {\"label\": \"<true class>\", \"note\": \"optional\"}");
        }
        return reviews.resolve(actor, id, decision.label(), decision.note());
    }

    @POST
    @Path("/items/{id}/skip")
    public ReviewItem skip(@PathParam("id") long id, ReviewDecision decision) {
        visibleItem(id);
        return reviews.skip(actors.resolve(headers), id, decision == null ? null : decision.note());
    }

    @POST
    @Path("/items/{id}/escalate")
    public ReviewItem escalate(@PathParam("id") long id, ReviewDecision decision) {
        visibleItem(id);
        return reviews.escalate(actors.resolve(headers), id, decision == null ? null : decision.note());
    }

    @POST
    @Path("/items/{id}/release")
    public ReviewItem release(@PathParam("id") long id) {
        visibleItem(id);
        return reviews.release(actors.resolve(headers), id);
    }

    @POST
    @Path("/items/{id}/undo")
    public ReviewItem undo(@PathParam("id") long id) {
        visibleItem(id);
        return reviews.undo(actors.resolve(headers), id);
    }

    /** Returns the item's history as JSON, or as CSV for {@code Accept: text/csv} or {@code ?format=csv}. */
    @GET
    @Path("/items/{id}/history")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response history(@PathParam("id") long id, @QueryParam("format") String format) {
        actors.resolve(headers);
        if (format != null && !format.isBlank() && !format.equals("csv") && !format.equals("json")) {
            throw ApiException.badRequest("format \"" + format + "\" is not supported; send csv or json");
        }
        visibleItem(id);
        List<ReviewHistoryEntry> entries = queries.history(id);
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (csv) {
            return Response.ok(HistoryCsv.write(entries), "text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"review-item-" + id + "-history.csv\"")
                    .build();
        }
        return Response.ok(entries, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Returns the item when the caller may see its model. An item of another model is reported as
     * missing, like a model the caller may not see, so ids do not reveal other models' queues.
     */
    private ReviewItem visibleItem(long id) {
        return queries.find(id).filter(item -> caller.get().mayAccessModel(item.model()))
                .orElseThrow(() -> ApiException.notFound("Review item " + id
                        + " does not exist; list items with GET /api/v1/review/items"));
    }

    /**
     * Returns the model filter of a queue request. A caller limited to several models must name one
     * of them, and a caller limited to one model gets that one. The request filter has already
     * rejected a model outside the caller's list.
     */
    private String visibleModel(String model) {
        String requested = blankToNull(model);
        Principal principal = caller.get();
        if (requested != null || principal.models() == null) {
            return requested;
        }
        if (principal.models().size() == 1) {
            return principal.models().iterator().next();
        }
        throw ApiException.badRequest(principal.name() + " may see the review queues of " + principal.models().stream()
                .sorted().toList() + " only; send model= with one of them");
    }

    private static ReviewFilter filter(String model, String version, String rule, String state, String minAgeMinutes) {
        String cleanState = blankToNull(state);
        if (cleanState != null && !ReviewQueries.STATES.contains(cleanState)) {
            throw ApiException.badRequest("state \"" + state + "\" is not a review state; send one of "
                    + ReviewQueries.STATES);
        }
        Duration minAge = null;
        if (minAgeMinutes != null && !minAgeMinutes.isBlank()) {
            try {
                long minutes = Long.parseLong(minAgeMinutes.trim());
                if (minutes < 0) {
                    throw new NumberFormatException();
                }
                minAge = Duration.ofMinutes(minutes);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("minAgeMinutes \"" + minAgeMinutes
                        + "\" is not a whole number of minutes >= 0; send for example 60");
            }
        }
        return new ReviewFilter(blankToNull(model), blankToNull(version), blankToNull(rule), cleanState, minAge);
    }

    private static int parseLimit(String limit) {
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit \"" + limit + "\" is not a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
