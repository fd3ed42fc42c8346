package io.arbiter.graph.api;

import io.arbiter.decision.TenantScope;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.prov.BundleFilter;
import io.arbiter.graph.prov.DatasetImpact;
import io.arbiter.graph.prov.Lineage;
import io.arbiter.jobs.api.Prefer;
import io.arbiter.jobs.api.Reports;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/lineage}: nodes and edges from one node of the graph, upstream (what it came
 * from), downstream (what depended on it) or both; and {@code /api/v1/lineage/impact}: what a bad
 * dataset touched.
 */
@GraphSequenced
@Path("api/v1/lineage")
@RequestScoped
@Tag(name = "lineage")
public class LineageResource {

  static final int MAX_DEPTH = 10;
  static final int MAX_NODES = 5000;

  @Inject Lineage lineage;
  @Inject DatasetImpact impact;
  @Inject IriScheme iris;
  @Inject Reports reports;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject TenantBundles tenants;
  @Context HttpHeaders headers;
  @Context SecurityContext security;
  @Context UriInfo uri;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "getLineage",
      summary = "Lineage of one node",
      description =
          "Walks PROV relations (wasDerivedFrom, wasGeneratedBy, used, wasAttributedTo,"
              + " wasAssociatedWith, wasRevisionOf, specializationOf, wasInformedBy, and a"
              + " routing's plan) from node: upstream to what it depends on, downstream to what"
              + " depends on it, or both; depth steps at most (1–10, default 5), limit nodes at"
              + " most (default 500, at most 5000; truncated says when it cut the walk short)."
              + " Edges point from the dependent node to what it depends on. Agents (people,"
              + " Arbiter) end a downstream walk. A caller bound to tenants walks only through"
              + " its tenants' decisions and the shared registry and policy versions; a start it"
              + " cannot see is 404.")
  @APIResponse(
      responseCode = "200",
      description = "Nodes and edges",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Lineage")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "reportUnavailable")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public JsonObject lineage(
      @Parameter(
              description = "The IRI to start from",
              required = true,
              schema = @Schema(type = SchemaType.STRING, format = "uri"))
          @QueryParam("node")
          String node,
      @Parameter(
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"upstream", "downstream", "both"},
                      defaultValue = "both"))
          @QueryParam("direction")
          @DefaultValue("both")
          String direction,
      @Parameter(
              description = "Steps at most",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "10",
                      defaultValue = "5"))
          @QueryParam("depth")
          @DefaultValue("5")
          String depth,
      @Parameter(
              description = "Nodes at most",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "5000",
                      defaultValue = "500"))
          @QueryParam("limit")
          @DefaultValue("500")
          String limit) {
    String start = iri("node", node);
    Lineage.Direction walk = direction(direction);
    int steps = bounded("depth", depth, 1, MAX_DEPTH);
    int nodes = bounded("limit", limit, 1, MAX_NODES);
    // A caller bound to tenants walks a view of the graph without other tenants' bundles, and
    // through its tenants' decisions and the shared registry and policies only; another tenant's
    // decision reads as not found, as everywhere else.
    TenantScope scope = grants.scopeOf(security.getUserPrincipal().getName());
    java.util.function.Predicate<String> visible = iri -> tenants.visibleResource(scope, iri);
    Optional<BundleFilter> bundles = tenants.filterFor(scope);
    Lineage.Result result = null;
    if (bundles.isEmpty()) {
      result = lineage.walk(start, walk, steps, nodes);
    } else if (visible.test(start)) {
      try {
        result = lineage.walk(start, walk, steps, nodes, bundles.get(), visible);
      } catch (UnsupportedOperationException e) {
        throw TenantBundles.cannotNarrow();
      }
    }
    if (result == null
        || result.edges().isEmpty() && result.nodes().get(0).kind().equals("unknown")) {
      throw new ProblemException(
          ProblemType.NOT_FOUND,
          "Nothing in the graph is about " + start + ".",
          List.of(new FieldError("node", "unknown IRI")));
    }
    JsonArrayBuilder nodeArray = Jsonp.PROVIDER.createArrayBuilder();
    for (Lineage.NodeView n : result.nodes()) {
      JsonObjectBuilder b =
          Jsonp.PROVIDER.createObjectBuilder().add("iri", n.iri()).add("kind", n.kind());
      n.label().ifPresent(l -> b.add("label", l));
      n.time().ifPresent(t -> b.add("time", t));
      nodeArray.add(b);
    }
    JsonArrayBuilder edgeArray = Jsonp.PROVIDER.createArrayBuilder();
    result
        .edges()
        .forEach(
            e ->
                edgeArray.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("from", e.from())
                        .add("to", e.to())
                        .add("relation", e.relation())));
    return Jsonp.PROVIDER
        .createObjectBuilder()
        .add("node", start)
        .add("direction", walk.name().toLowerCase(Locale.ROOT))
        .add("depth", steps)
        .add("truncated", result.truncated())
        .add("nodes", nodeArray)
        .add("edges", edgeArray)
        .build();
  }

  @GET
  @Path("impact")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.DATA_STEWARD, Roles.ADMIN})
  @Operation(
      operationId = "getDatasetImpact",
      summary = "What a dataset touched",
      description =
          "dataset: a dataset or dataset version, as its IRI or as id or id/version. Answers the"
              + " dataset versions, the model versions trained on them, the policy versions"
              + " governing those models, and their decisions by model version and route (with"
              + " first and last submission) and by reviewer and verdict; for a caller bound to"
              + " tenants, those tenants' decisions and verdicts only. With Prefer:"
              + " respond-async, runs as a job (202, the job at Location; progress counts its four"
              + " queries).")
  @Parameter(
      name = Prefer.HEADER,
      in = ParameterIn.HEADER,
      description = Prefer.DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, example = "respond-async"))
  @APIResponse(
      responseCode = "200",
      description = "The impact report",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DatasetImpact")))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "202", ref = "jobAccepted")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "reportUnavailable")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response impact(
      @Parameter(
              description = "A dataset or dataset version: its IRI, or id or id/version",
              required = true)
          @QueryParam("dataset")
          String dataset) {
    // A caller bound to tenants counts its tenants' decisions and verdicts only, through the same
    // view of the graph as its lineage walks.
    Optional<BundleFilter> bundles =
        tenants.filterFor(grants.scopeOf(security.getUserPrincipal().getName()));
    String target = datasetIri(dataset);
    return reports.run(
        "impact",
        headers,
        security,
        uri,
        progress ->
            impactView(
                target,
                scopedImpact(target, progress, bundles)
                    .orElseThrow(
                        () ->
                            new ProblemException(
                                ProblemType.NOT_FOUND,
                                "No registered dataset or dataset version " + target + ".",
                                List.of(new FieldError("dataset", "not registered"))))));
  }

  private Optional<DatasetImpact.Report> scopedImpact(
      String target, io.arbiter.jobs.Progress progress, Optional<BundleFilter> bundles) {
    if (bundles.isEmpty()) {
      return impact.of(target, progress);
    }
    try {
      return impact.of(target, progress, bundles.get());
    } catch (UnsupportedOperationException e) {
      throw TenantBundles.cannotNarrow();
    }
  }

  private static JsonObject impactView(String target, DatasetImpact.Report report) {
    JsonArrayBuilder datasets = Jsonp.PROVIDER.createArrayBuilder();
    report.trained().stream()
        .map(DatasetImpact.Trained::datasetVersion)
        .distinct()
        .forEach(datasets::add);
    JsonArrayBuilder models = Jsonp.PROVIDER.createArrayBuilder();
    report.trained().stream()
        .filter(t -> t.modelVersion().isPresent())
        .forEach(
            t ->
                models.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("iri", t.modelVersion().get())
                        .add("id", t.model().orElse(""))
                        .add("trainedOn", t.datasetVersion())));
    JsonArrayBuilder policies = Jsonp.PROVIDER.createArrayBuilder();
    report
        .policies()
        .forEach(
            p ->
                policies.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("iri", p.policyVersion())
                        .add("id", p.policy())
                        .add("governs", p.modelVersion())));
    JsonArrayBuilder routes = Jsonp.PROVIDER.createArrayBuilder();
    report
        .routes()
        .forEach(
            r ->
                routes.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("modelVersion", r.modelVersion())
                        .add("route", r.route())
                        .add("decisions", r.decisions())
                        .add("first", r.first())
                        .add("last", r.last())));
    JsonArrayBuilder reviewers = Jsonp.PROVIDER.createArrayBuilder();
    report
        .reviewers()
        .forEach(
            r ->
                reviewers.add(
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("reviewer", r.reviewer())
                        .add("verdict", r.verdict())
                        .add("decisions", r.decisions())));
    return Jsonp.PROVIDER
        .createObjectBuilder()
        .add("dataset", target)
        .add("datasetVersions", datasets)
        .add("modelVersions", models)
        .add("policyVersions", policies)
        .add("decisions", report.decisions())
        .add("decisionsByRoute", routes)
        .add("decisionsByReviewer", reviewers)
        .build();
  }

  /** An absolute IRI, or 422 naming the parameter. */
  private static String iri(String parameter, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(parameter, "required: an absolute IRI");
    }
    try {
      URI uri = new URI(value);
      if (!uri.isAbsolute() || uri.getScheme() == null) {
        throw invalid(parameter, "must be an absolute IRI");
      }
      return value;
    } catch (java.net.URISyntaxException e) {
      throw invalid(parameter, "not an IRI: " + e.getReason());
    }
  }

  /** A dataset IRI, or {@code id} or {@code id/version} in this deployment's scheme. */
  private String datasetIri(String value) {
    // Registry keys follow the registry's one name rule.
    java.util.regex.Pattern name = io.arbiter.registry.ModelVersionRef.NAME;
    if (value != null && name.matcher(value).matches()) {
      return iris.dataset(value);
    }
    int slash = value == null ? -1 : value.indexOf('/');
    if (slash > 0
        && name.matcher(value.substring(0, slash)).matches()
        && name.matcher(value.substring(slash + 1)).matches()) {
      return iris.datasetVersion(value.substring(0, slash), value.substring(slash + 1));
    }
    return iri("dataset", value);
  }

  private static Lineage.Direction direction(String value) {
    try {
      return Lineage.Direction.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("direction", "must be upstream, downstream or both");
    }
  }

  private static int bounded(String parameter, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(parameter, "must be an integer from " + min + " to " + max);
  }

  private static ProblemException invalid(String parameter, String message) {
    return new ProblemException(
        ProblemType.INVALID_REQUEST,
        "The query parameter " + parameter + " is invalid.",
        List.of(new FieldError(parameter, message)));
  }
}
