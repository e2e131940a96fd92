package io.probity.review;

import io.probity.security.ApiAccess;
import io.probity.security.Principal;
import io.probity.security.Role;

import io.probity.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/models/{model}/review-metrics?version=&bins=}: calibration figures from
 * review labels with inverse-probability weights; see {@link ReviewCalibrationService}.
 */
@Path("/api/v1/models/{model}/review-metrics")
@ApiAccess(role = Role.ANALYST, scopes = Principal.SCOPE_READ)
public class ReviewCalibrationResource {

    @Inject
    ReviewCalibrationService calibration;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ReviewCalibration metrics(@PathParam("model") String model, @QueryParam("version") String version,
                                     @QueryParam("bins") @DefaultValue("15") String bins) {
        int binCount;
        try {
            binCount = Integer.parseInt(bins.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bins \"" + bins + "\" is not a whole number; send for example 15");
        }
        return calibration.compute(model, version == null || version.isBlank() ? null : version, binCount);
    }
}
