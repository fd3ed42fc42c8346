package io.arbiter.graph.api;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.store.ProvExport;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.web.Permits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/export}: the whole store (or a range of bundles) as TriG or N-Quads, streamed from
 * one consistent state of the store ({@link ProvExport}).
 */
@Path("api/v1/export")
@RequestScoped
@GraphSequenced
@Tag(name = "provenance")
public class ExportResource {

  @Inject GraphRuntime runtime;
  @Inject GraphSequence sequence;
  @Inject IriScheme iris;
  @Inject HeavyRequests heavy;
  @Inject io.arbiter.decision.TenantGrants grants;
  @Inject TenantBundles tenants;
  @Context Request request;
  @Context SecurityContext security;

  @GET
  @Produces({"application/trig", "application/n-quads"})
  // Bundles hold every decision's inputs: only the roles that read every decision
  // (Roles.readsAllDecisions).
  @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
  @Operation(
      operationId = "exportStore",
      summary = "Export the store",
      description =
          "Every bundle the graph holds as its named graph in sequence order, then the ledger "
              + "graph for them (each bundle's place and ledger entry), as TriG (default) or "
              + "N-Quads by Accept or ?format=. Streamed from one state of the graph, named by the "
              + "Arbiter-Graph-Sequence header: events recorded meanwhile are not in it (send "
              + "Arbiter-Wait-For-Sequence to include your own). ?from and ?to export the bundles "
              + "with from <= sequence < to.")
  @APIResponse(
      responseCode = "200",
      description = "The quads",
      content = {
        @Content(mediaType = "application/trig", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/n-quads", schema = @Schema(ref = "RdfDocument"))
      })
  @APIResponse(responseCode = "400", ref = "badRequest")
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  @APIResponse(responseCode = "429", ref = "tooManyRunning")
  @APIResponse(responseCode = "503", ref = "exportUnavailable")
  @Parameter(
      name = GraphSequenceFilter.WAIT_FOR,
      in = ParameterIn.HEADER,
      description =
          "Answer from a graph that holds this event (a sequence number the write answered);"
              + " 503 projection-behind if it does not within arbiter.projection.max-wait",
      schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
  public Response export(
      @Parameter(
              description = "trig or nquads; overrides Accept",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"trig", "nquads"}))
          @QueryParam("format")
          String format,
      @Parameter(
              description = "First sequence number (default 0)",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("from")
          String from,
      @Parameter(
              description = "One past the last sequence number (default: all)",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("to")
          String to) {
    List<FieldError> errors = new ArrayList<>();
    ProvExport.Syntax syntax = syntax(format, errors);
    long start = sequence("from", from, 0, errors);
    long end = sequence("to", to, Long.MAX_VALUE, errors);
    if (errors.isEmpty() && end < start) {
      errors.add(new FieldError("to", "must not be below from"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(
          ProblemType.BAD_REQUEST, "The export request is not valid.", errors);
    }
    ProvExport.Range range = new ProvExport.Range(start, end);
    // Interactive requests go first: the export pauses between steps while any is in flight.
    ProvExport export =
        new ProvExport(runtime.journal(), iris, io.arbiter.web.InteractiveLoad::stepAside);
    long projected = sequence.projected();
    // A caller bound to tenants exports its tenants' bundles (and the shared ones) only.
    var visible = tenants.filterFor(grants.scopeOf(security.getUserPrincipal().getName()));
    // Held until the last byte is written (or the client goes): the export's cost is the stream.
    Permits.Permit permit = heavy.export(security.getUserPrincipal().getName());
    StreamingOutput body =
        out -> {
          try (permit) {
            export.write(range, projected, syntax, visible, out);
          }
        };
    return Response.ok(body, contentType(syntax))
        .header(
            "Content-Disposition",
            "attachment; filename=\"arbiter-export." + syntax.extension + "\"")
        .build();
  }

  private ProvExport.Syntax syntax(String format, List<FieldError> errors) {
    if (format == null) {
      RdfFormats.Syntax chosen =
          RdfFormats.select(request, List.of(RdfFormats.Syntax.TRIG, RdfFormats.Syntax.N_QUADS));
      return chosen == RdfFormats.Syntax.N_QUADS
          ? ProvExport.Syntax.N_QUADS
          : ProvExport.Syntax.TRIG;
    }
    switch (format.toLowerCase(Locale.ROOT)) {
      case "trig":
        return ProvExport.Syntax.TRIG;
      case "nquads", "n-quads":
        return ProvExport.Syntax.N_QUADS;
      default:
        errors.add(new FieldError("format", "must be trig or nquads"));
        return ProvExport.Syntax.TRIG;
    }
  }

  private static long sequence(String name, String value, long absent, List<FieldError> errors) {
    if (value == null) {
      return absent;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError(name, "must be a sequence number (an integer >= 0)"));
    return absent;
  }

  private static String contentType(ProvExport.Syntax syntax) {
    // N-Quads is UTF-8 by definition; TriG says so.
    return syntax == ProvExport.Syntax.TRIG
        ? syntax.mediaType + "; charset=utf-8"
        : syntax.mediaType;
  }
}
