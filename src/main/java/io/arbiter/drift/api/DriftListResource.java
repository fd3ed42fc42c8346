package io.arbiter.drift.api;

import io.arbiter.drift.DriftMonitor;
import io.arbiter.event.IriScheme;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
  @Operation(operationId = "listDrift", summary = "The drift now of every monitored model version")
  @APIResponse(responseCode = "200", description = "One DriftStatus per model version")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public List<DriftResource.StatusView> all() {
    return monitor.statuses().stream()
        .map(s -> DriftResource.StatusView.of(s, iris, monitor.settings()))
        .toList();
  }
}
