package io.arbiter.drift.api;

import io.arbiter.drift.DriftMonitor;
import io.arbiter.drift.DriftRecords;
import io.arbiter.drift.DriftSettings;
import io.arbiter.drift.DriftStatus;
import io.arbiter.drift.ReferenceJson;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Drift monitoring of a model version: {@code /api/v1/models/{name}/versions/{version}/reference}
 * (the reference distributions) and {@code .../drift} (the drift now); {@link DriftListResource}
 * lists every monitored version.
 *
 * <p>Why the class path is this long: JAX-RS picks one root resource class by the longest literal
 * prefix before looking at its methods, so a class at {@code api/v1} would take every request under
 * it (the ledger's, for one) and answer 404.
 */
@Path("api/v1/models/{name}/versions/{version}")
@RequestScoped
@Tag(name = "drift")
public class DriftResource {

  @Inject DriftMonitor monitor;
  @Inject IriScheme iris;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;
  @Context UriInfo uri;

  /** A model version's drift now. */
  @Schema(name = "DriftStatus")
  public record StatusView(
      String model,
      String version,
      @Schema(description = "IRI of the reference profile in force") String reference,
      boolean alarm,
      @Schema(description = "IRI of the raised alarm, while one is") String alarmIri,
      @Schema(description = "When the statistics below were computed") Instant assessedAt,
      List<InputView> inputs,
      Thresholds thresholds) {

    static StatusView of(DriftStatus status, IriScheme iris, DriftSettings settings) {
      return new StatusView(
          status.model().name(),
          status.model().version(),
          status.referenceIri(),
          status.alarm().isPresent(),
          status.alarm().map(iris::driftAlarm).orElse(null),
          status.assessedAt().orElse(null),
          status.inputs().stream()
              .map(
                  i ->
                      new InputView(
                          i.name(),
                          i.samples(),
                          i.psi().isPresent() ? i.psi().getAsDouble() : null,
                          i.ks().isPresent() ? i.ks().getAsDouble() : null))
              .toList(),
          Thresholds.of(settings));
    }
  }

  /** One monitored input (or the score, as output.score). */
  @Schema(name = "DriftInput")
  public record InputView(
      String name,
      @Schema(description = "Values in its window now") long samples,
      @Schema(description = "Population stability index at the last assessment") Double psi,
      @Schema(description = "Kolmogorov–Smirnov statistic at the last assessment (numeric)")
          Double ks) {}

  /** When alarms are raised and cleared. */
  @Schema(name = "DriftThresholds")
  public record Thresholds(
      int window,
      int minSamples,
      double psiAlarm,
      double psiClear,
      double ksAlarm,
      double ksClear) {
    static Thresholds of(DriftSettings s) {
      return new Thresholds(
          s.window(), s.minSamples(), s.psiAlarm(), s.psiClear(), s.ksAlarm(), s.ksClear());
    }
  }

  @PUT
  @Path("reference")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.ADMIN})
  @Operation(
      operationId = "putDriftReference",
      summary = "Register the reference distributions of a model version",
      description =
          "Body {\"inputs\": {\"<name>\": {\"type\": \"histogram\", \"edges\": [k+1 ascending], "
              + "\"counts\": [k]} | {\"type\": \"categorical\", \"counts\": {\"<category>\": n}}}, "
              + "\"score\": {histogram}}. Counts may be shares. Replaces any earlier profile; the "
              + "windows start empty, and an alarm already raised stays until cleared. Answers "
              + "the profile as recorded, with its IRI.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReferenceRequest")))
  @APIResponse(
      responseCode = "200",
      description = "The profile as recorded",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReference")))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response register(
      @PathParam("name") String name, @PathParam("version") String version, InputStream body) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    JsonObject object =
        RequestBodies.object(RequestBodies.read(body, maxBodyBytes), "inputs and score");
    DriftRecords.StoredReference stored =
        monitor.register(ReferenceJson.parse(model, object), security.getUserPrincipal().getName());
    return linked(stored);
  }

  @GET
  @Path("reference")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getDriftReference",
      summary = "The reference distributions in force for a model version")
  @APIResponse(
      responseCode = "200",
      description = "The profile, with its IRI",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReference")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response reference(@PathParam("name") String name, @PathParam("version") String version) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    DriftRecords.StoredReference stored =
        monitor.reference(model).orElseThrow(() -> notMonitored(model));
    return linked(stored);
  }

  @GET
  @Path("drift")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.AUDITOR,
    Roles.ADMIN,
    Roles.LEAD_REVIEWER
  })
  @Operation(
      operationId = "getModelVersionDrift",
      summary = "A model version's drift now",
      description =
          "Per monitored input: the window's size, and the PSI and KS statistics of the last "
              + "assessment (absent until the window holds min-samples values); and the alarm, "
              + "while one is raised. Policies see the same figures as drift.psi, drift.ks and "
              + "drift.alarm.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = StatusView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public StatusView drift(@PathParam("name") String name, @PathParam("version") String version) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    return StatusView.of(
        monitor.status(model).orElseThrow(() -> notMonitored(model)), iris, monitor.settings());
  }

  /** The profile as JSON, with PROV-AQ links to its provenance: it is an entity of the graph. */
  private Response linked(DriftRecords.StoredReference stored) {
    return ProvenanceLinks.add(
            Response.ok(withIri(stored, stored.iri())),
            uri,
            security::isUserInRole,
            stored.iri(),
            ProvenanceLinks.dereference(iris, stored.iri()))
        .build();
  }

  private static JsonObject withIri(DriftRecords.StoredReference stored, String iri) {
    return Jsonp.PROVIDER
        .createObjectBuilder(ReferenceJson.toJson(stored.profile()))
        .add("model", stored.profile().model().name())
        .add("version", stored.profile().model().version())
        .add("iri", iri)
        .build();
  }

  private static ProblemException notMonitored(ModelVersionRef model) {
    return new ProblemException(
        ProblemType.NOT_FOUND, "No reference profile is registered for model " + model + ".");
  }
}
