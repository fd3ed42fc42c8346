package io.arbiter.replay.api;

import io.arbiter.decision.DecisionService;
import io.arbiter.event.IriScheme;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.replay.ReplayService;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/decisions/{id}/replay}: route a recorded decision again. */
@Path("api/v1/decisions/{id}/replay")
@RequestScoped
@Tag(name = "decisions")
public class ReplayResource {

  @Inject DecisionService decisions;
  @Inject ReplayService replays;
  @Inject IriScheme iris;
  @Context SecurityContext security;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN, Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER})
  @Operation(
      operationId = "replayDecision",
      summary = "Replay a decision",
      description =
          "Evaluates the decision's recorded facts with its recorded policy version (whatever its"
              + " state now) and compares route, rule, review settings, trace and QA sampling with"
              + " the recording. Records nothing.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.ReplayView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public ReplayViews.ReplayView replay(@PathParam("id") String id) {
    var summary = decisions.requireVisible(id, security.getUserPrincipal().getName(), true);
    var recorded =
        decisions
            .load(summary)
            .orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "No decision " + id + "."));
    return ReplayViews.ReplayView.of(replays.replay(recorded), iris);
  }
}
