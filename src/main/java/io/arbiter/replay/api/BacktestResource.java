package io.arbiter.replay.api;

import io.arbiter.event.IriScheme;
import io.arbiter.jobs.api.Prefer;
import io.arbiter.jobs.api.Reports;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.replay.BacktestWindow;
import io.arbiter.replay.ReplayService;
import io.arbiter.security.Roles;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST .../versions/{version}/backtest}; a root class of its own for the reason {@link
 * ShadowReportResource} gives.
 */
@Path("api/v1/policies/{id}/versions/{version}/backtest")
@RequestScoped
@Tag(name = "policies")
public class BacktestResource {

  @Inject ReplayService replays;
  @Inject io.arbiter.decision.DecisionService decisions;
  @Inject IriScheme iris;
  @Inject Reports reports;
  @Inject Clock clock;
  @Context HttpHeaders headers;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @Inject
  @ConfigProperty(name = "arbiter.backtest.max-window")
  Duration maxWindow;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "backtestPolicyVersion",
      summary = "Backtest a policy version",
      description =
          "Evaluates the version (in any state) over recorded decisions of its models submitted in"
              + " [from, to) and reports how many would change route, by route pair and by rule,"
              + " the human-review rate before and after, and the changed decisions paged (offset,"
              + " limit). Body: {\"from\": instant, \"to\": instant}, both optional: to is now"
              + " when left out, from is arbiter.backtest.max-window (31 days) before to; a longer"
              + " window is refused (422 naming from). Records nothing. With Prefer: respond-async,"
              + " runs as a job (202, the job at Location; progress counts decisions evaluated).")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = Prefer.DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, example = "respond-async"))
  @RequestBody(
      required = false,
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TimeRange")))
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.Backtest.class)))
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "reportsBusy")
  public Response backtest(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @Parameter(
              description = "Changed decisions to skip",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("offset")
          String offset,
      @Parameter(
              description = "Changed decisions in the page",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "500",
                      defaultValue = "50"))
          @QueryParam("limit")
          String limit,
      InputStream body) {
    AnalysisPaging page = AnalysisPaging.parse(offset, limit);
    JsonObject range =
        RequestBodies.optionalObject(RequestBodies.read(body, maxBodyBytes), Set.of("from", "to"));
    List<FieldError> invalid = new ArrayList<>();
    Optional<Instant> start = instant(range, "from", invalid);
    Optional<Instant> end = instant(range, "to", invalid);
    if (!invalid.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The time range is not valid.", invalid);
    }
    BacktestWindow window = BacktestWindow.of(start, end, clock.instant(), maxWindow);
    replays.requireVersion(id, version);
    // Taken now: the report may run after the request has ended.
    var tenants = decisions.scopeOf(security.getUserPrincipal().getName());
    return reports.run(
        "backtest",
        headers,
        security,
        uri,
        progress ->
            ReplayViews.Backtest.of(
                replays.backtest(
                    id,
                    version,
                    Optional.of(window.from()),
                    Optional.of(window.to()),
                    page.offset(),
                    page.limit(),
                    progress,
                    tenants),
                iris));
  }

  private static Optional<Instant> instant(JsonObject body, String key, List<FieldError> errors) {
    JsonValue value = body.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonString text) {
      try {
        return Optional.of(Instant.parse(text.getString()));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    errors.add(new FieldError(key, "must be an ISO-8601 instant such as 2026-11-01T00:00:00Z"));
    return Optional.empty();
  }
}
