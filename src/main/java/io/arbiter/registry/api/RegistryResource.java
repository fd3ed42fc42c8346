package io.arbiter.registry.api;

import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.DataEntries;
import io.arbiter.registry.DataEntry;
import io.arbiter.registry.DataRegistry;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.registry.Registration;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The registry: data sources, datasets and their versions, features, and model versions. JSON
 * documents in; each answer is the document as registered plus its IRI, who registered it and when.
 * Everything lands in the graph as PROV ({@code docs/registry.md}).
 *
 * <p>One class owns {@code api/v1/registry}: JAX-RS picks one root class per request by its longest
 * literal prefix, and nothing else lives under this one. Reads take the class's roles; writes,
 * model-version reads (integrators too) and approval name their own.
 */
@Path("api/v1/registry")
@RolesAllowed({
  Roles.DATA_STEWARD,
  Roles.AUDITOR,
  Roles.POLICY_AUTHOR,
  Roles.POLICY_APPROVER,
  Roles.ADMIN
})
@RequestScoped
@Tag(name = "registry")
public class RegistryResource {

  @Inject DataRegistry data;
  @Inject ModelRegistry models;
  @Inject IriScheme iris;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context SecurityContext security;
  @Context UriInfo uri;

  // ---------------------------------------------------------------- sources

