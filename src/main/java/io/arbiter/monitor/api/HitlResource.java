package io.arbiter.monitor.api;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.PolicyRef;
import io.arbiter.decision.TenantScope;
import io.arbiter.decision.api.ContextParameters;
import io.arbiter.monitor.HitlMetrics;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.TimeWindow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/metrics/hitl}: how the human-in-the-loop routing is doing. */
@Path("api/v1/metrics/hitl")
@RequestScoped
@Tag(name = "metrics")
public class HitlResource {

  @Inject DecisionService decisions;
  @Inject PolicyCatalog policies;
  @Inject Clock clock;
  @jakarta.ws.rs.core.Context jakarta.ws.rs.core.SecurityContext security;

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
      operationId = "getHitlMetrics",
      summary = "HITL quality",
      description =
          "Over the decisions submitted in [from, to) (default: the last 30 days), optionally of "
              + "one model (and one of its versions), one policy, one tenant and one context value"
              + " (contextKey and contextValue; read from the graph store, as a backtest reads"
              + " facts): automation and escalation rates, abstention rate (by "
              + "each policy version's abstention labels and confidence floor), machine time "
              + "(intake, submission to durable record; decisions since start-up), fail-safe rate, "
              + "share reaching the default route and counts by rule, settled and timed-out reviews, "
              + "override rate, human wait (median, p95), and accuracy, precision and recall "
              + "(for the positive outcome the policy declares, approve in the demo, or"
              + " positiveClass) of automated and of reviewed decisions against recorded "
              + "outcomes. Rates are absent when there was nothing to measure.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = HitlMetrics.class)))
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public HitlMetrics hitl(
      @Parameter(
              description = "ISO-8601 instant, inclusive",
              schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("from")
          String from,
      @Parameter(
              description = "ISO-8601 instant, exclusive",
              schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("to")
          String to,
      @Parameter(description = "Model name") @QueryParam("model") String model,
      @Parameter(description = "Policy id") @QueryParam("policy") String policy,
      @Parameter(description = "Only this version of the model (with model)")
          @QueryParam("modelVersion")
          String modelVersion,
      @Parameter(description = "Only decisions submitted for this tenant") @QueryParam("tenant")
          String tenant,
      @BeanParam ContextParameters contextParameters,
      @Parameter(
              description =
                  "Precision and recall for this outcome instead of the one each policy version"
                      + " declares; it must be an outcome of the vocabulary of every policy"
                      + " version whose decisions are measured")
          @QueryParam("positiveClass")
          String positiveClass) {
    TimeWindow window = TimeWindow.parse(from, to, clock.instant(), Duration.ofDays(30));
    List<FieldError> errors = new ArrayList<>();
    DecisionScope scope = DecisionScope.parse(model, modelVersion, tenant, errors);
    // A caller bound to tenants counts only its tenants' decisions, whatever it filters by.
    TenantScope tenants = decisions.scopeOf(security.getUserPrincipal().getName());
    Optional<ContextMatch> context = contextParameters.parse(errors);
    if (positiveClass != null && !OutcomeVocabulary.NAME.matcher(positiveClass).matches()) {
      errors.add(new FieldError("positiveClass", "must be an outcome name"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    Instant start = window.from();
    Instant end = window.to();
    List<DecisionSummary> selected = new ArrayList<>();
    decisions.forEachSummary(
        DecisionQuery.scoped(
            scope.model(),
            scope.modelVersion(),
            Optional.of(start),
            Optional.of(end),
            scope.tenant()),
        summary -> {
          // Half-open window, whatever the index does at its bound. The query itself matched the
          // scope's model, version and tenant.
          if (summary.submittedAt().isBefore(end)
              && tenants.sees(summary)
              && ofPolicy(summary, policy)) {
            selected.add(summary);
          }
        });
    List<DecisionSummary> measured =
        context.map(match -> decisions.withContext(selected, match)).orElse(selected);
    // Looked up once per policy version, not once per decision: a 30-day window holds a hundred
    // thousand decisions of a few versions, and the lookups were a quarter of the request (JFR).
    Map<PolicyRef, HitlMetrics.PolicyTerms> termsByVersion = new HashMap<>();
    Function<DecisionSummary, HitlMetrics.PolicyTerms> declared =
        summary ->
            summary.policy().isEmpty()
                ? HitlMetrics.PolicyTerms.DEFAULT
                : termsByVersion.computeIfAbsent(summary.policy().get(), this::declaredTerms);
    Function<DecisionSummary, HitlMetrics.PolicyTerms> terms =
        positiveClass == null ? declared : overridden(measured, declared, positiveClass);
    return HitlMetrics.of(
        start, end, Optional.ofNullable(model), Optional.ofNullable(policy), measured, terms);
  }

  private static boolean ofPolicy(DecisionSummary summary, String policy) {
    return policy == null || summary.policy().map(p -> p.id().equals(policy)).orElse(false);
  }

  private HitlMetrics.PolicyTerms declaredTerms(PolicyRef ref) {
    return policies
        .version(ref.id(), ref.version())
        .map(
            version ->
                new HitlMetrics.PolicyTerms(
                    version.document().abstention(), version.document().vocabulary()))
        .orElse(HitlMetrics.PolicyTerms.DEFAULT);
  }

  /**
   * The declared terms with {@code positive} as the positive outcome, once it is known to be an
   * outcome of every measured decision's vocabulary: precision for an outcome a decision could not
   * have is no figure, so naming one is a bad request rather than a zero.
   */
  private static Function<DecisionSummary, HitlMetrics.PolicyTerms> overridden(
      List<DecisionSummary> measured,
      Function<DecisionSummary, HitlMetrics.PolicyTerms> declared,
      String positive) {
    for (DecisionSummary summary : measured) {
      OutcomeVocabulary vocabulary = declared.apply(summary).vocabulary();
      if (!vocabulary.contains(positive)) {
        String routedBy =
            summary
                .policy()
                .map(p -> "policy " + p.id() + " version " + p.version())
                .orElse("decisions no policy routed");
        throw new ProblemException(
            ProblemType.BAD_REQUEST,
            "Some query parameters are invalid.",
            List.of(
                new FieldError(
                    "positiveClass",
                    "is not an outcome of "
                        + routedBy
                        + " (its outcomes: "
                        + String.join(", ", vocabulary.outcomes())
                        + "); narrow by model or policy")));
      }
    }
    // By identity: declared gives one instance per policy version.
    Map<HitlMetrics.PolicyTerms, HitlMetrics.PolicyTerms> withPositive =
        new java.util.IdentityHashMap<>();
    return summary ->
        withPositive.computeIfAbsent(
            declared.apply(summary),
            terms ->
                new HitlMetrics.PolicyTerms(
                    terms.abstention(), terms.vocabulary().withPositive(positive)));
  }
}
