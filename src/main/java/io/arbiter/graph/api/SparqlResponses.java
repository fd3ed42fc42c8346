package io.arbiter.graph.api;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.Variant;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.query.Query;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.ResultSetMgr;
import org.apache.jena.riot.resultset.ResultSetLang;

/**
 * Runs a parsed query and answers it as the SPARQL 1.1 Protocol does: SELECT and ASK as SPARQL
 * JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE as an RDF syntax, by the request's Accept header.
 * Shared by {@code /sparql} and the audit query library.
 */
public final class SparqlResponses {

  /** Set on responses whose result the configured cap cut short. */
  public static final String CAPPED_HEADER = "Arbiter-Result-Capped";

  private static final List<Lang> TABLE_LANGS =
      List.of(
          ResultSetLang.RS_JSON, ResultSetLang.RS_XML, ResultSetLang.RS_CSV, ResultSetLang.RS_TSV);

  private SparqlResponses() {}

  /**
   * @param caller who asks, whose share of concurrent queries this one takes
   */
  public static Response of(SparqlService sparql, Query query, Request request, String caller) {
    return of(sparql, query, request, caller, java.util.Optional.empty());
  }

  /**
   * @param caller who asks, whose share of concurrent queries this one takes
   * @param visible the bundles the caller may see, when not all ({@link TenantBundles})
   */
  public static Response of(
      SparqlService sparql,
      Query query,
      Request request,
      String caller,
      java.util.Optional<io.arbiter.graph.prov.BundleFilter> visible) {
    if (query.isSelectType() || query.isAskType()) {
      Lang lang = selectTableLang(request);
      var result = sparql.execute(query, caller, visible);
      StreamingOutput body =
          result instanceof SparqlService.Table table
              ? out -> ResultSetMgr.write(out, table.rows(), lang)
              : out -> ResultSetMgr.write(out, ((SparqlService.Bool) result).value(), lang);
      Response.ResponseBuilder response =
          Response.ok(body, lang.getHeaderString() + "; charset=utf-8");
      if (result instanceof SparqlService.Table table && table.capped()) {
        response.header(CAPPED_HEADER, sparql.resultCap());
      }
      return response.build();
    }
    RdfFormats.Syntax format = RdfFormats.select(request, RdfFormats.GRAPH);
    var graph = (SparqlService.GraphResult) sparql.execute(query, caller, visible);
    return RdfFormats.graph(graph.model(), format);
  }

  /** Whether the request accepts SELECT or ASK results in any syntax we write. */
  static boolean acceptsResults(Request request) {
    return request.selectVariant(tableVariants()) != null;
  }

  private static List<Variant> tableVariants() {
    List<Variant> variants = new ArrayList<>();
    for (Lang lang : TABLE_LANGS) {
      variants.add(new Variant(MediaType.valueOf(lang.getHeaderString()), (String) null, null));
    }
    variants.add(new Variant(MediaType.APPLICATION_JSON_TYPE, (String) null, null));
    return variants;
  }

  private static Lang selectTableLang(Request request) {
    Variant chosen = request.selectVariant(tableVariants());
    if (chosen == null) {
      throw new ProblemException(
          ProblemType.NOT_ACCEPTABLE,
          "Acceptable for SELECT and ASK: application/sparql-results+json,"
              + " application/sparql-results+xml, text/csv, text/tab-separated-values.");
    }
    String type = chosen.getMediaType().getType() + "/" + chosen.getMediaType().getSubtype();
    return TABLE_LANGS.stream()
        .filter(l -> l.getHeaderString().equals(type))
        .findFirst()
        .orElse(ResultSetLang.RS_JSON);
  }
}
