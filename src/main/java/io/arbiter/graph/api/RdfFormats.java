package io.arbiter.graph.api;

import io.arbiter.graph.prov.Sparql;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.Variant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.StmtIterator;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.util.SplitIRI;

/**
 * Content negotiation for RDF responses. The first syntax listed is the default, for a wildcard
 * Accept or none.
 */
final class RdfFormats {

  /**
   * An RDF syntax we serve: its registered media type, its name under {@code
   * http://www.w3.org/ns/formats/} (which the service description lists) and Jena's writer for it.
   */
  enum Syntax {
    TURTLE("text/turtle", "Turtle", RDFFormat.TURTLE_PRETTY, false),
    JSON_LD("application/ld+json", "JSON-LD", RDFFormat.JSONLD11, false),
    N_TRIPLES("application/n-triples", "N-Triples", RDFFormat.NTRIPLES, false),
    // Plain RDF/XML: the abbreviated writer's search for nested forms costs far more, for nothing a
    // reader needs.
    RDF_XML("application/rdf+xml", "RDF_XML", RDFFormat.RDFXML_PLAIN, false),
    TRIG("application/trig", "TriG", RDFFormat.TRIG_PRETTY, true),
    N_QUADS("application/n-quads", "N-Quads", RDFFormat.NQUADS, true);

    final String mediaType;
    final String w3cFormat;
    final RDFFormat format;

    /** Keeps named graphs (bundles) apart. */
    final boolean dataset;

    Syntax(String mediaType, String w3cFormat, RDFFormat format, boolean dataset) {
      this.mediaType = mediaType;
      this.w3cFormat = w3cFormat;
      this.format = format;
      this.dataset = dataset;
    }
  }

  /** Syntaxes for a graph (triples). */
  static final List<Syntax> GRAPH =
      List.of(Syntax.TURTLE, Syntax.JSON_LD, Syntax.N_TRIPLES, Syntax.RDF_XML);

  /** Syntaxes for a graph or, keeping bundles as named graphs, a dataset. */
  static final List<Syntax> GRAPH_OR_DATASET =
      List.of(
          Syntax.TURTLE,
          Syntax.JSON_LD,
          Syntax.N_TRIPLES,
          Syntax.RDF_XML,
          Syntax.TRIG,
          Syntax.N_QUADS);

  private RdfFormats() {}

  /** The syntax the client asked for, or 406 as a problem. */
  static Syntax select(Request request, List<Syntax> offered) {
    return acceptable(request, offered)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemType.NOT_ACCEPTABLE,
                    "Acceptable here: " + offered.stream().map(s -> s.mediaType).toList() + "."));
  }

  /** The syntax the client asked for, if it accepts any of {@code offered}. */
  static Optional<Syntax> acceptable(Request request, List<Syntax> offered) {
    List<Variant> variants =
        Variant.mediaTypes(
                offered.stream().map(s -> MediaType.valueOf(s.mediaType)).toArray(MediaType[]::new))
            .build();
    Variant chosen = request.selectVariant(variants);
    if (chosen == null) {
      return Optional.empty();
    }
    String type = chosen.getMediaType().getType() + "/" + chosen.getMediaType().getSubtype();
    return Optional.of(
        offered.stream().filter(s -> s.mediaType.equals(type)).findFirst().orElse(offered.get(0)));
  }

  /**
   * @throws ProblemException 406 when {@code syntax} is RDF/XML and a predicate of the graph has no
   *     XML qualified name (e.g. {@code <urn:x:1>}, which a CONSTRUCT may make): RDF/XML cannot
   *     write it, and the failure would otherwise come mid-stream, after the 200
   */
  static Response graph(Model model, Syntax syntax) {
    if (syntax == Syntax.RDF_XML) {
      requireXmlNames(model);
    }
    model.setNsPrefixes(Sparql.PREFIXES);
    StreamingOutput body = out -> RDFDataMgr.write(out, model, syntax.format);
    return Response.ok(body, contentType(syntax)).build();
  }

  static Response dataset(Dataset dataset, Syntax syntax) {
    dataset.getDefaultModel().setNsPrefixes(Sparql.PREFIXES);
    StreamingOutput body = out -> RDFDataMgr.write(out, dataset, syntax.format);
    return Response.ok(body, contentType(syntax)).build();
  }

  private static void requireXmlNames(Model model) {
    Set<Property> seen = new HashSet<>();
    for (StmtIterator it = model.listStatements(); it.hasNext(); ) {
      Property predicate = it.next().getPredicate();
      if (seen.add(predicate)) {
        String uri = predicate.getURI();
        if (SplitIRI.splitXML(uri) >= uri.length()) {
          throw new ProblemException(
              ProblemType.NOT_ACCEPTABLE,
              "RDF/XML cannot write the predicate <"
                  + uri
                  + "> (it has no XML local name); ask for Turtle, JSON-LD or N-Triples.");
        }
      }
    }
  }

  private static String contentType(Syntax syntax) {
    // JSON-LD and N-Triples/N-Quads are UTF-8 by definition; the others say so.
    return syntax == Syntax.TURTLE || syntax == Syntax.TRIG || syntax == Syntax.RDF_XML
        ? syntax.mediaType + "; charset=utf-8"
        : syntax.mediaType;
  }
}
