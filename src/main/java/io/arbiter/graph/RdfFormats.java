package io.arbiter.graph;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.Variant;
import java.util.List;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;

/**
 * Content negotiation for RDF responses. The first format listed is the default, for a wildcard
 * Accept or none.
 */
final class RdfFormats {

  /** Formats for a graph (triples). */
  static final List<RDFFormat> GRAPH =
      List.of(RDFFormat.TURTLE_PRETTY, RDFFormat.JSONLD11, RDFFormat.NTRIPLES);

  /** Formats for a graph or, with named graphs kept, a dataset. */
  static final List<RDFFormat> GRAPH_OR_DATASET =
      List.of(RDFFormat.TURTLE_PRETTY, RDFFormat.JSONLD11, RDFFormat.NTRIPLES, RDFFormat.TRIG_PRETTY,
          RDFFormat.NQUADS);

  private RdfFormats() {}

  static String mediaType(RDFFormat format) {
    return format.getLang().getHeaderString();
  }

  /** The format the client asked for, or 406 as a problem. */
  static RDFFormat select(Request request, List<RDFFormat> offered) {
    List<Variant> variants = Variant.mediaTypes(offered.stream()
        .map(f -> MediaType.valueOf(mediaType(f))).toArray(MediaType[]::new)).build();
    Variant chosen = request.selectVariant(variants);
    if (chosen == null) {
      throw new ProblemException(ProblemType.NOT_ACCEPTABLE,
          "Acceptable here: " + offered.stream().map(RdfFormats::mediaType).toList() + ".");
    }
    String type = chosen.getMediaType().getType() + "/" + chosen.getMediaType().getSubtype();
    return offered.stream().filter(f -> mediaType(f).equals(type)).findFirst().orElse(offered.get(0));
  }

  static boolean isDatasetFormat(RDFFormat format) {
    return RDFFormat.TRIG_PRETTY.equals(format) || RDFFormat.NQUADS.equals(format);
  }

  static Response graph(Model model, RDFFormat format) {
    model.setNsPrefixes(Sparql.PREFIXES);
    StreamingOutput body = out -> RDFDataMgr.write(out, model, format);
    return Response.ok(body, mediaType(format) + charset(format.getLang())).build();
  }

  static Response dataset(Dataset dataset, RDFFormat format) {
    dataset.getDefaultModel().setNsPrefixes(Sparql.PREFIXES);
    StreamingOutput body = out -> RDFDataMgr.write(out, dataset, format);
    return Response.ok(body, mediaType(format) + charset(format.getLang())).build();
  }

  private static String charset(Lang lang) {
    return Lang.JSONLD11.equals(lang) || Lang.NTRIPLES.equals(lang) || Lang.NQUADS.equals(lang)
        ? "" : "; charset=utf-8";
  }
}