  @POST
  @Path("sources")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "registerDataSource",
      summary = "Register a data source",
      description =
          "Body {\"id\", \"title\", \"description\"?, \"owner\"?, \"fields\": [{\"name\", "
              + "\"type\"?, \"description\"?}]}. 201 when new; 200 when the same document was "
              + "registered before; 409 when the id holds a different one.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DataSourceRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DataSource")))
  @APIResponse(
      responseCode = "200",
      description = "Already registered, identical",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DataSource")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response registerSource(InputStream body) {
    return created(data.register(DataEntries.source(read(body, "a data source")), caller()));
  }

  @GET
  @Path("sources")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "listDataSources", summary = "Every registered data source")
  @APIResponse(
      responseCode = "200",
      description = "The data sources",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DataSourceList")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public JsonArray sources() {
    return list(data.all("source"));
  }

  @GET
  @Path("sources/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "getDataSource", summary = "One data source")
  @APIResponse(
      responseCode = "200",
      description = "The data source",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DataSource")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response source(@PathParam("id") String id) {
    return linked(view(data.source(id).orElseThrow(() -> notFound("data source " + id))));
  }

  // ---------------------------------------------------------------- datasets

  @POST
  @Path("datasets")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "registerDataset",
      summary = "Register a dataset",
      description = "Body {\"id\", \"title\", \"description\"?, \"owner\"?}.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Registered",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Dataset")))
  @APIResponse(
      responseCode = "200",
      description = "Already registered, identical",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Dataset")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response registerDataset(InputStream body) {
    return created(data.register(DataEntries.dataset(read(body, "a dataset")), caller()));
  }

  @GET
  @Path("datasets")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "listDatasets", summary = "Every registered dataset")
  @APIResponse(
      responseCode = "200",
      description = "The datasets",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DatasetList")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public JsonArray datasets() {
    return list(data.all("dataset"));
  }

  @GET
  @Path("datasets/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "getDataset", summary = "One dataset, with its versions")
  @APIResponse(
      responseCode = "200",
      description = "The dataset",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetWithVersions")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response dataset(@PathParam("id") String id) {
    var dataset = data.dataset(id).orElseThrow(() -> notFound("dataset " + id));
    return linked(
        Jsonp.PROVIDER
            .createObjectBuilder(view(dataset))
            .add("versions", list(data.versionsOf(id)))
            .build());
  }

  @POST
  @Path("datasets/{id}/versions")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "registerDatasetVersion",
      summary = "Register a dataset version",
      description =
          "Body {\"version\", \"contentHash\": \"sha256:<64 hex>\", \"schema\"?: any JSON, "
              + "\"coverage\"?: {\"from\", \"to\"}, \"derivedFrom\": [source ids], "
              + "\"createdAt\"?}. The dataset and every source must be registered.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetVersionRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetVersion")))
  @APIResponse(
      responseCode = "200",
      description = "Already registered, identical",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetVersion")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response registerDatasetVersion(@PathParam("id") String id, InputStream body) {
    JsonObject json = withKey(read(body, "a dataset version"), "dataset", id);
    return created(data.register(DataEntries.datasetVersion(json), caller()));
  }

  @GET
  @Path("datasets/{id}/versions/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "getDatasetVersion", summary = "One dataset version")
  @APIResponse(
      responseCode = "200",
      description = "The dataset version",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "DatasetVersion")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response datasetVersion(@PathParam("id") String id, @PathParam("version") String version) {
    var ref = new DataEntry.DatasetVersionRef(id, version);
    return linked(
        view(data.datasetVersion(ref).orElseThrow(() -> notFound("dataset version " + ref))));
  }

  // ---------------------------------------------------------------- features

  @POST
  @Path("features")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "registerFeature",
      summary = "Register a feature",
      description =
          "Body {\"name\", \"definition\", \"type\"?, \"derivedFrom\": [{\"source\", "
              + "\"field\"}]}; every source field must be registered.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "FeatureRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Registered",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Feature")))
  @APIResponse(
      responseCode = "200",
      description = "Already registered, identical",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Feature")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response registerFeature(InputStream body) {
    return created(data.register(DataEntries.feature(read(body, "a feature")), caller()));
  }

  @GET
  @Path("features")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "listFeatures", summary = "Every registered feature")
  @APIResponse(
      responseCode = "200",
      description = "The features",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FeatureList")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public JsonArray features() {
    return list(data.all("feature"));
  }

  @GET
  @Path("features/{name}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(operationId = "getFeature", summary = "One feature")
  @APIResponse(
      responseCode = "200",
      description = "The feature",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Feature")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response feature(@PathParam("name") String name) {
    return linked(view(data.feature(name).orElseThrow(() -> notFound("feature " + name))));
  }

  // ---------------------------------------------------------------- models

  @GET
  @Path("models")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.DATA_STEWARD,
    Roles.AUDITOR,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.INTEGRATOR,
    Roles.ADMIN
  })
  @Operation(operationId = "listModelVersions", summary = "Every registered model version")
  @APIResponse(
      responseCode = "200",
      description = "The model versions",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "ModelVersionList")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public JsonArray modelVersions() {
    return list(models.all(), RegistryResource::modelView);
  }

  @POST
  @Path("models/{name}/versions")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "registerModelVersion",
      summary = "Register a model version",
      description =
          "Body {\"version\", \"description\"?, \"owner\"?, \"intendedUse\"?, \"trainedOn\": "
              + "[{\"dataset\", \"version\"}], \"training\"?: {\"startedAt\", \"endedAt\", "
              + "\"by\", \"hyperParameters\"}, \"metrics\"?: {name: number}, \"features\": "
              + "[names], \"approvalRequired\"?: boolean}. Dataset versions and features must"
              + " be registered; training must start after the data it used was created."
              + " Decisions naming an unregistered version go to human review (fail-safe), and"
              + " so do those of a version awaiting a required approval (approvalRequired, or"
              + " arbiter.registry.approval-required).")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "ModelVersionRequest")))
  @APIResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ModelVersion")))
  @APIResponse(
      responseCode = "200",
      description = "Already registered, identical",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ModelVersion")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "409", ref = "conflict")
  @APIResponse(responseCode = "422", ref = "invalid")
  public Response registerModelVersion(@PathParam("name") String name, InputStream body) {
    JsonObject json = withKey(read(body, "a model version"), "name", name);
    var result = models.register(ModelVersion.parse(json), caller());
    JsonObject view = modelView(result.registration());
    return Response.status(result.created() ? 201 : 200)
        .location(
            uri.getAbsolutePathBuilder()
                .path(result.registration().value().ref().version())
                .build())
        .entity(view)
        .build();
  }

  @GET
  @Path("models/{name}/versions/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.DATA_STEWARD,
    Roles.AUDITOR,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    Roles.INTEGRATOR,
    Roles.ADMIN
  })
  @Operation(
      operationId = "getModelVersion",
      summary = "One model version: its card, training, metrics and approval")
  @APIResponse(
      responseCode = "200",
      description = "The model version",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ModelVersion")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  public Response modelVersion(
      @PathParam("name") String name, @PathParam("version") String version) {
    var ref = new ModelVersionRef(name, version);
    return linked(modelView(models.find(ref).orElseThrow(() -> notFound("model version " + ref))));
  }

  @POST
  @Path("models/{name}/versions/{version}/approval")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.POLICY_APPROVER, Roles.ADMIN})
  @Operation(
      operationId = "approveModelVersion",
      summary = "Approve a model version for use",
      description =
          "Optional body {\"note\"}. Never by whoever registered the version (403); once only"
              + " (409). Where approval is required, the version's decisions are automated only"
              + " from then on.")
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "ApprovalRequest")))
  @APIResponse(
      responseCode = "200",
      description = "Approved",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ModelVersion")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "409", ref = "conflict")
  public JsonObject approve(
      @PathParam("name") String name, @PathParam("version") String version, InputStream body) {
    JsonObject json =
        RequestBodies.optionalObject(RequestBodies.read(body, maxBodyBytes), Set.of("note"));
    Optional<String> note =
        json.get("note") instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    return modelView(models.approve(new ModelVersionRef(name, version), caller(), note));
  }

  // ---------------------------------------------------------------- views

  /** The view, with PROV-AQ links to the entry's provenance (its /id/ resource) and to SPARQL. */
  private Response linked(JsonObject view) {
    String iri = view.getString("iri");
    return ProvenanceLinks.add(
            Response.ok(view),
            uri,
            security::isUserInRole,
            iri,
            ProvenanceLinks.dereference(iris, iri))
        .build();
  }

  private String caller() {
    return security.getUserPrincipal().getName();
  }

  private JsonObject read(InputStream body, String expected) {
    return RequestBodies.object(RequestBodies.read(body, maxBodyBytes), expected);
  }

  /** The body with the key the path names; a body naming another is refused. */
  private static JsonObject withKey(JsonObject json, String key, String value) {
    if (json.containsKey(key)
        && !(json.get(key) instanceof JsonString s && s.getString().equals(value))) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The body's " + key + " differs from the path's.",
          List.of(new io.arbiter.problem.FieldError(key, "must be " + value + " or absent")));
    }
    return Jsonp.PROVIDER.createObjectBuilder(json).add(key, value).build();
  }

  private Response created(DataRegistry.Result result) {
    var entry = result.registration().value();
    String last = entry instanceof DataEntry.DatasetVersion v ? v.ref().version() : entry.key();
    return Response.status(result.created() ? 201 : 200)
        .location(uri.getAbsolutePathBuilder().path(last).build())
        .entity(view(result.registration()))
        .build();
  }

  private static ProblemException notFound(String what) {
    return new ProblemException(ProblemType.NOT_FOUND, "No registered " + what + ".");
  }

  static JsonObject view(Registration<DataEntry> r) {
    return base(r, r.value().document()).build();
  }

  private static JsonObjectBuilder base(Registration<?> r, JsonObject document) {
    return Jsonp.PROVIDER
        .createObjectBuilder(document)
        .add("iri", r.iri())
        .add("registeredBy", r.registeredBy())
        .add("registeredAt", r.registeredAt().toString());
  }

  static JsonObject modelView(Registration<ModelVersion> r) {
    JsonObjectBuilder b = base(r, r.value().document());
    r.approval()
        .ifPresent(
            a -> {
              JsonObjectBuilder approval =
                  Jsonp.PROVIDER
                      .createObjectBuilder()
                      .add("approvedBy", a.approvedBy())
                      .add("approvedAt", a.approvedAt().toString());
              a.note().ifPresent(n -> approval.add("note", n));
              b.add("approval", approval);
            });
    return b.build();
  }

  private static JsonArray list(List<Registration<DataEntry>> entries) {
    return list(entries, RegistryResource::view);
  }

  private static <T> JsonArray list(
      List<Registration<T>> entries, Function<Registration<T>, JsonObject> view) {
    JsonArrayBuilder array = Jsonp.PROVIDER.createArrayBuilder();
    entries.forEach(e -> array.add(view.apply(e)));
    return array.build();
  }
}
