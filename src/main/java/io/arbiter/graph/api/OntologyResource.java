package io.arbiter.graph.api;

import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.config.OntologyExtensionFiles;
import io.arbiter.graph.prov.OntologyExtensions;
import io.arbiter.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/ontology}: the vocabulary and shapes in force, Arbiter's own ({@code
 * ontology/arbiter.ttl}, {@code shapes.ttl}) merged with the loaded ontology extensions; and a
 * listing of the extensions. Every role may read them: they describe the data, they hold none.
 */
@Path("api/v1/ontology")
@RequestScoped
@Tag(name = "ontology")
public class OntologyResource {

  /** Arbiter's own ontology and shapes, as bundled; read once, copied per response. */
  private static final class Core {
    static final Model MODEL = load();

    private static Model load() {
      Model core = ModelFactory.createDefaultModel();
      ClassLoader loader = OntologyResource.class.getClassLoader();
      for (String file : List.of("ontology/arbiter.ttl", "ontology/shapes.ttl")) {
        try (InputStream in = loader.getResourceAsStream(file)) {
          if (in == null) {
            throw new IllegalStateException("bundled " + file + " is missing");
          }
          RDFDataMgr.read(core, in, Lang.TURTLE);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return core;
    }
  }

  @Inject OntologyExtensions extensions;
  @Inject OntologyExtensionFiles files;
  @Inject AuditQueryLibrary library;
  @Context Request request;

  @GET
  @Produces({"text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"})
  @RolesAllowed({
    Roles.INTEGRATOR,
    Roles.REVIEWER,
    Roles.LEAD_REVIEWER,
    Roles.AUDITOR,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    // Data stewards describe features and datasets in the ontology's terms.
    Roles.DATA_STEWARD,
    Roles.ADMIN
  })
  @Operation(
      operationId = "getOntology",
      summary = "The ontology in force",
      description =
          "Arbiter's ontology and SHACL shapes merged with the loaded ontology extensions"
              + " (docs/ontology-extensions.md); Turtle, JSON-LD, N-Triples or RDF/XML by Accept.")
  @APIResponse(
      responseCode = "200",
      description = "The ontology's RDF",
      content = {
        @Content(mediaType = "text/turtle", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/ld+json", schema = @Schema(ref = "JsonLdDocument")),
        @Content(mediaType = "application/n-triples", schema = @Schema(ref = "RdfDocument")),
        @Content(mediaType = "application/rdf+xml", schema = @Schema(ref = "RdfDocument"))
      })
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  @APIResponse(responseCode = "406", ref = "notAcceptable")
  public Response ontology() {
    RdfFormats.Syntax syntax = RdfFormats.select(request, RdfFormats.GRAPH);
    Model merged = ModelFactory.createDefaultModel();
    merged.add(Core.MODEL).setNsPrefixes(Core.MODEL);
    Model extended = extensions.merged();
    merged.add(extended).setNsPrefixes(extended);
    return RdfFormats.graph(merged, syntax);
  }

  /** The loaded extensions, for people and tools that want to know what is in force. */
  @Schema(name = "OntologyExtensions")
  public record ExtensionsView(
      @Schema(description = "The Turtle files loaded, in load order (file names only)")
          List<FileView> files,
      @Schema(description = "Prefix to namespace, as the files declare them")
          Map<String, String> prefixes,
      @Schema(description = "Properties a decision may carry under `extensions`")
          List<PropertyView> properties,
      @Schema(description = "Whether any shapes are checked at intake") boolean shapes,
      @Schema(description = "Names of the audit queries the extensions add")
          List<String> queries) {}

  /** A loaded file. */
  @Schema(name = "OntologyExtensionFile")
  public record FileView(String name, long triples) {}

  /** A property a decision may carry. */
  @Schema(name = "OntologyExtensionProperty")
  public record PropertyView(
      String iri,
      @Schema(description = "Its prefixed name, when an extension declares the prefix") String name,
      @Schema(enumeration = {"iri", "literal"}) String values,
      @Schema(description = "The literal's datatype; absent for IRIs and untyped properties")
          String datatype) {}

  @GET
  @Path("extensions")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({
    Roles.INTEGRATOR,
    Roles.REVIEWER,
    Roles.LEAD_REVIEWER,
    Roles.AUDITOR,
    Roles.POLICY_AUTHOR,
    Roles.POLICY_APPROVER,
    // Data stewards describe features and datasets in the ontology's terms.
    Roles.DATA_STEWARD,
    Roles.ADMIN
  })
  @Operation(
      operationId = "listOntologyExtensions",
      summary = "The loaded ontology extensions",
      description =
          "Files, prefixes, the properties decisions may carry and the extra audit queries.")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = ExtensionsView.class)))
  @APIResponse(responseCode = "401", ref = "unauthorized")
  @APIResponse(responseCode = "403", ref = "forbidden")
  public ExtensionsView listing() {
    List<String> queryNames =
        files.queries().stream()
            .map(f -> java.nio.file.Path.of(f.name()).getFileName().toString())
            .map(n -> n.substring(0, n.length() - ".rq".length()))
            .filter(n -> library.find(n).isPresent())
            .toList();
    return new ExtensionsView(
        extensions.files().stream()
            .map(
                f ->
                    new FileView(
                        java.nio.file.Path.of(f.name()).getFileName().toString(), f.graph().size()))
            .toList(),
        new TreeMap<>(extensions.prefixes()),
        extensions.properties().values().stream()
            .map(
                p ->
                    new PropertyView(
                        p.iri(),
                        extensions.shortForm(p.iri()),
                        p.iriValued() ? "iri" : "literal",
                        p.datatype().orElse(null)))
            .toList(),
        extensions.shapes().isPresent(),
        queryNames);
  }
}
