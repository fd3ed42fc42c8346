package io.arbiter.graph.api;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.ProvInterop;
import io.arbiter.graph.store.ProvenanceReader;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.ProvenanceLinks;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /id/**} dereferences Arbiter's IRIs ({@code arbiter.base-iri} + path). A bundle IRI gives
 * that named graph; any other IRI gives the bundles of events about it plus its description.
 */
@GraphSequenced
@Path("id")
@RequestScoped
@Tag(name = "provenance")
public class LinkedDataResource {

  /**
   * Characters an IRI path may hold (RFC 3987 without the non-ASCII ranges), percent-encoded or
   * not.
   */
  private static final Pattern IRI_PATH = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%/-]+");

  @Inject ProvenanceReader reader;
  @Inject IriScheme iris;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject TenantBundles tenants;
  @Context SecurityContext security;
  @Context Request request;
  @Context UriInfo uri;

  // Parameters are named so that their alphabetical order, which the OpenAPI document lists them
  // in and generated methods take them in, is the path's.
  static final String DESCRIPTION =
      "Turtle, JSON-LD or N-Triples by Accept; TriG and N-Quads keep bundles as named graphs. Any"
          + " IRI under /id/ answers a GET this way; these operations describe the common shapes"
          + " (a generated client would percent-encode the slashes of a single path parameter).";

  @GET
  @Produces({
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads"
  })
  // Bundles hold decisions' inputs: only the roles that read every decision
  // (Roles.readsAllDecisions).
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Path("{collection}/{id}")
  @Operation(
      operationId = "dereferenceIri",
      summary = "Dereference an Arbiter IRI of two segments",
      description = DESCRIPTION)
  @APIResponse(responseCode = "200", ref = "linkedData")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "503", ref = "projectionBehind")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response dereferenceIri(
      @Parameter(
              description =
                  "What the IRI names: decisions, reviews, bundles, agents, models, policies, datasets, sources, features, slos, …")
          @Encoded
          @PathParam("collection")
          String collection,
      @Parameter(description = "Its identifier") @Encoded @PathParam("id") String id) {
    return get(collection + "/" + id);
  }

  @GET
  @Produces({
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads"
  })
  // Bundles hold decisions' inputs: only the roles that read every decision
  // (Roles.readsAllDecisions).
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Path("{collection}/{id}/{part}/{partId}")
  @Operation(
      operationId = "dereferenceNestedIri",
      summary = "Dereference an Arbiter IRI of four segments",
      description = DESCRIPTION)
  @APIResponse(responseCode = "200", ref = "linkedData")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "503", ref = "projectionBehind")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response dereferenceNestedIri(
      @Parameter(description = "models, policies, datasets, sources or hours")
          @Encoded
          @PathParam("collection")
          String collection,
      @Parameter(description = "Its identifier") @Encoded @PathParam("id") String id,
      @Parameter(description = "versions, fields or tallies") @Encoded @PathParam("part")
          String part,
      @Parameter(description = "The version, field or revision") @Encoded @PathParam("partId")
          String partId) {
    return get(String.join("/", collection, id, part, partId));
  }

  @GET
  @Produces({
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads"
  })
  // Bundles hold decisions' inputs: only the roles that read every decision
  // (Roles.readsAllDecisions).
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Path("{path: .+}")
  // Every other shape (ledger entries, rules, drift references): the same answer, left out of the
  // OpenAPI document because generated clients percent-encode a parameter's slashes, which Liberty
  // refuses (400) before the application sees the request.
  @Operation(hidden = true)
  public Response get(@Encoded @PathParam("path") String path) {
    RdfFormats.Syntax format = RdfFormats.select(request, RdfFormats.GRAPH_OR_DATASET);
    if (!IRI_PATH.matcher(path).matches()) {
      throw new ProblemException(ProblemType.NOT_FOUND, "No IRI of ours has this path.");
    }
    String iri = iris.base() + path;
    var scope = grants.scopeOf(security.getUserPrincipal().getName());
    if (!path.startsWith("bundles/") && !tenants.visibleResource(scope, iri)) {
      throw new ProblemException(
          ProblemType.NOT_FOUND, "The graph holds nothing about " + iri + " that you may read.");
    }
    Dataset bundles = path.startsWith("bundles/") ? reader.bundle(iri) : reader.bundlesAbout(iri);
    if (path.startsWith("bundles/") && !scope.global() && !visibleBundle(bundles, iri, scope)) {
      throw new ProblemException(
          ProblemType.NOT_FOUND, "The graph holds nothing about " + iri + " that you may read.");
    }
    Model description = path.startsWith("bundles/") ? null : reader.describe(iri);
    boolean empty =
        !bundles.listModelNames().hasNext() && (description == null || description.isEmpty());
    if (empty) {
      throw new ProblemException(
          ProblemType.NOT_FOUND, "The graph holds nothing about " + iri + ".");
    }
    if (description != null) {
      bundles.getDefaultModel().add(description);
    }
    Response response;
    if (format.dataset) {
      response = RdfFormats.dataset(bundles, format);
    } else {
      Model merged = ProvenanceReader.merged(bundles).add(bundles.getDefaultModel());
      response = RdfFormats.graph(ProvInterop.forToolkits(merged), format);
    }
    return ProvenanceLinks.add(
            Response.fromResponse(response), uri, security::isUserInRole, iri, provenance(path))
        .build();
  }

  /** Whether a bundle, by what it says of itself, is one a caller bound to tenants may read. */
  private boolean visibleBundle(
      Dataset bundles, String iri, io.arbiter.decision.TenantScope scope) {
    if (!bundles.containsNamedModel(iri)) {
      return true; // nothing to show: answered as not found below
    }
    var bundle = bundles.getNamedModel(iri).createResource(iri);
    var type = bundle.getProperty(io.arbiter.graph.prov.Vocab.eventType);
    var subject = bundle.getProperty(io.arbiter.graph.prov.Vocab.eventSubject);
    return type != null
        && subject != null
        && type.getObject().isLiteral()
        && subject.getObject().isURIResource()
        && tenants.visible(scope, type.getString(), subject.getObject().asResource().getURI());
  }

  /**
   * Where the provenance of the resource at {@code path} is: for a decision, its whole story
   * (review steps included, which this resource leaves out); for anything else, this very document
   * — the bundles of events about it.
   */
  private ProvenanceLinks.Target provenance(String path) {
    var decision = DECISION.matcher(path);
    return decision.matches()
        ? ProvenanceLinks.decisionProvenance(
            URLDecoder.decode(decision.group(1), StandardCharsets.UTF_8))
        : ProvenanceLinks.dereference(iris, iris.base() + path);
  }

  private static final Pattern DECISION = Pattern.compile("decisions/([^/]+)");
}
