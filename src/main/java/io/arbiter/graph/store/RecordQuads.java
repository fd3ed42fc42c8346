package io.arbiter.graph.store;

import io.arbiter.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.jena.graph.Node;
import org.apache.jena.irix.IRIxResolver;
import org.apache.jena.riot.RIOT;
import org.apache.jena.riot.lang.LangNQuads;
import org.apache.jena.riot.system.ErrorHandlerFactory;
import org.apache.jena.riot.system.FactoryRDFStd;
import org.apache.jena.riot.system.ParserProfileStd;
import org.apache.jena.riot.system.PrefixMapFactory;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFBase;
import org.apache.jena.riot.tokens.Tokenizer;
import org.apache.jena.riot.tokens.TokenizerText;
import org.apache.jena.sparql.core.Quad;

/** A journal record's bundle, read back from its canonical N-Quads. */
public final class RecordQuads {

  private RecordQuads() {}

  /**
   * Hands every quad of the record's bundle to {@code sink} and returns the bundle's name (the
   * graph of its quads, all alike).
   *
   * @throws IllegalStateException when the record holds no quad or quads of several graphs
   */
  static Node parse(JournalRecord record, Consumer<Quad> sink) {
    Node[] graph = new Node[1];
    StreamRDF quads =
        new StreamRDFBase() {
          @Override
          public void quad(Quad quad) {
            if (graph[0] == null) {
              graph[0] = quad.getGraph();
            } else if (!graph[0].equals(quad.getGraph())) {
              throw new IllegalStateException(
                  "journal record " + record.sequence() + " holds quads of several graphs");
            }
            sink.accept(quad);
          }
        };
    // Jena's parser, set up for one small document of our own: RDFParser would give each record a
    // 256 KB character buffer and a node cache of 5,000 slots, and parse every IRI into its parts
    // even with resolution off — 600 KB of garbage per 23 KB record, which an export of 20,000
    // records made the collector stop every thread for (the census's guard section).
    Tokenizer tokens =
        TokenizerText.create()
            .fromString(new String(record.bundle(), StandardCharsets.UTF_8))
            .errorHandler(ErrorHandlerFactory.errorHandlerExceptionOnError())
            .build();
    new LangNQuads(tokens, new TrustedProfile(), quads).parse();
    if (graph[0] == null) {
      throw new IllegalStateException("journal record " + record.sequence() + " holds no quad");
    }
    return graph[0];
  }

  /**
   * IRIs taken as written: the bytes are Arbiter's own canonical N-Quads, checked when they were
   * made, so no IRI is validated or resolved again (that was a quarter of the projector's time).
   * Blank node labels are scoped to the record, as they are in its canonical form.
   */
  private static final class TrustedProfile extends ParserProfileStd {
    /** Never consulted: {@link #resolveIRI} answers first. The constructor needs one. */
    private static final IRIxResolver AS_WRITTEN =
        IRIxResolver.create().noBase().resolve(false).allowRelative(true).build();

    TrustedProfile() {
      super(
          new FactoryRDFStd(),
          ErrorHandlerFactory.errorHandlerExceptionOnError(),
          AS_WRITTEN,
          PrefixMapFactory.emptyPrefixMap(),
          RIOT.getContext(),
          false,
          false);
    }

    /**
     * Every IRI, datatype IRIs included, passes here on its way to a node ({@code createURI} and
     * literals alike): as written, so the shared resolver, whose cache is a plain array not safe
     * across threads, is never reached.
     */
    @Override
    public String resolveIRI(String iri, long line, long col) {
      return iri;
    }
  }

  /** The bundle's name: the graph of the record's first line, read without parsing the rest. */
  public static String graphName(JournalRecord record) {
    byte[] bytes = record.bundle();
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    // A canonical line ends in " <graph> ."; the graph is an IRI, so it is the last <...> on it.
    int close = end - 1;
    while (close > 0 && bytes[close] != '>') {
      close--;
    }
    int open = close;
    while (open > 0 && bytes[open] != '<') {
      open--;
    }
    if (open >= close) {
      throw new IllegalStateException(
          "journal record " + record.sequence() + " does not end its first line with a graph IRI");
    }
    return org.apache.jena.riot.system.RiotLib.parse(
            new String(bytes, open, close - open + 1, java.nio.charset.StandardCharsets.UTF_8))
        .getURI();
  }

  /** The record's bundle as a graph (its triples, without the graph name). */
  static org.apache.jena.graph.Graph graph(JournalRecord record) {
    org.apache.jena.graph.Graph graph =
        org.apache.jena.sparql.graph.GraphFactory.createDefaultGraph();
    parse(record, quad -> graph.add(quad.asTriple()));
    return graph;
  }
}
