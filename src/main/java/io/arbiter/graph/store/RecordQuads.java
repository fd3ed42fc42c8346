package io.arbiter.graph.store;

import io.arbiter.journal.JournalRecord;
import java.io.ByteArrayInputStream;
import java.util.function.Consumer;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.system.StreamRDFBase;
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
    // The bytes are Arbiter's own canonical N-Quads, checked when they were made: no IRI is
    // validated or resolved again here (that was a quarter of the projector's time).
    RDFParser.source(new ByteArrayInputStream(record.bundle()))
        .lang(Lang.NQUADS)
        .checking(false)
        .resolveURIs(false)
        .parse(
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
            });
    if (graph[0] == null) {
      throw new IllegalStateException("journal record " + record.sequence() + " holds no quad");
    }
    return graph[0];
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
