package io.arbiter.graph.api;

import io.arbiter.decision.DecisionService;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.ProvInterop;
import io.arbiter.graph.store.ProvenanceReader;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;
import org.apache.jena.query.Dataset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/decisions/{id}/provenance}: the PROV bundles recording one decision. */
@GraphSequenced
@Path("api/v1/decisions/{id}/provenance")
@RequestScoped
@Tag(name = "provenance")
public class ProvenanceResource {

  @Inject DecisionService decisions;
  @Inject ProvenanceReader reader;
  @Inject IriScheme iris;
  @Context Request request;
  @Context SecurityContext security;

  @GET
  @Produces({
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads"
  })
  @RolesAllowed({Roles.INTEGRATOR, Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "getDecisionProvenance",
      summary = "Get a decision's provenance",
      description =
          "The PROV-O bundles of the decision's events. Turtle, JSON-LD, N-Triples or RDF/XML merge "
              + "them; TriG and N-Quads keep each bundle as its named graph. Integrators see only"
              + " their own decisions, and of those the bundles of their own steps and Arbiter's"
              + " (submission, routing, outcome, timeouts), each whole: reviewers' steps, which name"
              + " the reviewers and hold their justifications, are for auditors (the settlement is"
              + " in the decision's resolution).")
  @APIResponse(
      responseCode = "200",
      description = "PROV-O RDF",
      content = {
        @Content(mediaType = "text/turtle", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/ld+json", schema = @Schema(ref = "JsonLdDocument")),
        @Content(mediaType = "application/n-triples", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/rdf+xml", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/trig", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/n-quads", schema = @Schema(ref = "RdfDocument"))
      })
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
  public Response get(@PathParam("id") String id) {
    RdfFormats.Syntax format = RdfFormats.select(request, RdfFormats.GRAPH_OR_DATASET);
    String caller = security.getUserPrincipal().getName();
    boolean readsAll = Roles.readsAllDecisions(security::isUserInRole);
    var decision = decisions.requireVisible(id, caller, readsAll);
    Dataset bundles = reader.bundlesAboutDecision(iris.decision(decision.id().value()));
    if (!readsAll) {
      // Who reviewed and why is the reviewers' personal data, and the organisation's reasoning:
      // an integrator's system needs the outcome, which its decision's resolution gives.
      bundles =
          ProvenanceReader.attributedTo(
              bundles, Set.of(iris.agent(caller), iris.agent(ModelRegistry.SYSTEM_ACTOR)));
    }
    return format.dataset
        ? RdfFormats.dataset(bundles, format)
        : RdfFormats.graph(ProvInterop.forToolkits(ProvenanceReader.merged(bundles)), format);
  }
}
