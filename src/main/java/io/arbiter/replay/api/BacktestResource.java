package io.arbiter.replay.api;

import io.arbiter.event.IriScheme;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Analyses of a policy version over recorded decisions: {@code POST .../backtest}, {@code GET
 * .../shadow-report}, {@code GET .../coverage}. The class path names the analysis so that other
 * paths under a version stay with {@link io.arbiter.policy.api.PolicyResource}.
 */
@Path("api/v1/policies/{id}/versions/{version}/{analysis: backtest|shadow-report|coverage}")
@RequestScoped
@Tag(name = "policies")
public class PolicyAnalysisResource {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  @Inject ReplayService replays;
  @Inject IriScheme iris;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      summary = "Shadow report or rule coverage of a policy version",
      description =
          "shadow-report: how the version, evaluated in shadow, agreed with the routing applied"
              + " beside it, with the disagreements paged (offset, limit). coverage: how often each"
              + " guardrail and rule decided, which never did, and the share reaching the default.")
  @APIResponse(
      responseCode = "200",
      content = {
        @Content(schema = @Schema(implementation = ReplayViews.Shadow.class)),
        @Content(schema = @Schema(implementation = ReplayViews.CoverageView.class))
      })
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "405", ref = "methodNotAllowed")
  public Object read(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @PathParam("analysis") String analysis,
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit) {
    return switch (analysis) {
      case "shadow-report" -> {
        List<FieldError> errors = new ArrayList<>();
        long from = offset(offset, errors);
        int size = limit(limit, errors);
        failOn(errors);
        yield ReplayViews.Shadow.of(replays.shadowReport(id, version, from, size), iris);
      }
      case "coverage" -> ReplayViews.CoverageView.of(replays.coverage(id, version), iris);
      default -> throw notAllowed("POST");
    };
  }

  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      summary = "Backtest a policy version",
      description =
          "Evaluates the version (in any state) over recorded decisions of its models submitted in"
              + " [from, to) and reports how many would change route, by route pair and by rule,"
              + " the human-review rate before and after, and the changed decisions paged (offset,"
              + " limit). Body: {\"from\": instant, \"to\": instant}, both optional. Records"
              + " nothing.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ReplayViews.Backtest.class)))
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "405", ref = "methodNotAllowed")
  @APIResponse(responseCode = "422", ref = "invalid")
  public ReplayViews.Backtest backtest(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @PathParam("analysis") String analysis,
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit,
      InputStream body) {
    if (!analysis.equals("backtest")) {
      throw notAllowed("GET");
    }
    List<FieldError> errors = new ArrayList<>();
    long from = offset(offset, errors);
    int size = limit(limit, errors);
    failOn(errors);
    JsonObject range =
        RequestBodies.optionalObject(RequestBodies.read(body, maxBodyBytes), Set.of("from", "to"));
    List<FieldError> invalid = new ArrayList<>();
    Optional<Instant> start = instant(range, "from", invalid);
    Optional<Instant> end = instant(range, "to", invalid);
    if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
      invalid.add(new FieldError("to", "must be after from"));
    }
    if (!invalid.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "The time range is not valid.", invalid);
    }
    return ReplayViews.Backtest.of(replays.backtest(id, version, start, end, from, size), iris);
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

  private static long offset(String raw, List<FieldError> errors) {
    if (raw == null) {
      return 0;
    }
    try {
      long offset = Long.parseLong(raw);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("offset", "must be a non-negative integer"));
    return 0;
  }

  private static int limit(String raw, List<FieldError> errors) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
    return DEFAULT_LIMIT;
  }

  private static void failOn(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
  }

  private static ProblemException notAllowed(String allowed) {
    return new ProblemException(
        ProblemType.METHOD_NOT_ALLOWED, "Use " + allowed + " for this analysis.");
  }
}
