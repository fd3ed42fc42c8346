package io.arbiter.replay.api;

import io.arbiter.event.IriScheme;
import io.arbiter.replay.ReplayService;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET .../versions/{version}/coverage}; a root class of its own for the reason {@link
 * ShadowReportResource} gives.
 */
@Path("api/v1/policies/{id}/versions/{version}/coverage")
@RequestScoped
@Tag(name = "policies")
public class CoverageResource {

  @Inject ReplayService replays;
  @Inject IriScheme iris;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getRuleCoverage",
      summary = "Rule coverage of a policy version",
      description =
          "How often each guardrail and rule decided, which never did, and the share reaching the"
              + " default.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.CoverageView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public ReplayViews.CoverageView coverage(
      @PathParam("id") String id, @PathParam("version") String version) {
    return ReplayViews.CoverageView.of(replays.coverage(id, version), iris);
  }
}
