package io.arbiter.decision.api;

import io.arbiter.decision.ContextMatch;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionScope;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.DecisionTable;
import io.arbiter.decision.TenantScope;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/decisions/table}: one model's decisions over a window as a table ({@link
 * DecisionTable}), CSV or JSON Lines, streamed from the in-memory index; under a context match,
 * each page of rows has its contexts read from the graph first ({@link
 * DecisionService#withContext}).
 */
@Path("api/v1/decisions/table")
@RequestScoped
@Tag(name = "decisions")
public class DecisionTableResource {

  /** The longest window one table covers. */
  static final Duration MAX_WINDOW = Duration.ofDays(366);

  @Inject DecisionService decisions;
  @Inject Clock clock;
  @jakarta.ws.rs.core.Context jakarta.ws.rs.core.SecurityContext security;

  @GET
  @Produces({"text/csv", "application/jsonl"})
  // Every submitter's decisions, as the decision list shows them to these roles.
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getDecisionTable",
      summary = "One model's decisions as a table",
      description =
          "The decisions of one model (optionally one version and one tenant) submitted in [from,"
              + " to) (default: the last 30 days; at most 366 days), newest first, one row each:"
              + " decision, submission time, model version, tenant, policy version, route, rule"
              + " kind and rule, status, how humans settled it (outcome, basis, whether against"
              + " the model, when) and the recorded outcome (its latest revision, when observed)."
              + " Narrowed to one context value by contextKey and contextValue, as the HITL"
              + " figures are. CSV with a header row (default) or JSON Lines by ?format=;"
              + " streamed.")
  @APIResponse(
      responseCode = "200",
      description = "The table",
      content = {
        @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
        @Content(mediaType = "application/jsonl", schema = @Schema(type = SchemaType.STRING))
      })
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public Response table(
      @Parameter(description = "Model name", required = true) @QueryParam("model") String model,
      @Parameter(description = "Only this version of the model") @QueryParam("modelVersion")
          String modelVersion,
      @Parameter(description = "Only decisions submitted for this tenant") @QueryParam("tenant")
          String tenant,
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
      @BeanParam ContextParameters contextParameters,
      @Parameter(
              description = "csv (default) or jsonl",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"csv", "jsonl"}))
          @QueryParam("format")
          String format) {
    List<FieldError> errors = new ArrayList<>();
    if (model == null) {
      errors.add(new FieldError("model", "is required: the table is one model's"));
    }
    DecisionScope scope = DecisionScope.parse(model, modelVersion, tenant, errors);
    // A caller bound to tenants counts only its tenants' decisions, whatever it filters by.
    TenantScope tenants = decisions.scopeOf(security.getUserPrincipal().getName());
    Optional<ContextMatch> context = contextParameters.parse(errors);
    Optional<DecisionTable.Format> chosen =
        format == null
            ? Optional.of(DecisionTable.Format.CSV)
            : DecisionTable.Format.fromWireName(format);
    if (chosen.isEmpty()) {
      errors.add(new FieldError("format", "must be csv or jsonl"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    TimeWindow window = TimeWindow.parse(from, to, clock.instant(), Duration.ofDays(30));
    if (Duration.between(window.from(), window.to()).compareTo(MAX_WINDOW) > 0) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST,
          "The window is too long for one table.",
          List.of(new FieldError("to", "must be at most 366 days after from")));
    }
    DecisionQuery query =
        DecisionQuery.scoped(
            scope.model(),
            scope.modelVersion(),
            Optional.of(window.from()),
            Optional.of(window.to()),
            scope.tenant());
    DecisionTable.Format syntax = chosen.get();
    StreamingOutput body =
        out ->
            DecisionTable.write(
                syntax,
                out,
                row ->
                    decisions.forEachSummary(
                        query,
                        // Half-open window and the scope, whatever the index does at its bounds.
                        summary ->
                            summary.submittedAt().isBefore(window.to())
                                && scope.contains(summary)
                                && tenants.sees(summary),
                        context,
                        row));
    return Response.ok(body, syntax.mediaType + "; charset=utf-8")
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + model + "-decisions." + syntax.wireName + "\"")
        .build();
  }
}
