package io.arbiter.graph;

import io.arbiter.event.IriScheme;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFWriter;
import org.apache.jena.sparql.core.Quad;

/**
 * Writes the store — every bundle as its named graph, in sequence order, then the ledger graph's
 * entries for those bundles — as one stream of quads (TriG or N-Quads).
 *
 * <p>The export is one state of the store: it ends where the log ended when it began (the end
 * sequence is read first), and each bundle in it has its ledger entry, however much is appended
 * while it streams. All of it is read within one {@link ProvStore#read} snapshot; even a store
 * whose snapshot reads each call afresh gives the same export, because bundles and entries below
 * that end never change. Memory holds one bundle at a time (bundles are small), never the export:
 * bundles are looked up by their sequence-number names rather than listed, and the ledger entries
 * stream straight from a query.
 */
public final class ProvExport {

  /** Streaming writers: TriG in blocks (one {@code GRAPH} block per bundle), or N-Quads. */
  public enum Syntax {
    TRIG("application/trig", RDFFormat.TRIG_BLOCKS, "trig"),
    N_QUADS("application/n-quads", RDFFormat.NQUADS_UTF8, "nq");

    public final String mediaType;
    final RDFFormat format;
    public final String extension;

    Syntax(String mediaType, RDFFormat format, String extension) {
      this.mediaType = mediaType;
      this.format = format;
      this.extension = extension;
    }
  }

  /** The bundles {@code from <= sequence < to} ({@code to} may lie beyond the last). */
  public record Range(long from, long to) {
    public static final Range ALL = new Range(0, Long.MAX_VALUE);

    public Range {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("need 0 <= from <= to: " + from + ", " + to);
      }
    }
  }

  private static final Duration TIMEOUT = Duration.ofHours(6);

  private static final Query MAX_SEQUENCE =
      Sparql.prepare("SELECT (MAX(?seq) AS ?max) WHERE { GRAPH ?g { ?g arb:sequence ?seq } }")
          .asQuery();

  private final ProvStore store;
  private final IriScheme iris;

  public ProvExport(ProvStore store, IriScheme iris) {
    this.store = store;
    this.iris = iris;
  }

  /**
   * Writes the bundles in {@code range} and their ledger entries to {@code out}; leaves it open.
   */
  public void write(Range range, Syntax syntax, OutputStream out) {
    StreamRDF stream = StreamRDFWriter.getWriterStream(out, syntax.format);
    stream.start();
    Sparql.PREFIXES.getNsPrefixMap().forEach(stream::prefix);
    store.read(
        snapshot -> {
          long end = Math.min(range.to(), nextSequence(snapshot));
          for (long sequence = range.from(); sequence < end; sequence++) {
            String name = iris.bundle(sequence);
            Node graph = NodeFactory.createURI(name);
            snapshot
                .triples(name)
                .ifPresent(
                    triples -> {
                      // Subjects together, so TriG writes each resource once per bundle.
                      List<Triple> sorted = new ArrayList<>(triples);
                      sorted.sort(BY_SUBJECT);
                      sorted.forEach(t -> stream.quad(Quad.create(graph, t)));
                    });
          }
          snapshot.query(
              entries(range.from(), end), TIMEOUT, execution -> entries(execution, stream));
          return null;
        });
    stream.finish();
  }

  private static final Comparator<Triple> BY_SUBJECT =
      Comparator.comparing((Triple t) -> t.getSubject().toString())
          .thenComparing(t -> t.getPredicate().getURI());

  private static long nextSequence(ProvStore.Snapshot snapshot) {
    return snapshot.query(
        MAX_SEQUENCE,
        TIMEOUT,
        execution -> {
          var rows = execution.execSelect();
          var max = rows.hasNext() ? rows.next().getLiteral("max") : null;
          return max == null ? 0L : max.getLong() + 1;
        });
  }

  /** The ledger graph's triples about entries {@code from <= leafIndex < to}, unordered. */
  private Query entries(long from, long to) {
    ParameterizedSparqlString query =
        Sparql.prepare(
            """
            SELECT ?entry ?p ?o WHERE {
              GRAPH ?ledger {
                ?entry arb:leafIndex ?seq .
                FILTER (?seq >= ?from && ?seq < ?to)
                ?entry ?p ?o
              }
            }""");
    query.setIri("ledger", iris.ledgerGraph());
    query.setLiteral("from", from);
    query.setLiteral("to", to);
    return query.asQuery();
  }

  private Void entries(QueryExecution execution, StreamRDF stream) {
    Node ledger = NodeFactory.createURI(iris.ledgerGraph());
    execution
        .execSelect()
        .forEachRemaining(
            row ->
                stream.quad(
                    Quad.create(
                        ledger,
                        row.getResource("entry").asNode(),
                        row.getResource("p").asNode(),
                        row.get("o").asNode())));
    return null;
  }
}
