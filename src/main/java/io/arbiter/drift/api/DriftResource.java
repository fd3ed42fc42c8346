package io.arbiter.drift.api;

import io.arbiter.drift.DriftMonitor;
import io.arbiter.drift.DriftRecords;
import io.arbiter.drift.DriftSettings;
import io.arbiter.drift.DriftStatus;
import io.arbiter.drift.ReferenceJson;
import io.arbiter.drift.ReferenceProfile;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
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
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
                          i.ks().isPresent() ? i.ks().getAsDouble() : null,
                          i.counts()))
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
          Double ks,
      @Schema(
              description =
                  "The window's values per bucket now, in the reference's bucket order: a"
                      + " histogram's bins; a categorical's categories in sorted order, then one"
                      + " bucket for categories the reference never saw")
          List<Long> counts) {}

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
      summary = "Upload reference distributions of a model version, for another person to approve",
      description =
          "Body {\"inputs\": {\"<name>\": {\"type\": \"histogram\", \"edges\": [k+1 ascending], "
              + "\"counts\": [k]} | {\"type\": \"categorical\", \"counts\": {\"<category>\": n}}}, "
              + "\"score\": {histogram}}. Counts may be shares. The profile awaits approval by "
              + "another person (approveDriftReference) and replaces any profile awaiting it; "
              + "once approved it replaces the reference in force. Answers the pending profile, "
              + "with the IRI it will have.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReferenceRequest")))
  @APIResponse(
      responseCode = "202",
      description = "The profile, awaiting approval",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReference")))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response upload(
      @PathParam("name") String name, @PathParam("version") String version, InputStream body) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    JsonObject object =
        RequestBodies.object(RequestBodies.read(body, maxBodyBytes), "inputs and score");
    ReferenceProfile.Pending pending =
        monitor.propose(ReferenceJson.parse(model, object), security.getUserPrincipal().getName());
    return Response.accepted(pendingJson(pending)).build();
  }

  @GET
  @Path("reference/pending")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_AUTHOR, Roles.POLICY_APPROVER, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getPendingDriftReference",
      summary = "The reference profile of a model version awaiting approval")
  @APIResponse(
      responseCode = "200",
      description = "The pending profile, with the IRI it will have and its author",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReference")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response pending(@PathParam("name") String name, @PathParam("version") String version) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    ReferenceProfile.Pending pending =
        monitor
            .pending(model)
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemType.NOT_FOUND,
                        "No reference profile of model " + model + " awaits approval."));
    return Response.ok(pendingJson(pending)).build();
  }

  @POST
  @Path("reference/approve")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.POLICY_APPROVER)
  @Operation(
      operationId = "approveDriftReference",
      summary = "Approve the pending reference profile, putting it in force",
      description =
          "Body {\"reference\": \"<IRI of the pending profile>\"}. Never by its author (403"
              + " separation-of-duties); a profile uploaded since the one named is not approved"
              + " (409). The approved profile replaces the reference in force: the windows start"
              + " empty, and an alarm already raised stays until cleared.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Approval.class)))
  @APIResponse(
      responseCode = "200",
      description = "The profile as recorded, now in force",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DriftReference")))
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "503", ref = "unavailable")
  public Response approve(
      @PathParam("name") String name, @PathParam("version") String version, InputStream body) {
    ModelVersionRef model = new ModelVersionRef(name, version);
    JsonObject object =
        RequestBodies.object(RequestBodies.read(body, MAX_APPROVAL_BYTES), "reference");
    if (!(object.get("reference") instanceof JsonString reference)
        || reference.getString().isEmpty()
        || reference.getString().length() > MAX_IRI) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "Name the pending profile to approve.",
          List.of(
              new FieldError(
                  "reference", "must be the pending profile's IRI (at most " + MAX_IRI + ")")));
    }
    return linked(
        monitor.approve(model, reference.getString(), security.getUserPrincipal().getName()));
  }

  /** The body of an approval. */
  @Schema(name = "DriftReferenceApproval")
  public record Approval(
      @Schema(description = "IRI of the pending profile, as its upload answered", maxLength = 2048)
          String reference) {}

  private static final int MAX_IRI = 2048;
  private static final int MAX_APPROVAL_BYTES = 4096;

  private JsonObject pendingJson(ReferenceProfile.Pending pending) {
    return Jsonp.PROVIDER
        .createObjectBuilder(ReferenceJson.toJson(pending.profile()))
        .add("model", pending.profile().model().name())
        .add("version", pending.profile().model().version())
        .add("iri", pending.iri())
        .add("status", "pending")
        .add("author", pending.author())
        .add("uploadedAt", pending.uploadedAt().toString())
        .build();
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
