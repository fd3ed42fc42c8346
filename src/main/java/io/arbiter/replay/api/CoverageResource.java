package io.arbiter.replay.api;

import io.arbiter.event.IriScheme;
import io.arbiter.jobs.api.Prefer;
import io.arbiter.jobs.api.Reports;
import io.arbiter.replay.ReplayService;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
  @Inject Reports reports;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Context HttpHeaders headers;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getRuleCoverage",
      summary = "Rule coverage of a policy version",
      description =
          "How often each guardrail and rule decided, which never did, and the share reaching the"
              + " default; for a caller bound to tenants, over those tenants' decisions. With"
              + " Prefer: respond-async, runs as a job (202, the job at Location).")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = Prefer.DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, example = "respond-async"))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.CoverageView.class)))
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "reportsBusy")
  public Response coverage(@PathParam("id") String id, @PathParam("version") String version) {
    // A caller bound to tenants counts its tenants' decisions only.
    var scope = grants.scopeOf(security.getUserPrincipal().getName());
    replays.requireVersion(id, version);
    return reports.run(
        "coverage",
        headers,
        security,
        uri,
        progress ->
            ReplayViews.CoverageView.of(replays.coverage(id, version, progress, scope), iris));
  }
}
