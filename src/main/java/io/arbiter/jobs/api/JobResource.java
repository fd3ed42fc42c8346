package io.arbiter.jobs.api;

import io.arbiter.jobs.Job;
import io.arbiter.jobs.JobRegistry;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/jobs}: the caller's report jobs, one job, and its cancellation. A job is its
 * owner's: anyone else but an admin is told there is no such job (404), as for any resource they
 * may not see.
 */
@Path("api/v1/jobs")
@RequestScoped
@Tag(name = "jobs")
public class JobResource {

  @Inject JobRegistry jobs;
  @Inject io.arbiter.decision.DecisionService decisions;
  @Context SecurityContext security;
  @Context HttpHeaders headers;

  @Inject
  @ConfigProperty(name = "arbiter.jobs.max-wait")
  Duration maxWait;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.DATA_STEWARD,
    Roles.ADMIN
  })
  @Operation(
      operationId = "listJobs",
      summary = "Your report jobs",
      description =
          "The caller's jobs, newest first: running ones, and finished ones until"
              + " arbiter.jobs.retention after they finished (at most arbiter.jobs.max-per-caller).")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = JobView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<JobView> list() {
    return jobs.list(caller()).stream().map(JobView::of).toList();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.DATA_STEWARD,
    Roles.ADMIN
  })
  @Operation(
      operationId = "getJob",
      summary = "A report job",
      description =
          "Its state, progress, and once finished its result (the report, as the synchronous"
              + " request answers it) or problem. With Prefer: wait=N, answers when the job finishes"
              + " or after N seconds (at most arbiter.jobs.max-wait), whichever comes first: poll"
              + " without holding a timer.")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = "wait=N: answer once the job finished, or after N seconds (RFC 7240)",
      schema = @Schema(type = SchemaType.STRING, example = "wait=10"))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public JobView get(@PathParam("id") String id) {
    Optional<Duration> wait = waitAsked();
    Optional<Job> job =
        wait.isPresent()
            ? jobs.await(id, caller(), admin(), wait.get())
            : jobs.find(id, caller(), admin());
    return JobView.of(job.orElseThrow(() -> notFound(id)));
  }

  @POST
  @Path("{id}/cancel")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.DATA_STEWARD,
    Roles.ADMIN
  })
  @Operation(
      operationId = "cancelJob",
      summary = "Cancel a report job",
      description =
          "A queued job never runs; a running one stops at its report's next step (a decision, a"
              + " journal record, a query) and is then cancelled. Answers the job as it stands at"
              + " once, or with Prefer: wait=N once it stopped (at most N seconds, and"
              + " arbiter.jobs.max-wait). A finished job stays as it finished.")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = "wait=N: answer once the job stopped, or after N seconds (RFC 7240)",
      schema = @Schema(type = SchemaType.STRING, example = "wait=5"))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public JobView cancel(@PathParam("id") String id) {
    Job cancelled = jobs.cancel(id, caller(), admin()).orElseThrow(() -> notFound(id));
    Optional<Duration> wait = waitAsked();
    return JobView.of(
        wait.isEmpty()
            ? cancelled
            : jobs.await(id, caller(), admin(), wait.get()).orElseThrow(() -> notFound(id)));
  }

  private Optional<Duration> waitAsked() {
    return Prefer.of(headers.getRequestHeader(Prefer.HEADER)).waitAtMost(maxWait);
  }

  private String caller() {
    return security.getUserPrincipal().getName();
  }

  /** An admin sees every caller's jobs, unless bound to tenants (others' results span tenants). */
  private boolean admin() {
    return security.isUserInRole(Roles.ADMIN) && decisions.scopeOf(caller()).global();
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        ProblemType.NOT_FOUND,
        "You have no job " + id + " (or it finished more than arbiter.jobs.retention ago).");
  }
}
