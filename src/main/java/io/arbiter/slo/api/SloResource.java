package io.arbiter.slo.api;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.TenantGrants;
import io.arbiter.decision.TenantScope;
import io.arbiter.event.IriScheme;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.slo.Objective;
import io.arbiter.slo.ObjectiveScope;
import io.arbiter.slo.SloMonitor;
import io.arbiter.slo.SloStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/slos}: the service-level objectives and how they stand. */
@Path("api/v1/slos")
@RequestScoped
@Tag(name = "metrics")
public class SloResource {

  @Inject SloMonitor monitor;
  @Inject IriScheme iris;
  @Inject TenantGrants grants;
  @Context SecurityContext security;

  /** An objective and its state at the last evaluation. */
  @Schema(name = "ServiceLevelObjective")
  public record SloView(
      String id,
      String description,
      @Schema(enumeration = {"automated-latency", "reviews-within-sla", "escalation-rate"})
          String kind,
      @Schema(description = "Share of good events required (not for escalation-rate)")
          Double target,
      @Schema(description = "ISO-8601 duration a good automated decision takes at most")
          String latency,
      @Schema(description = "Range the escalation rate must stay in") Band band,
      @Schema(description = "ISO-8601 duration events count for") String window,
      int minEvents,
      long good,
      long total,
      @Schema(description = "Share of good events, or the escalation rate; absent without events")
          Double sli,
      @Schema(
              description =
                  "(1 - sli) / (1 - target): 1 spends the error budget exactly as fast as the"
                      + " target allows")
          Double burnRate,
      @Schema(description = "1 - burnRate: the window's error budget left") Double budgetRemaining,
      @Schema(description = "Whether the window held at least minEvents events") boolean judged,
      @Schema(description = "The decisions it counts; absent for every decision") Scope scope,
      boolean breached,
      @Schema(description = "IRI of the breach under way") String breachIri,
      Instant evaluatedAt) {}

  /** Which decisions an objective counts: each part absent matches every decision. */
  @Schema(name = "SloScope")
  public record Scope(
      String model, String modelVersion, String tenant, String contextKey, String contextValue) {}

  /** An inclusive range. */
  @Schema(name = "SloBand")
  public record Band(double min, double max) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.AUDITOR,
    Roles.ADMIN,
    Roles.LEAD_REVIEWER,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER
  })
  @Operation(
      operationId = "listSlos",
      summary = "Service-level objectives",
      description =
          "Each configured objective with its SLI, error-budget burn and breach state at the last"
              + " evaluation (every arbiter.slo.interval). Breaches begin and end as slo.breached"
              + " and slo.recovered events in the graph. model, modelVersion (with model),"
              + " tenant, and contextKey with contextValue list only the objectives scoped to"
              + " them (an objective over every model is not one model's). A caller bound to"
              + " tenants does not see objectives scoped to other tenants.")
  @APIResponse(responseCode = "200", description = "One ServiceLevelObjective per objective")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<SloView> all(
      @Parameter(description = "Only objectives scoped to this model") @QueryParam("model")
          String model,
      @Parameter(description = "Only objectives scoped to this version of model")
          @QueryParam("modelVersion")
          String modelVersion,
      @Parameter(description = "Only objectives scoped to this tenant") @QueryParam("tenant")
          String tenant,
      @Parameter(description = "Only objectives scoped to this context key (with contextValue)")
          @QueryParam("contextKey")
          String contextKey,
      @Parameter(
              description = "The value of contextKey the objectives are scoped to",
              schema = @Schema(type = SchemaType.STRING, maxLength = ContextMatch.MAX_VALUE))
          @QueryParam("contextValue")
          String contextValue) {
    List<FieldError> errors = new ArrayList<>();
    DecisionScope named = DecisionScope.parse(model, modelVersion, tenant, errors);
    Optional<ContextMatch> context = ContextMatch.parse(contextKey, contextValue, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    TenantScope caller = scope();
    return monitor.statuses().stream()
        .filter(s -> visible(s, caller))
        .filter(
            s ->
                s.objective()
                    .scope()
                    .selectedBy(named.model(), named.modelVersion(), named.tenant(), context))
        .map(this::view)
        .toList();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.AUDITOR,
    Roles.ADMIN,
    Roles.LEAD_REVIEWER,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER
  })
  @Operation(
      operationId = "getSlo",
      summary = "One service-level objective",
      description =
          "Not found, as an unknown one, for a caller bound to tenants when the objective is"
              + " scoped to another tenant.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = SloView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public SloView one(@PathParam("id") String id) {
    TenantScope caller = scope();
    return monitor
        .status(id)
        .filter(s -> visible(s, caller))
        .map(this::view)
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No objective " + id + "."));
  }

  private TenantScope scope() {
    return grants.scopeOf(security.getUserPrincipal().getName());
  }

  /**
   * Whether the caller sees the objective: one scoped to a tenant counts that tenant's decisions
   * only, so a caller bound to other tenants does not see it (another tenant's, not found); one
   * over every tenant is shown as drift is (docs/security.md, "Not scoped").
   */
  private static boolean visible(SloStatus status, TenantScope caller) {
    return status.objective().scope().tenant().map(t -> caller.sees(Optional.of(t))).orElse(true);
  }

  private SloView view(SloStatus status) {
    Objective o = status.objective();
    return new SloView(
        o.id(),
        o.description().isBlank() ? null : o.description(),
        o.kind().wireName(),
        o.kind().hasBudget() ? o.target() : null,
        o.latency().map(Object::toString).orElse(null),
        o.band().map(b -> new Band(b.min(), b.max())).orElse(null),
        o.window().toString(),
        o.minEvents(),
        status.good(),
        status.total(),
        boxed(status.sli()),
        boxed(status.burnRate()),
        boxed(status.budgetRemaining()),
        status.judged(),
        scope(o.scope()),
        status.breach().isPresent(),
        status.breach().map(iris::sloBreach).orElse(null),
        status.evaluatedAt().orElse(null));
  }

  private static Scope scope(ObjectiveScope scope) {
    if (scope.equals(ObjectiveScope.ALL)) {
      return null;
    }
    return new Scope(
        scope.model().orElse(null),
        scope.modelVersion().orElse(null),
        scope.tenant().orElse(null),
        scope.context().map(ContextMatch::key).orElse(null),
        scope.context().map(ContextMatch::value).orElse(null));
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }
}
