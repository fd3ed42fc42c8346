package io.arbiter.review.api;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.api.DecisionView;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.api.ReasonCodeView;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewCursor;
import io.arbiter.review.ReviewFilter;
import io.arbiter.review.ReviewMetrics;
import io.arbiter.review.ReviewPage;
import io.arbiter.review.ReviewService;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.RuleAliases;
import io.arbiter.review.TaskKind;
import io.arbiter.review.TaskState;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import io.arbiter.web.RequestBodies;
import io.arbiter.web.TimeWindow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/reviews}: review queues, claims, verdicts and rulings. */
@Path("api/v1/reviews")
@RequestScoped
@Tag(name = "reviews")
public class ReviewResource {

  private static final Set<String> VERDICT_FIELDS =
      Set.of("verdict", "reasonCode", "rules", "justification");

  @Inject ReviewService reviews;
  @Inject DecisionService decisions;
  @Inject IriScheme iris;
  @Inject Clock clock;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;
  @Context UriInfo uri;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "listReviewTasks",
      summary = "List review tasks",
      description =
          "Tasks in the queues the caller may work (all for auditors and admins), most urgent "
              + "first: priority, then deadline. Leads also see tasks awaiting a ruling. Callers"
              + " bound to tenants (arbiter.tenants-file) see only tasks about their tenants'"
              + " decisions; any other task is 404 to them.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.ListView.class)))
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public ReviewViews.ListView list(
      @Parameter(description = "Only tasks in this queue") @QueryParam("queue") String queue,
      @Parameter(
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"open", "adjudication", "settled", "timed_out"}))
          @QueryParam("state")
          String state,
      @Parameter(
              description = "Only tasks past (true) or within (false) their deadline",
              schema = @Schema(type = SchemaType.BOOLEAN))
          @QueryParam("overdue")
          String overdue,
      @Parameter(
              description = "Only tasks the caller holds a claim on",
              schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          @QueryParam("mine")
          String mine,
      @Parameter(
              description = "Page size",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "500",
                      defaultValue = "50"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "The next cursor of the previous page") @QueryParam("cursor")
          String cursor) {
    List<FieldError> errors = new ArrayList<>();
    Optional<TaskState> stateFilter = Optional.empty();
    if (state != null) {
      stateFilter = TaskState.fromWireName(state);
      if (stateFilter.isEmpty()) {
        errors.add(new FieldError("state", "must be open, adjudication, settled or timed_out"));
      }
    }
    Optional<Boolean> overdueFilter = bool("overdue", overdue, errors);
    boolean onlyMine = bool("mine", mine, errors).orElse(false);
    int pageSize = 50;
    if (limit != null) {
      try {
        pageSize = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        pageSize = -1;
      }
      if (pageSize < 1 || pageSize > ReviewFilter.MAX_LIMIT) {
        errors.add(new FieldError("limit", "must be a whole number from 1 to 500"));
      }
    }
    Optional<ReviewCursor> after = Optional.empty();
    if (cursor != null) {
      after = ReviewCursor.decode(cursor);
      if (after.isEmpty()) {
        errors.add(new FieldError("cursor", "is not a cursor this API gave"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "The listing parameters are not valid.", errors);
    }
    Caller caller = caller();
    ReviewPage page =
        reviews.list(
            new ReviewFilter(
                Optional.ofNullable(queue), stateFilter, overdueFilter, onlyMine, after, pageSize),
            caller);
    Instant now = clock.instant();
    return new ReviewViews.ListView(
        page.items().stream().map(task -> summary(task, caller, now)).toList(),
        page.next().map(ReviewCursor::encode).orElse(null));
  }

  @GET
  @Path("metrics")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.LEAD_REVIEWER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getReviewMetrics",
      summary = "Review quality",
      description =
          "Over the tasks created in [from, to) (default: the last 30 days), overall, per queue "
              + "and per reviewer: time to settle, SLA breaches, override rate, disagreement and "
              + "Fleiss' kappa, Cohen's kappa per pair of reviewers, accuracy against recorded "
              + "outcomes, QA agreement with automation, and automation-bias signals (agreement "
              + "with the model and time on task, blind vs. sighted). model, modelVersion, "
              + "tenant, and contextKey with contextValue narrow it to the tasks about one team's "
              + "decisions (the context read from the graph store). Rates are absent when "
              + "there was nothing to measure.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewMetrics.class)))
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public ReviewMetrics metrics(
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
      @Parameter(description = "Only tasks about decisions of this model") @QueryParam("model")
          String model,
      @Parameter(description = "Only of this version of the model (with model)")
          @QueryParam("modelVersion")
          String modelVersion,
      @Parameter(description = "Only tasks about decisions submitted for this tenant")
          @QueryParam("tenant")
          String tenant,
      @Parameter(
              description =
                  "Only tasks about decisions whose context has this key (with contextValue)")
          @QueryParam("contextKey")
          String contextKey,
      @Parameter(
              description = ContextMatch.VALUE_DESCRIPTION,
              schema = @Schema(type = SchemaType.STRING, maxLength = ContextMatch.MAX_VALUE))
          @QueryParam("contextValue")
          String contextValue) {
    TimeWindow window = TimeWindow.parse(from, to, clock.instant(), java.time.Duration.ofDays(30));
    List<FieldError> errors = new ArrayList<>();
    DecisionScope scope = DecisionScope.parse(model, modelVersion, tenant, errors);
    Optional<ContextMatch> context = ContextMatch.parse(contextKey, contextValue, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    return reviews.metrics(
        window.from(),
        window.to(),
        scope,
        decisions.scopeOf(security.getUserPrincipal().getName()),
        context);
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getReviewTask",
      summary = "Get a review task",
      description =
          "Everything a reviewer needs: the decision's inputs and context, the model's output "
              + "(withheld in blind review), the rule and trace that escalated it, reason codes "
              + "and rules a verdict may cite, and settled cases like it. Other reviewers' "
              + "verdicts are shown only once the task is settled (to a lead when it awaits a "
              + "ruling).")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.Detail.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response get(@PathParam("id") String id) {
    Caller caller = caller();
    ReviewViews.Detail detail = detail(reviews.require(id, caller), caller);
    String entity = iris.review(id);
    return ProvenanceLinks.add(
            Response.ok(detail),
            uri,
            security::isUserInRole,
            entity,
            ProvenanceLinks.dereference(iris, entity))
        .build();
  }

  @POST
  @Path("{id}/claim")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER})
  @Operation(
      operationId = "claimReviewTask",
      summary = "Claim a reviewer slot",
      description =
          "Holds one of the task's reviewer slots for the queue's claim timeout; claiming again "
              + "extends the caller's claim. Refused to the decision's submitter and to a "
              + "reviewer who already gave a verdict on it (separation of duties).")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.Detail.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public ReviewViews.Detail claim(@PathParam("id") String id) {
    Caller caller = caller();
    return detail(reviews.claim(id, caller), caller);
  }

  @POST
  @Path("{id}/release")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER})
  @Operation(
      operationId = "releaseReviewTask",
      summary = "Release a claim",
      description = "Gives the caller's slot back.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.Detail.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public ReviewViews.Detail release(@PathParam("id") String id) {
    Caller caller = caller();
    return detail(reviews.release(id, caller), caller);
  }

  @POST
  @Path("{id}/verdict")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REVIEWER, Roles.LEAD_REVIEWER})
  @Operation(
      operationId = "submitVerdict",
      summary = "Give a verdict",
      description =
          "Body: {verdict: an outcome of the policy's vocabulary (approve|reject in the demo), "
              + "reasonCode, rules: [rule ids relied on], justification}. Needs the caller's live claim. A justification is required when "
              + "the verdict goes against the model's recommendation, and always in blind review. "
              + "The last needed verdict settles the task when all agree; disagreement sends it "
              + "to a lead.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "VerdictRequest")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.Detail.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "413", ref = "tooLarge")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public ReviewViews.Detail verdict(@PathParam("id") String id, InputStream body) {
    Caller caller = caller();
    VerdictRequest request =
        verdictRequest(
            RequestBodies.read(body, maxBodyBytes), o -> reviews.outsideVocabulary(id, o));
    return detail(reviews.verdict(id, caller, request), caller);
  }

  @POST
  @Path("{id}/adjudication")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.LEAD_REVIEWER)
  @Operation(
      operationId = "adjudicateReviewTask",
      summary = "Rule on a disagreement",
      description =
          "A lead reviewer's ruling on a task whose reviewers disagreed; same body as a verdict, "
              + "justification required. Refused to anyone who gave one of the verdicts.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "VerdictRequest")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReviewViews.Detail.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "413", ref = "tooLarge")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public ReviewViews.Detail adjudicate(@PathParam("id") String id, InputStream body) {
    Caller caller = caller();
    VerdictRequest request =
        verdictRequest(
            RequestBodies.read(body, maxBodyBytes), o -> reviews.outsideVocabulary(id, o));
    return detail(reviews.adjudicate(id, caller, request), caller);
  }

  /**
   * A task as {@code caller} may see it. While the model's output is hidden, so is everything
   * chosen on it: rules appear as their aliases (the rule, the rules to cite, the verdicts' cited
   * rules), and similar cases (cases of the same rule) are left out.
   */
  private ReviewViews.Detail detail(ReviewTask task, Caller caller) {
    Instant now = clock.instant();
    boolean hideModel = ReviewViews.hidesModel(task, caller);
    RuleAliases aliases = reviews.aliases(task);
    UnaryOperator<List<String>> cited = hideModel ? aliases::aliases : UnaryOperator.identity();
    DecisionView decision =
        decisions
            .find(task.assignment().decision())
            .map(
                recorded ->
                    DecisionView.of(
                        recorded, decisions.resolutionOf(task.assignment().decision()), iris))
            .map(
                view ->
                    hideModel
                        ? view.withoutModelOutput(
                            task.assignment().kind() == TaskKind.QA, aliases::alias)
                        : view)
            .orElse(null);
    boolean allVerdicts = ReviewViews.seesAllVerdicts(task, caller);
    return new ReviewViews.Detail(
        summary(task, caller, now),
        hideModel,
        decision,
        reviews.reasonCodes(task),
        reviews.labelledReasonCodes(task).stream().map(ReasonCodeView::of).toList(),
        reviews.outcomes(task),
        hideModel ? aliases.aliases() : reviews.citableRules(task),
        task.liveClaim(caller.name(), now)
            .map(c -> new ReviewViews.ClaimView(c.at(), c.expiresAt()))
            .orElse(null),
        task.verdicts().stream()
            .filter(v -> allVerdicts || v.reviewer().equals(caller.name()))
            .map(v -> ReviewViews.VerdictView.of(v, cited))
            .toList(),
        task.ruling().map(v -> ReviewViews.VerdictView.of(v, cited)).orElse(null),
        task.escalations().stream()
            .map(e -> new ReviewViews.EscalationView(e.fromQueue(), e.toQueue(), e.at()))
            .toList(),
        task.settlement().map(ReviewViews.SettlementView::of).orElse(null),
        hideModel
            ? List.of()
            : reviews.similar(task, caller).stream().map(ReviewViews.SimilarView::of).toList());
  }

  private ReviewViews.Summary summary(ReviewTask task, Caller caller, Instant now) {
    Optional<String> rule = task.assignment().ruleId();
    if (ReviewViews.hidesModel(task, caller)) {
      // The rule of an automated decision tells its route: not for a QA reviewer's eyes. An
      // escalation's rule is shown by its alias, as its id may name the model's call.
      rule =
          task.assignment().kind() == TaskKind.QA
              ? Optional.empty()
              : rule.map(reviews.aliases(task)::alias);
    }
    return ReviewViews.Summary.of(task, caller, now, iris.review(task.id()), rule.orElse(null));
  }

  /**
   * Parses a verdict body, naming every field at fault: when other fields are, also a well-formed
   * verdict outside the task's vocabulary ({@code outsideVocabulary}), which the service checks
   * otherwise.
   */
  static VerdictRequest verdictRequest(
      byte[] bytes, Function<Outcome, Optional<FieldError>> outsideVocabulary) {
    JsonObject body = RequestBodies.optionalObject(bytes, VERDICT_FIELDS);
    List<FieldError> errors = new ArrayList<>();
    Optional<Outcome> outcome = string(body, "verdict").flatMap(Outcome::fromWireName);
    if (outcome.isEmpty()) {
      errors.add(new FieldError("verdict", "required: an outcome of the policy's vocabulary"));
    }
    Optional<String> reasonCode = string(body, "reasonCode");
    if (reasonCode.isEmpty()) {
      errors.add(new FieldError("reasonCode", "required: a reason code of the policy"));
    }
    List<String> rules = new ArrayList<>();
    JsonValue rulesValue = body.get("rules");
    if (rulesValue != null && rulesValue != JsonValue.NULL) {
      if (rulesValue instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i) instanceof JsonString rule) {
            rules.add(rule.getString());
          } else {
            errors.add(new FieldError("rules[" + i + "]", "must be a rule id (string)"));
          }
        }
      } else {
        errors.add(new FieldError("rules", "must be an array of rule ids"));
      }
    }
    JsonValue justification = body.get("justification");
    if (justification != null
        && justification != JsonValue.NULL
        && !(justification instanceof JsonString)) {
      errors.add(new FieldError("justification", "must be a string"));
    }
    if (!errors.isEmpty()) {
      outcome.flatMap(outsideVocabulary).ifPresent(error -> errors.add(0, error));
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The verdict has invalid fields.", errors);
    }
    return new VerdictRequest(
        outcome.get(), reasonCode.get(), rules, string(body, "justification"));
  }

  private static Optional<String> string(JsonObject body, String field) {
    return body.get(field) instanceof JsonString text
        ? Optional.of(text.getString())
        : Optional.empty();
  }

  private static Optional<Boolean> bool(String name, String value, List<FieldError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.equals("true") || value.equals("false")) {
      return Optional.of(Boolean.parseBoolean(value));
    }
    errors.add(new FieldError(name, "must be true or false"));
    return Optional.empty();
  }

  private Caller caller() {
    return Caller.remembering(security.getUserPrincipal().getName(), security::isUserInRole);
  }
}
