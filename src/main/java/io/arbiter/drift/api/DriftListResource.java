package io.arbiter.drift.api;

import io.arbiter.decision.DecisionScope;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.event.IriScheme;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/drift}: the drift now of every monitored model version. */
@Path("api/v1/drift")
@RequestScoped
@Tag(name = "drift")
public class DriftListResource {

  @Inject DriftMonitor monitor;
  @Inject IriScheme iris;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.ADMIN,
    Roles.LEAD_REVIEWER
  })
  @Operation(
      operationId = "listDrift",
      summary = "The drift now of every monitored model version",
      description =
          "model, and modelVersion with it, narrow the list to that model's versions. Drift is"
              + " a model version's, measured over every tenant's decisions against one reference"
              + " profile, so there is no tenant or context filter.")
  @APIResponse(responseCode = "200", description = "One DriftStatus per model version")
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<DriftResource.StatusView> all(
      @Parameter(description = "Only this model's versions") @QueryParam("model") String model,
      @Parameter(description = "Only this version of model") @QueryParam("modelVersion")
          String modelVersion) {
    List<FieldError> errors = new ArrayList<>();
    DecisionScope named = DecisionScope.parse(model, modelVersion, null, errors);
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "Some query parameters are invalid.", errors);
    }
    return monitor.statuses().stream()
        .filter(s -> named.model().map(s.model().name()::equals).orElse(true))
        .filter(s -> named.modelVersion().map(s.model().version()::equals).orElse(true))
        .map(s -> DriftResource.StatusView.of(s, iris, monitor.settings()))
        .toList();
  }
}
