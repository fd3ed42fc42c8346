package io.arbiter.graph.store;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.Sparql;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.Journal;
import io.arbiter.journal.JournalRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.jena.atlas.io.AWriter;
import org.apache.jena.atlas.io.IO;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFWriter;
import org.apache.jena.riot.writer.WriterStreamRDFPlain;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

/**
 * Writes what the graph holds — every bundle as its named graph, in sequence order, then the ledger
 * graph for those bundles: each one's place ({@code arb:sequence}) and its ledger entry, so that an
 * export can be verified on its own — as one stream of quads (TriG or N-Quads).
 *
 * <p>The bundles are read from the journal, whose records hold exactly what the store holds for
 * them (the verifier checks that), up to the projection's watermark when the export began: the
 * export is one state of the graph, named by the {@code Arbiter-Graph-Sequence} header, however
 * much is recorded while it streams. Memory holds one bundle at a time, never the export.
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

  /** Records between two calls of the step hook. */
  static final int STEP = 64;

  private final Journal journal;
  private final IriScheme iris;
  private final Runnable betweenSteps;

  public ProvExport(Journal journal, IriScheme iris) {
    this(journal, iris, () -> {});
  }

  /**
   * @param betweenSteps run every {@link #STEP} records: where a server lets interactive requests
   *     go first (an export is a report: it has no latency target, they do)
   */
  public ProvExport(Journal journal, IriScheme iris, Runnable betweenSteps) {
    this.journal = journal;
    this.iris = iris;
    this.betweenSteps = betweenSteps;
  }

  /** The step hook, every {@link #STEP} records. */
  private void step(JournalRecord record) {
    if (record.sequence() % STEP == 0) {
      betweenSteps.run();
    }
  }

  /**
   * Writes the bundles in {@code range} below {@code projected} (the records the graph holds) and
   * their ledger graph to {@code out}; leaves it open.
   */
  public void write(Range range, long projected, Syntax syntax, OutputStream out) {
    write(range, projected, syntax, java.util.Optional.empty(), out);
  }

  /**
   * As {@link #write(Range, long, Syntax, OutputStream)}, of the bundles {@code visible} accepts
   * only, when given (a caller bound to tenants), and then without the ledger graph, which places
   * every bundle.
   */
  public void write(
      Range range,
      long projected,
      Syntax syntax,
      java.util.Optional<io.arbiter.graph.prov.BundleFilter> visible,
      OutputStream out) {
    long end = Math.min(range.to(), Math.min(projected, journal.size()));
    AWriter text = syntax == Syntax.N_QUADS ? IO.wrapUTF8(out) : null;
    // Whether the writer may hold output not yet in `out`: flushed before a record's bytes are
    // copied, and only then, so that copying does not flush the response at every record.
    boolean[] written = {true};
    StreamRDF stream =
        syntax == Syntax.N_QUADS
            ? new WriterStreamRDFPlain(text)
            : StreamRDFWriter.getWriterStream(out, syntax.format);
    stream.start();
    Sparql.PREFIXES.getNsPrefixMap().forEach(stream::prefix);
    journal.forEach(
        range.from(),
        end,
        record -> {
          step(record);
          if (syntax == Syntax.N_QUADS && visible.isEmpty() && !mentionsBlankNode(record)) {
            // The record's canonical N-Quads are already lines of this document: copied, not
            // parsed and written again. (A blank node's label is scoped to its record, so a
            // record with one goes through the writer, which keeps labels apart.)
            if (written[0]) {
              text.flush();
              written[0] = false;
            }
            try {
              out.write(record.bundle());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return true;
          }
          List<Quad> quads = new ArrayList<>();
          RecordQuads.parse(record, quads::add);
          if (visible.isPresent() && !shown(quads, visible.get())) {
            return true;
          }
          // Subjects together, so TriG writes each resource once per bundle.
          quads.sort(BY_SUBJECT);
          quads.forEach(stream::quad);
          written[0] = true;
          return true;
        });
    if (visible.isPresent()) {
      stream.finish();
      return;
    }
    LedgerGraph ledger = new LedgerGraph(iris);
    journal.forEach(
        range.from(),
        end,
        record -> {
          step(record);
          Node bundle = NodeFactory.createURI(RecordQuads.graphName(record));
          ledger(ledger, bundle, record, stream);
          return true;
        });
    stream.finish();
  }

  /** Whether the record's N-Quads may hold a blank node ({@code _:} anywhere, literals too). */
  private static boolean mentionsBlankNode(JournalRecord record) {
    byte[] bytes = record.bundle();
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '_' && bytes[i + 1] == ':') {
        return true;
      }
    }
    return false;
  }

  /** Whether a bundle's quads show an event type and subject that {@code visible} accepts. */
  private static boolean shown(List<Quad> quads, io.arbiter.graph.prov.BundleFilter visible) {
    String type = null;
    String subject = null;
    for (Quad quad : quads) {
      if (!quad.getSubject().equals(quad.getGraph())) {
        continue;
      }
      if (quad.getPredicate().equals(Vocab.eventType.asNode()) && quad.getObject().isLiteral()) {
        type = quad.getObject().getLiteralLexicalForm();
      } else if (quad.getPredicate().equals(Vocab.eventSubject.asNode())
          && quad.getObject().isURI()) {
        subject = quad.getObject().getURI();
      }
    }
    return type != null && subject != null && visible.visible(type, subject);
  }

  private void ledger(LedgerGraph ledger, Node bundle, JournalRecord record, StreamRDF stream) {
    long sequence = record.sequence();
    Node graph = ledger.name();
    Node entry = NodeFactory.createURI(iris.ledgerEntry(sequence));
    stream.quad(ledger.sequence(bundle, sequence));
    stream.quad(Quad.create(graph, entry, RDF.type.asNode(), Vocab.LedgerEntry.asNode()));
    stream.quad(Quad.create(graph, entry, Vocab.leafIndex.asNode(), LedgerGraph.count(sequence)));
    stream.quad(Quad.create(graph, entry, Vocab.entryBundle.asNode(), bundle));
    stream.quad(
        Quad.create(
            graph,
            entry,
            Vocab.entryJson.asNode(),
            NodeFactory.createLiteralString(new String(record.entry(), StandardCharsets.UTF_8))));
  }

  private static final Comparator<Quad> BY_SUBJECT =
      Comparator.comparing((Quad q) -> q.getSubject().toString())
          .thenComparing(q -> q.getPredicate().getURI());
}
