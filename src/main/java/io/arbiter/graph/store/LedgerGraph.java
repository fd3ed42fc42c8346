package io.arbiter.graph.store;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.Sparql;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.sparql.core.Quad;

/**
 * The ledger graph ({@link IriScheme#ledgerGraph()}) as every store keeps it: each bundle's place
 * in the log ({@code <bundle> arb:sequence n}), and how many journal records the store holds
 * ({@code <ledger> arb:projectedRecords n}, replaced in the transaction that applies them).
 *
 * <p>Stores written before the journal kept each bundle's sequence inside the bundle and each
 * ledger entry here as a resource with its JSON; those statements stay as they were, and the legacy
 * queries below read them once, to migrate such a store to a journal.
 */
record LedgerGraph(IriScheme iris) {

  Node name() {
    return NodeFactory.createURI(iris.ledgerGraph());
  }

  static Node count(long n) {
    return NodeFactory.createLiteralDT(Long.toString(n), XSDDatatype.XSDlong);
  }

  /** {@code bundle}'s place in the log. */
  Quad sequence(Node bundle, long sequence) {
    return Quad.create(name(), bundle, Vocab.sequence.asNode(), count(sequence));
  }

  /** The watermark: the store holds journal records {@code 0 .. projected - 1}. */
  Quad projected(long projected) {
    return Quad.create(name(), name(), Vocab.projectedRecords.asNode(), count(projected));
  }

  /** Reads the watermark; answer with {@link #projected(QueryExecution)}. */
  Query projectedQuery() {
    ParameterizedSparqlString query =
        Sparql.prepare("SELECT ?n WHERE { GRAPH ?ledger { ?ledger arb:projectedRecords ?n } }");
    query.setIri("ledger", iris.ledgerGraph());
    return query.asQuery();
  }

  static long projected(QueryExecution execution) {
    var rows = execution.execSelect();
    long max = 0;
    while (rows.hasNext()) {
      max = Math.max(max, rows.next().getLiteral("n").getLong());
    }
    return max;
  }

  /**
   * A store that keeps ledger entries in the graph — written before the journal, or loaded from an
   * export — holds this many: one past the highest leaf index.
   */
  Query legacyEntryCount() {
    ParameterizedSparqlString query =
        Sparql.prepare(
            "SELECT (MAX(?seq) AS ?max) WHERE { GRAPH ?ledger { ?entry arb:leafIndex ?seq } }");
    query.setIri("ledger", iris.ledgerGraph());
    return query.asQuery();
  }

  static long legacyNextSequence(QueryExecution execution) {
    var results = execution.execSelect();
    if (!results.hasNext()) {
      return 0L;
    }
    var max = results.next().getLiteral("max");
    return max == null ? 0L : max.getLong() + 1;
  }

  /** A legacy store's entries {@code from <= seq < to} in order; read with {@link #each}. */
  Query legacyEntries(long from, long to) {
    ParameterizedSparqlString query =
        Sparql.prepare(
            """
        SELECT ?seq ?json WHERE {
          GRAPH ?ledger { ?entry arb:leafIndex ?seq ; arb:entryJson ?json }
          FILTER (?seq >= ?from && ?seq < ?to)
        } ORDER BY ?seq""");
    query.setIri("ledger", iris.ledgerGraph());
    query.setLiteral("from", from);
    query.setLiteral("to", to);
    return query.asQuery();
  }

  static Void each(QueryExecution execution, BiConsumer<Long, byte[]> sink) {
    execution
        .execSelect()
        .forEachRemaining(
            row ->
                sink.accept(
                    row.getLiteral("seq").getLong(),
                    row.getLiteral("json").getLexicalForm().getBytes(StandardCharsets.UTF_8)));
    return null;
  }

  /**
   * Checks that {@code records} are consecutive and continue the {@code projected} records a store
   * holds exactly; returns one past the last.
   */
  static long requireContinues(List<JournalRecord> records, long projected) {
    long first = records.get(0).sequence();
    if (first != projected) {
      throw new IllegalStateException(
          "the store holds " + projected + " journal records; cannot apply from " + first);
    }
    long expected = first;
    for (JournalRecord record : records) {
      if (record.sequence() != expected++) {
        throw new IllegalArgumentException("journal records must be consecutive");
      }
    }
    return expected;
  }
}
