package io.arbiter.graph.api;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * {@code /sparql}: the SPARQL 1.1 Protocol for queries (GET, POST form, POST direct), over the
 * union of all bundles. Read-only: updates are refused.
 */
@GraphSequenced
@Path("sparql")
@RequestScoped
@Tag(name = "provenance")
@RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
public class SparqlResource {

  static final String SPARQL_QUERY = "application/sparql-query";
  static final String SPARQL_UPDATE = "application/sparql-update";

  @Inject SparqlService sparql;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context Request request;
  @Context SecurityContext security;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject TenantBundles tenants;
  @Context UriInfo uri;

  @GET
  @Operation(
      operationId = "sparqlGet",
      summary = "SPARQL query (GET)",
      description =
          "SPARQL 1.1 Protocol. SELECT/ASK results as JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE "
              + "as Turtle, JSON-LD, N-Triples or RDF/XML. The default graph is the union of all bundles "
              + "(for a caller bound to tenants, of the bundles of their tenants' decisions and "
              + "tasks, the registry's and the policies'). "
              + "Without a query, and accepting Turtle, JSON-LD, N-Triples or RDF/XML: the endpoint's "
              + "SPARQL 1.1 Service Description (the PROV-AQ provenance query service).")
  @APIResponse(
      responseCode = "200",
      description = "SELECT or ASK results, or the CONSTRUCT or DESCRIBE graph, by Accept",
      content = {
        @Content(
            mediaType = "application/sparql-results+json",
            schema = @Schema(ref = "SparqlResults")),
        @Content(
            mediaType = "application/sparql-results+xml",
            schema = @Schema(ref = "SparqlResultsXml")),
        @Content(mediaType = "text/csv", schema = @Schema(ref = "TabularResults")),
        @Content(mediaType = "text/tab-separated-values", schema = @Schema(ref = "TabularResults")),
        @Content(mediaType = "text/turtle", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/ld+json", schema = @Schema(ref = "JsonLdDocument")),
        @Content(mediaType = "application/n-triples", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/rdf+xml", schema = @Schema(ref = "RdfDocument"))
      })
  @APIResponse(responseCode = "400", ref = "sparqlError")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "422", ref = "queryTooLarge")
  @APIResponse(responseCode = "429", ref = "tooManyQueries")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "503", ref = "queryTimeout")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response get(
      @Parameter(description = "The SPARQL query") @QueryParam("query") String query,
      @Parameter(description = "Always refused: the endpoint is read-only") @QueryParam("update")
          String update,
      @Parameter(description = "Graphs whose merge is the default graph")
          @QueryParam("default-graph-uri")
          List<String> defaultGraphs,
      @Parameter(description = "The named graphs of the dataset") @QueryParam("named-graph-uri")
          List<String> namedGraphs) {
    if (update != null) {
      throw SparqlService.updateRefused();
    }
    if (query == null && defaultGraphs.isEmpty() && namedGraphs.isEmpty()) {
      // A plain GET of the endpoint asks what it is (SPARQL 1.1 Service Description), which is
      // also how PROV-AQ clients arriving by a has_query_service link learn how to query.
      var syntax = RdfFormats.acceptable(request, RdfFormats.GRAPH);
      if (syntax.isPresent()) {
        return RdfFormats.graph(ServiceDescription.of(uri.getAbsolutePath()), syntax.get());
      }
      if (!SparqlResponses.acceptsResults(request)) {
        // Neither the description nor any query result is acceptable (a browser's text/html):
        // that is 406, whatever the missing query.
        throw new ProblemException(
            ProblemType.NOT_ACCEPTABLE,
            "Without a query this endpoint answers its service description, as "
                + RdfFormats.GRAPH.stream().map(s -> s.mediaType).toList()
                + "; with one, SPARQL results or RDF.");
      }
    }
    return run(query, defaultGraphs, namedGraphs);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  // One operation documents the three POST methods (OpenAPI has one per path and method): the
  // form, the direct body and the refused update, whose own annotations say hidden.
  @Operation(
      operationId = "sparqlPost",
      summary = "SPARQL query (POST)",
      description =
          "Form fields query, default-graph-uri, named-graph-uri; or the query itself as an"
              + " application/sparql-query body, with default-graph-uri and named-graph-uri as"
              + " query parameters. application/sparql-update is always refused.")
  @RequestBody(
      required = true,
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(ref = "SparqlForm")),
        @Content(mediaType = SPARQL_QUERY, schema = @Schema(type = SchemaType.STRING))
      })
  @APIResponse(
      responseCode = "200",
      description = "SELECT or ASK results, or the CONSTRUCT or DESCRIBE graph, by Accept",
      content = {
        @Content(
            mediaType = "application/sparql-results+json",
            schema = @Schema(ref = "SparqlResults")),
        @Content(
            mediaType = "application/sparql-results+xml",
            schema = @Schema(ref = "SparqlResultsXml")),
        @Content(mediaType = "text/csv", schema = @Schema(ref = "TabularResults")),
        @Content(mediaType = "text/tab-separated-values", schema = @Schema(ref = "TabularResults")),
        @Content(mediaType = "text/turtle", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/ld+json", schema = @Schema(ref = "JsonLdDocument")),
        @Content(mediaType = "application/n-triples", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/rdf+xml", schema = @Schema(ref = "RdfDocument"))
      })
  @APIResponse(responseCode = "400", ref = "sparqlError")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "422", ref = "queryTooLarge")
  @APIResponse(responseCode = "429", ref = "tooManyQueries")
  @APIResponse(responseCode = "413", ref = "tooLarge")
  @APIResponse(responseCode = "503", ref = "queryTimeout")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  @Parameter(
      name = "default-graph-uri",
      in = ParameterIn.QUERY,
      description = "With an application/sparql-query body: a graph of the default graph",
      schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
  @Parameter(
      name = "named-graph-uri",
      in = ParameterIn.QUERY,
      description = "With an application/sparql-query body: a named graph the query may see",
      schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
  public Response postForm(InputStream body) {
    String form = new String(RequestBodies.read(body, maxBodyBytes), StandardCharsets.UTF_8);
    String query = null;
    List<String> defaultGraphs = new ArrayList<>();
    List<String> namedGraphs = new ArrayList<>();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      switch (name) {
        case "query" -> query = value;
        case "update" -> throw SparqlService.updateRefused();
        case "default-graph-uri" -> defaultGraphs.add(value);
        case "named-graph-uri" -> namedGraphs.add(value);
        default -> {}
      }
    }
    return run(query, defaultGraphs, namedGraphs);
  }

  @POST
  @Consumes(SPARQL_QUERY)
  @Operation(hidden = true)
  public Response postDirect(
      InputStream body,
      @QueryParam("default-graph-uri") List<String> defaultGraphs,
      @QueryParam("named-graph-uri") List<String> namedGraphs) {
    String query = new String(RequestBodies.read(body, maxBodyBytes), StandardCharsets.UTF_8);
    return run(query, defaultGraphs, namedGraphs);
  }

  @POST
  @Consumes(SPARQL_UPDATE)
  @Operation(hidden = true)
  public Response postUpdate() {
    throw SparqlService.updateRefused();
  }

  private Response run(String text, List<String> defaultGraphs, List<String> namedGraphs) {
    if (text == null || text.isBlank()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST,
          "A SPARQL query is required.",
          List.of(new FieldError("query", "is required")));
    }
    return SparqlResponses.of(
        sparql,
        sparql.parse(text, defaultGraphs, namedGraphs),
        request,
        security.getUserPrincipal().getName(),
        tenants.filterFor(grants.scopeOf(security.getUserPrincipal().getName())));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "The form body is not properly URL-encoded.");
    }
  }
}
