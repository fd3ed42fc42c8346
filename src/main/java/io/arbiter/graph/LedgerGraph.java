package io.arbiter.graph;

import io.arbiter.event.IriScheme;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.vocabulary.RDF;

/**
 * How every store keeps ledger entries: beside the bundles, one resource per entry in the named
 * graph {@link IriScheme#ledgerGraph()}, with its leaf index and its canonical JSON as a string.
 * The stores share these statements and queries, so they store and read entries alike.
 */
record LedgerGraph(IriScheme iris) {

  /** The next sequence number: one past the highest any bundle states (0 when there is none). */
  static final Query MAX_SEQUENCE =
      Sparql.prepare("SELECT (MAX(?seq) AS ?max) WHERE { GRAPH ?g { ?g arb:sequence ?seq } }")
          .asQuery();

  Node name() {
    return NodeFactory.createURI(iris.ledgerGraph());
  }

  /** The quads that record {@code bundle}'s entry. */
  List<Quad> quads(Bundle bundle) {
    Node graph = name();
    Node entry = NodeFactory.createURI(iris.ledgerEntry(bundle.sequence()));
    return List.of(
        Quad.create(graph, entry, RDF.type.asNode(), Vocab.LedgerEntry.asNode()),
        Quad.create(
            graph,
            entry,
            Vocab.leafIndex.asNode(),
            NodeFactory.createLiteralDT(Long.toString(bundle.sequence()), XSDDatatype.XSDlong)),
        Quad.create(graph, entry, Vocab.entryBundle.asNode(), NodeFactory.createURI(bundle.iri())),
        Quad.create(
            graph,
            entry,
            Vocab.entryJson.asNode(),
            NodeFactory.createLiteralString(
                new String(bundle.entry().canonicalBytes(), StandardCharsets.UTF_8))));
  }

  /** Entry {@code sequence}'s JSON; read the answer with {@link #json}. */
  Query entry(long sequence) {
    ParameterizedSparqlString query =
        Sparql.prepare("SELECT ?json WHERE { GRAPH ?ledger { ?entry arb:entryJson ?json } }");
    query.setIri("ledger", iris.ledgerGraph());
    query.setIri("entry", iris.ledgerEntry(sequence));
    return query.asQuery();
  }

  /** The entries with {@code from <= seq < to} in order; read the answer with {@link #each}. */
  Query entries(long from, long to) {
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

  static long nextSequence(QueryExecution execution) {
    var results = execution.execSelect();
    if (!results.hasNext()) {
      return 0L;
    }
    var max = results.next().getLiteral("max");
    return max == null ? 0L : max.getLong() + 1;
  }

  static Optional<byte[]> json(QueryExecution execution) {
    var rows = execution.execSelect();
    return rows.hasNext()
        ? Optional.of(
            rows.next().getLiteral("json").getLexicalForm().getBytes(StandardCharsets.UTF_8))
        : Optional.empty();
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
}
