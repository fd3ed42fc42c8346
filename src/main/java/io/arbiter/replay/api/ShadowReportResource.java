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
import jakarta.ws.rs.QueryParam;
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
 * {@code GET .../versions/{version}/shadow-report}. Each analysis of a policy version is a root
 * class of its own whose path ends in the analysis' name: JAX-RS picks the root class first, by its
 * longest literal prefix, so a class at {@code .../versions/{version}} would take every request
 * below it away from {@link io.arbiter.policy.api.PolicyResource}.
 */
@Path("api/v1/policies/{id}/versions/{version}/shadow-report")
@RequestScoped
@Tag(name = "policies")
public class ShadowReportResource {

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
      operationId = "getShadowReport",
      summary = "Shadow report of a policy version",
      description =
          "How the version, evaluated in shadow, agreed with the routing applied beside it, with"
              + " the disagreements paged (offset, limit). With Prefer: respond-async, runs as a"
              + " job (202, the job at Location; progress counts decisions compared). A caller"
              + " bound to tenants compares on its tenants' decisions only.")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = Prefer.DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, example = "respond-async"))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.Shadow.class)))
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "reportsBusy")
  public Response shadowReport(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @Parameter(
              description = "Disagreements to skip",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("offset")
          String offset,
      @Parameter(
              description = "Disagreements in the page",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "500",
                      defaultValue = "50"))
          @QueryParam("limit")
          String limit) {
    // A caller bound to tenants compares on its tenants' decisions only.
    var tenants = grants.scopeOf(security.getUserPrincipal().getName());
    AnalysisPaging page = AnalysisPaging.parse(offset, limit);
    replays.requireVersion(id, version);
    return reports.run(
        "shadow-report",
        headers,
        security,
        uri,
        progress ->
            ReplayViews.Shadow.of(
                replays.shadowReport(id, version, page.offset(), page.limit(), progress, tenants),
                iris));
  }
}
