package io.arbiter.graph.api;

import io.arbiter.audit.AuditQuery;
import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.RequestBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
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
 * {@code /api/v1/audit/queries}: the named audit queries, listed and run with bound parameters.
 * Beside {@code /sparql} in this package, since running a query is the graph's business.
 */
@GraphSequenced
@Path("api/v1/audit/queries")
@RequestScoped
@Tag(name = "audit")
public class AuditQueryResource {

  @Inject AuditQueryLibrary library;
  @Inject AuditQueryRunner runner;

  @Inject
  @ConfigProperty(name = "arbiter.web.max-body-bytes")
  int maxBodyBytes;

  @Context Request request;
  @Context SecurityContext security;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject TenantBundles tenants;

  /** A query of the library. */
  @Schema(name = "AuditQuery")
  public record QueryView(
      String name,
      String question,
      List<ParameterView> parameters,
      @Schema(description = "The result's columns") List<String> columns,
      @Schema(description = "The SPARQL, in the detail view only") String sparql) {
    static QueryView of(AuditQuery query, boolean withText) {
      return new QueryView(
          query.name(),
          query.question(),
          query.parameters().stream()
              .map(
                  p ->
                      new ParameterView(
                          p.name(), p.type().wireName(), !p.optional(), p.description()))
              .toList(),
          query.columns(),
          withText ? query.text() : null);
    }
  }

  /** A parameter: its value goes in the run request's JSON under its name. */
  @Schema(name = "AuditQueryParameter")
  public record ParameterView(
      String name,
      @Schema(enumeration = {"iri", "string", "dateTime", "integer", "decimal", "boolean"})
          String type,
      @Schema(description = "Whether a run must give it; an optional one left out is unbound")
          boolean required,
      String description) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "listAuditQueries",
      summary = "The audit query library",
      description = "Each query with its parameters.")
  @APIResponse(
      responseCode = "200",
      description = "One AuditQuery per query",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = QueryView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public List<QueryView> list() {
    return library.all().stream().map(q -> QueryView.of(q, false)).toList();
  }

  @GET
  @Path("{name}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(operationId = "getAuditQuery", summary = "One audit query, with its SPARQL")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = QueryView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public QueryView one(@PathParam("name") String name) {
    return QueryView.of(require(name), true);
  }

  @POST
  @Path("{name}")
  @Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "runAuditQuery",
      summary = "Run an audit query",
      description =
          "Body: a JSON object with a value for every required parameter, and optionally the"
              + " others, each of its type (an IRI or"
              + " dateTime as a string). Values are bound as RDF terms, never spliced into the"
              + " query. Results as SPARQL JSON, XML, CSV or TSV by Accept, capped and timed out"
              + " as /sparql is.")
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "AuditQueryArguments")))
  @APIResponse(
      responseCode = "200",
      description = "The query's results",
      content = {
        @Content(
            mediaType = "application/sparql-results+json",
            schema = @Schema(ref = "SparqlResults")),
        @Content(
            mediaType = "application/sparql-results+xml",
            schema = @Schema(ref = "SparqlResultsXml")),
        @Content(mediaType = "text/csv", schema = @Schema(ref = "TabularResults")),
        @Content(mediaType = "text/tab-separated-values", schema = @Schema(ref = "TabularResults"))
      })
  @APIResponse(responseCode = "400", ref = "malformed")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "404", ref = "notFound")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "422", ref = "invalid")
  @APIResponse(responseCode = "429", ref = "tooManyQueries")
  @APIResponse(responseCode = "503", ref = "queryTimeout")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response run(@PathParam("name") String name, InputStream body) {
    AuditQuery query = require(name);
    JsonObject values =
        RequestBodies.optionalObject(
            RequestBodies.read(body, maxBodyBytes),
            query.parameters().stream()
                .map(AuditQuery.Parameter::name)
                .collect(java.util.stream.Collectors.toSet()));
    return SparqlResponses.of(
        runner.sparql(),
        runner.bind(query, values),
        request,
        security.getUserPrincipal().getName(),
        tenants.filterFor(grants.scopeOf(security.getUserPrincipal().getName())));
  }

  private AuditQuery require(String name) {
    return library
        .find(name)
        .orElseThrow(
            () -> new ProblemException(ProblemType.NOT_FOUND, "No audit query " + name + "."));
  }
}
