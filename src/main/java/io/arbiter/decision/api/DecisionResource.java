package io.arbiter.decision.api;

import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionStatus;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.PageCursor;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.decision.Submission;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.PolicyParser;
import io.arbiter.policy.Route;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/decisions}: submit a decision for routing; read decisions back.
 *
 * <p>One instance for the application (its fields are services and the container's per-request
 * proxies): creating a request-scoped resource on every request took a third of intake's request
 * thread time under load, measured with JFR (docs/performance.md).
 */
@Path("api/v1/decisions")
@jakarta.enterprise.context.ApplicationScoped
@Tag(name = "decisions")
public class DecisionResource {

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  @Inject DecisionService service;
  @Inject ResumeExecutor executor;
  @Inject IriScheme iris;
  @Inject java.time.Clock clock;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;
  @Context UriInfo uri;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.INTEGRATOR)
  @Operation(
      operationId = "submitDecision",
      summary = "Submit a decision",
      description =
          "Routes an AI decision by the policy governing its model and records it as a PROV "
              + "bundle. Answers 201 when the policy automated it (approve or reject) and 202 when it "
              + "waits for human review. With an Idempotency-Key, repeating the same request returns "
              + "the first answer (header Idempotent-Replayed: true) and records nothing new. A "
              + "`tenant` the caller is not granted is refused (403 tenant-not-granted) before "
              + "anything is recorded.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DecisionRequestSchema.class)))
  @APIResponse(
      responseCode = "201",
      description = "Automated: approved or rejected by policy",
      headers =
          @Header(
              name = "Location",
              description = "The decision's URL",
              schema = @Schema(type = SchemaType.STRING, format = "uri")),
      content = @Content(schema = @Schema(implementation = SubmissionView.class)))
  @APIResponse(
      responseCode = "202",
      description = "Waiting for human review",
      headers =
          @Header(
              name = "Location",
              description = "The decision's URL",
              schema = @Schema(type = SchemaType.STRING, format = "uri")),
      content = @Content(schema = @Schema(implementation = SubmissionView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbiddenTenant")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "413", ref = "tooLarge")
  @APIResponse(responseCode = "415", ref = "unsupportedMediaType")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public Response submit(
      InputStream body,
      @Parameter(
              description =
                  "Makes retries safe: same key and body return the same decision; "
                      + "the same key with another body is refused (409). 1 to 255 printable ASCII characters.")
          @HeaderParam("Idempotency-Key")
          String idempotencyKey) {
    byte[] bytes = RequestBodies.read(body, maxBodyBytes);
    var request = DecisionRequestParser.parse(bytes);
    Optional<Decision.Idempotency> idempotency = Optional.empty();
    if (idempotencyKey != null) {
      if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
        throw new ProblemException(
            ProblemType.BAD_REQUEST,
            "The Idempotency-Key header is not valid.",
            List.of(
                new FieldError(
                    "Idempotency-Key",
                    "must be 1 to 255 printable ASCII characters without spaces")));
      }
      idempotency =
          Optional.of(
              new Decision.Idempotency(idempotencyKey, RequestBodies.canonicalDigest(bytes)));
    }
    Submission submission = service.submit(request, caller(), idempotency);
    RecordedDecision recorded = submission.recorded();
    Response.ResponseBuilder response =
        Response.status(
                recorded.decision().evaluation().route().automated()
                    ? Response.Status.CREATED
                    : Response.Status.ACCEPTED)
            .location(
                uri.getBaseUriBuilder()
                    .path("api/v1/decisions/{id}")
                    .build(recorded.decision().id().value()))
            .entity(SubmissionView.of(submission, iris));
    if (submission.replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.build();
  }

  /** A ground truth as the API shows it. */
  @Schema(name = "Outcome")
  public record OutcomeView(
      @Schema(
              description =
                  "What the decision should have been, in hindsight: an outcome of the routing"
                      + " policy's vocabulary (approve or reject in the demo's)")
          String outcome,
      String note,
      Instant observedAt,
      String recordedBy,
      Instant recordedAt,
      @Schema(
              description =
                  "1 for the first outcome recorded; each correction is the next revision, and"
                      + " the latest stands (earlier ones stay in the graph)")
          int revision,
      @Schema(description = "Why this revision corrects the one before; absent on revision 1")
          String reason) {
    static OutcomeView of(GroundTruth t) {
      return new OutcomeView(
          t.correct().wireName(),
          t.note().orElse(null),
          t.observedAt(),
          t.recordedBy(),
          t.recordedAt(),
          t.revision(),
          t.reason().orElse(null));
    }
  }

  @POST
  @Path("{id}/outcome")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.ADMIN})
  @Operation(
      operationId = "recordOutcome",
      summary = "Record the outcome",
      description =
          "The ground truth learnt later: {\"outcome\": one of the outcomes of the policy version "
              + "that routed the decision (approve|reject in the demo): what the decision "
              + "should have been, \"observedAt\": instant (default now), \"note\"}. A second "
              + "outcome is a correction and needs \"reason\" (409 naming reason without one): "
              + "it revises the outcome recorded before, which stays in the history. Reviewer "
              + "accuracy and automation precision are measured against the latest. Integrators "
              + "record outcomes of their own decisions.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "OutcomeRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = OutcomeView.class)))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public Response recordOutcome(@PathParam("id") String id, InputStream body) {
    DecisionSummary decision = service.requireVisible(id, caller(), readsAll());
    var json =
        RequestBodies.optionalObject(
            RequestBodies.read(body, maxBodyBytes),
            java.util.Set.of("outcome", "observedAt", "note", "reason"));
    List<FieldError> errors = new ArrayList<>();
    OutcomeVocabulary vocabulary = service.vocabularyOf(decision);
    Optional<Route> outcome =
        json.get("outcome") instanceof jakarta.json.JsonString s
                && vocabulary.contains(s.getString())
            ? Route.fromWireName(s.getString())
            : Optional.empty();
    if (outcome.isEmpty()) {
      errors.add(
          new FieldError(
              "outcome", "required: one of the policy's outcomes " + vocabulary.outcomes()));
    }
    Instant now = clock.instant();
    Instant observedAt = now;
    if (json.containsKey("observedAt")) {
      try {
        observedAt = Instant.parse(((jakarta.json.JsonString) json.get("observedAt")).getString());
        if (observedAt.isAfter(now.plusSeconds(60))
            || observedAt.isBefore(decision.submittedAt())) {
          errors.add(
              new FieldError("observedAt", "must lie between the decision's submission and now"));
        }
      } catch (ClassCastException | DateTimeParseException e) {
        errors.add(new FieldError("observedAt", "must be an ISO-8601 instant"));
      }
    }
    Optional<String> note = Optional.empty();
    if (json.containsKey("note")) {
      if (json.get("note") instanceof jakarta.json.JsonString s && s.getString().length() <= 2000) {
        note = Optional.of(s.getString()).filter(n -> !n.isBlank());
      } else {
        errors.add(new FieldError("note", "must be a string of at most 2000 characters"));
      }
    }
    Optional<String> reason = Optional.empty();
    if (json.containsKey("reason")) {
      if (json.get("reason") instanceof jakarta.json.JsonString s
          && !s.getString().isBlank()
          && s.getString().length() <= 2000) {
        reason = Optional.of(s.getString());
      } else {
        errors.add(
            new FieldError("reason", "must be a non-blank string of at most 2000 characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The outcome has invalid fields.", errors);
    }
    GroundTruth truth =
        service.recordTruth(
            decision, new GroundTruth(outcome.get(), note, observedAt, caller(), now), reason);
    return Response.status(Response.Status.CREATED).entity(OutcomeView.of(truth)).build();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getDecision",
      summary = "Get a decision",
      description =
          "The decision with its facts, route, matched rule and evaluation trace, and once humans "
              + "settled it, the outcome that stands. Integrators see only decisions they "
              + "submitted; callers bound to tenants (arbiter.tenants-file) only their tenants'"
              + " (another's is 404). With `Prefer: wait=N` (N up to 60) on a decision pending review, the "
              + "answer comes as soon as it is settled, or after N seconds as it stands then.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = DecisionView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public void get(
      @PathParam("id") String id,
      @Parameter(description = "wait=N: wait up to N seconds (at most 60) for the settlement")
          @HeaderParam("Prefer")
          String prefer,
      @Suspended AsyncResponse response) {
    DecisionSummary summary = service.requireVisible(id, caller(), readsAll());
    Optional<Integer> wait = PreferWait.seconds(prefer);
    // Read here: the answer may be built on another thread.
    URI base = uri.getBaseUri();
    Predicate<String> roles = ProvenanceLinks.rolesOf(security::isUserInRole);
    if (wait.isEmpty() || summary.status() != DecisionStatus.PENDING_REVIEW) {
      response.resume(withLinks(view(summary), summary, base, roles));
      return;
    }
    // The request thread is not held while waiting. The container's own timeout answers with the
    // decision as it stands; a settlement answers at once, built on a managed thread rather than
    // on the thread that recorded the settlement. Whichever comes first wins (resume once).
    response.setTimeoutHandler(timedOut -> resumeWithView(timedOut, summary, base, roles));
    response.setTimeout(wait.get(), TimeUnit.SECONDS);
    service
        .resolution(summary.id())
        .thenRunAsync(() -> resumeWithView(response, summary, base, roles), executor);
  }

  private void resumeWithView(
      AsyncResponse response, DecisionSummary summary, URI base, Predicate<String> roles) {
    try {
      response.resume(withLinks(view(summary), summary, base, roles));
    } catch (RuntimeException e) {
      response.resume(e);
    }
  }

  /**
   * The view, with PROV-AQ links to the decision's whole story and to the query service, as far as
   * the caller may follow them.
   */
  private Response withLinks(
      DecisionView view, DecisionSummary summary, URI base, Predicate<String> roles) {
    String id = summary.id().value();
    return ProvenanceLinks.add(
            Response.ok(view),
            base,
            roles,
            iris.decision(id),
            ProvenanceLinks.decisionProvenance(id))
        .build();
  }

  private DecisionView view(DecisionSummary summary) {
    RecordedDecision recorded =
        service
            .find(summary.id())
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NOT_FOUND, "No decision " + summary.id() + " is visible."));
    return DecisionView.of(recorded, service.resolutionOf(summary.id()), iris);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "listDecisions",
      summary = "List decisions",
      description =
          "Newest first, filtered, in pages. Integrators see only decisions they submitted;"
              + " callers bound to tenants (arbiter.tenants-file) only their tenants'. `tenant`"
              + " selects the decisions submitted for that tenant.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = DecisionListView.class)))
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public DecisionListView list(
      @Parameter(
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      description =
                          "review, or an outcome of a policy's vocabulary (approve or reject in"
                              + " the demo's)"))
          @QueryParam("route")
          String route,
      @Parameter(
              description =
                  "automated: routed by policy; pending_review: waiting for humans; settled:"
                      + " reviewed and settled",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"automated", "pending_review", "settled"}))
          @QueryParam("status")
          String status,
      @Parameter(description = "Model name") @QueryParam("model") String model,
      @Parameter(description = "Model version (with model)") @QueryParam("modelVersion")
          String modelVersion,
      @Parameter(
              description = "Submitted at or after (ISO-8601 instant)",
              schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("from")
          String from,
      @Parameter(
              description = "Submitted before (ISO-8601 instant)",
              schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("to")
          String to,
      @Parameter(description = "Only decisions submitted for this tenant") @QueryParam("tenant")
          String tenant,
      @Parameter(
              description =
                  "Only decisions about this case (the integrator's `subject`, exactly), from an"
                      + " index of subjects",
              schema = @Schema(type = SchemaType.STRING, maxLength = 4096))
          @QueryParam("subject")
          String subject,
      @Parameter(
              description =
                  "Only decisions whose routing named this rule: a guardrail or rule id, `default`,"
                      + " or the rule a fail-safe stopped at")
          @QueryParam("rule")
          String rule,
      @Parameter(description = "From the previous page's `next`") @QueryParam("cursor")
          String cursor,
      @Parameter(
              description = "Page size, 1 to 500",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "500",
                      defaultValue = "50"))
          @QueryParam("limit")
          String limit) {
    List<FieldError> errors = new ArrayList<>();
    DecisionQuery query =
        new DecisionQuery(
            parse(route, "route", s -> service.route(s).orElse(null), errors),
            parse(status, "status", s -> DecisionStatus.fromWireName(s).orElse(null), errors),
            Optional.ofNullable(model),
            Optional.ofNullable(modelVersion),
            parse(from, "from", DecisionResource::instant, errors),
            parse(to, "to", DecisionResource::instant, errors),
            parse(tenant, "tenant", DecisionResource::id, errors),
            parse(subject, "subject", DecisionResource::subject, errors),
            parse(rule, "rule", DecisionResource::id, errors),
            readsAll() ? Optional.empty() : Optional.of(caller()),
            parse(cursor, "cursor", c -> PageCursor.decode(c).orElse(null), errors),
            parse(limit, "limit", DecisionResource::limit, errors).orElse(50));
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    var page = service.list(query, service.scopeOf(caller()));
    return new DecisionListView(
        page.items().stream().map(s -> DecisionListView.Item.of(s, iris)).toList(),
        page.next().map(PageCursor::encode).orElse(null));
  }

  private boolean readsAll() {
    return Roles.readsAllDecisions(security::isUserInRole);
  }

  private String caller() {
    return security.getUserPrincipal().getName();
  }

  private static <T> Optional<T> parse(
      String raw, String field, Function<String, T> parser, List<FieldError> errors) {
    if (raw == null) {
      return Optional.empty();
    }
    T value = parser.apply(raw);
    if (value == null) {
      errors.add(new FieldError(field, "'" + raw + "' is not a valid value"));
    }
    return Optional.ofNullable(value);
  }

  private static Instant instant(String raw) {
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A subject as intake accepts one (not blank, bounded). */
  private static String subject(String raw) {
    return raw.isBlank() || raw.length() > DecisionRequestParser.MAX_TEXT ? null : raw;
  }

  /**
   * A tenant or rule id by the one rule for ids (policy and tenant ids share it), so a typo is told
   * rather than matching nothing.
   */
  private static String id(String raw) {
    return PolicyParser.ID.matcher(raw).matches() ? raw : null;
  }

  private static Integer limit(String raw) {
    try {
      int n = Integer.parseInt(raw);
      return n >= 1 && n <= DecisionQuery.MAX_LIMIT ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
