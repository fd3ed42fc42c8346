package io.arbiter.graph;

import io.arbiter.event.IriScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.exec.http.Service;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.NodeIdInline;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.apache.jena.vocabulary.RDF;

/**
 * Embedded Apache Jena TDB2: the default store, one directory on local disk.
 *
 * <p>TDB2 allows one writer and many readers, each in its own transaction; Arbiter has a single
 * writer anyway ({@link EventWriter}). The union default graph is switched on for every query so
 * auditors write plain SPARQL without {@code GRAPH} clauses.
 */
public final class Tdb2ProvStore implements ProvStore {

  private static final Logger LOG = Logger.getLogger(Tdb2ProvStore.class.getName());
  private static final Query MAX_SEQUENCE =
      Sparql.prepare("SELECT (MAX(?seq) AS ?max) WHERE { GRAPH ?g { ?g arb:sequence ?seq } }")
          .asQuery();
  private static final Query ASK_ANY = QueryFactory.create("ASK { }");

  private final DatasetGraph dsg;
  private final Dataset dataset;
  private final Path location;
  private final IriScheme iris;
  private final Node ledgerGraph;

  private Tdb2ProvStore(Path location, DatasetGraph dsg, IriScheme iris) {
    this.location = location;
    this.dsg = dsg;
    this.iris = iris;
    this.ledgerGraph = NodeFactory.createURI(iris.ledgerGraph());
    this.dataset = DatasetFactory.wrap(dsg);
    dsg.getContext().set(TDB2.symUnionDefaultGraph, true);
    // No query may make this server fetch other URLs (SERVICE): auditors' SPARQL runs here.
    dsg.getContext().set(Service.httpServiceAllowed, false);
  }

  /**
   * Opens (creating if needed) the TDB2 database in {@code directory}; ledger entries go to the
   * named graph {@code iris.ledgerGraph()}.
   */
  public static Tdb2ProvStore open(Path directory, IriScheme iris) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the TDB2 directory " + directory, e);
    }
    return new Tdb2ProvStore(
        directory, DatabaseMgr.connectDatasetGraph(directory.toString()), iris);
  }

  @Override
  public long nextSequence() {
    return query(
        MAX_SEQUENCE,
        Duration.ofMinutes(10),
        execution -> {
          var results = execution.execSelect();
          if (!results.hasNext()) {
            return 0L;
          }
          var max = results.next().getLiteral("max");
          return max == null ? 0L : max.getLong() + 1;
        });
  }

  @Override
  public void append(List<Bundle> bundles) {
    Txn.executeWrite(
        dsg,
        () -> {
          for (Bundle bundle : bundles) {
            Node name = NodeFactory.createURI(bundle.iri());
            if (dsg.containsGraph(name)) {
              throw new IllegalStateException("bundle " + bundle.iri() + " exists already");
            }
            bundle
                .triples()
                .find()
                .forEachRemaining(
                    t -> dsg.add(name, t.getSubject(), t.getPredicate(), t.getObject()));
            addEntry(bundle);
          }
        });
  }

  private void addEntry(Bundle bundle) {
    Node entry = NodeFactory.createURI(iris.ledgerEntry(bundle.sequence()));
    dsg.add(ledgerGraph, entry, RDF.type.asNode(), Vocab.LedgerEntry.asNode());
    dsg.add(
        ledgerGraph,
        entry,
        Vocab.leafIndex.asNode(),
        NodeFactory.createLiteralDT(Long.toString(bundle.sequence()), XSDDatatype.XSDlong));
    dsg.add(ledgerGraph, entry, Vocab.entryBundle.asNode(), NodeFactory.createURI(bundle.iri()));
    dsg.add(
        ledgerGraph,
        entry,
        Vocab.entryJson.asNode(),
        NodeFactory.createLiteralString(
            new String(bundle.entry().canonicalBytes(), StandardCharsets.UTF_8)));
  }

  @Override
  public Graph asStored(Graph graph) {
    Graph stored = GraphFactory.createDefaultGraph();
    graph
        .find()
        .forEachRemaining(
            t ->
                stored.add(Triple.create(t.getSubject(), t.getPredicate(), stored(t.getObject()))));
    return stored;
  }

  // TDB2 keeps numbers, dates, times and booleans that fit in 56 bits by value, not by spelling.
  private static Node stored(Node node) {
    if (!node.isLiteral()) {
      return node;
    }
    NodeId inline = NodeIdInline.inline(node);
    return inline == null ? node : NodeIdInline.extract(inline);
  }

  @Override
  public Optional<byte[]> entry(long sequence) {
    ParameterizedSparqlString query =
        Sparql.prepare("SELECT ?json WHERE { GRAPH ?ledger { ?entry arb:entryJson ?json } }");
    query.setIri("ledger", ledgerGraph.getURI());
    query.setIri("entry", iris.ledgerEntry(sequence));
    return query(
        query.asQuery(),
        Duration.ofSeconds(30),
        execution -> {
          var rows = execution.execSelect();
          return rows.hasNext()
              ? Optional.of(
                  rows.next().getLiteral("json").getLexicalForm().getBytes(StandardCharsets.UTF_8))
              : Optional.<byte[]>empty();
        });
  }

  @Override
  public void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink) {
    query(entries(from, to), Duration.ofHours(1), execution -> eachEntry(execution, sink));
  }

  private Query entries(long from, long to) {
    ParameterizedSparqlString query =
        Sparql.prepare(
            """
        SELECT ?seq ?json WHERE {
          GRAPH ?ledger { ?entry arb:leafIndex ?seq ; arb:entryJson ?json }
          FILTER (?seq >= ?from && ?seq < ?to)
        } ORDER BY ?seq""");
    query.setIri("ledger", ledgerGraph.getURI());
    query.setLiteral("from", from);
    query.setLiteral("to", to);
    return query.asQuery();
  }

  private static Void eachEntry(QueryExecution execution, BiConsumer<Long, byte[]> sink) {
    execution
        .execSelect()
        .forEachRemaining(
            row ->
                sink.accept(
                    row.getLiteral("seq").getLong(),
                    row.getLiteral("json").getLexicalForm().getBytes(StandardCharsets.UTF_8)));
    return null;
  }

  @Override
  public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
    return Txn.calculateRead(dsg, () -> execute(dataset, query, timeout, reader));
  }

  /** Runs {@code query} on {@code target} (this store, or one generation of it) in a read. */
  private static <T> T execute(
      Dataset target, Query query, Duration timeout, Function<QueryExecution, T> reader) {
    Query plain = query;
    Dataset over = target;
    if (query.hasDatasetDescription()) {
      // FROM / FROM NAMED pick graphs of this store (never URLs to fetch): the default graph is
      // then the merge of the FROM graphs, not the union of all bundles.
      over =
          DatasetFactory.wrap(
              DynamicDatasets.dynamicDataset(
                  DatasetDescription.create(query), target.asDatasetGraph(), false));
      plain = query.cloneQuery();
      plain.getGraphURIs().clear();
      plain.getNamedGraphURIs().clear();
    }
    try (QueryExecution execution =
        QueryExecution.dataset(over)
            .query(plain)
            .set(TDB2.symUnionDefaultGraph, !query.hasDatasetDescription())
            // Per execution too: compaction swaps the underlying dataset and its context.
            .set(Service.httpServiceAllowed, false)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build()) {
      return reader.apply(execution);
    }
  }

  @Override
  public Optional<Graph> graph(String iri) {
    Node name = NodeFactory.createURI(iri);
    return Txn.calculateRead(
        dsg,
        () -> {
          if (!dsg.containsGraph(name)) {
            return Optional.empty();
          }
          Graph copy = GraphFactory.createDefaultGraph();
          dsg.getGraph(name).find().forEachRemaining(copy::add);
          return Optional.of(copy);
        });
  }

  /**
   * One read transaction around {@code reader}, and every read of the snapshot on the generation of
   * the database it began on. Compaction switches to a new generation under running readers and
   * then waits for them to finish on the old one; a reader that went on through this store would
   * see later writes, and its transaction would be ended on the new generation and never on the
   * old, so the compaction — and the writer thread that runs it — would wait forever.
   */
  @Override
  public <T> T read(Function<Snapshot, T> reader) {
    DatasetGraphTDB current = TDBInternal.getDatasetGraphTDB(dsg);
    DatasetGraphTDB[] began = new DatasetGraphTDB[1];
    try {
      return Txn.calculateRead(
          dsg,
          () -> {
            began[0] = current.isInTransaction() ? current : TDBInternal.getDatasetGraphTDB(dsg);
            if (!began[0].isInTransaction()) {
              throw new IllegalStateException("the database switched generations twice at once");
            }
            return reader.apply(new GenerationSnapshot(began[0]));
          });
    } finally {
      if (began[0] != null && began[0].isInTransaction()) {
        began[0].end(); // the store switched generations meanwhile: end where it began
      }
    }
  }

  /** Reads of one generation of the database, within {@link #read}'s transaction on it. */
  private final class GenerationSnapshot implements Snapshot {

    private final Dataset generation;
    private final NodeTupleTable quads;
    private final NodeTable nodes;

    GenerationSnapshot(DatasetGraphTDB generation) {
      this.generation = DatasetFactory.wrap(generation);
      this.quads = generation.getQuadTable().getNodeTupleTable();
      this.nodes = quads.getNodeTable();
    }

    @Override
    public void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink) {
      execute(generation, entries(from, to), Duration.ofHours(1), rows -> eachEntry(rows, sink));
    }

    /**
     * Read at the level of TDB2's node ids: each distinct node of the graph is decoded once, and
     * the graph's name not at all.
     */
    @Override
    public Optional<List<Triple>> triples(String graph) {
      NodeId name = nodes.getNodeIdForNode(NodeFactory.createURI(graph));
      if (NodeId.isDoesNotExist(name)) {
        return Optional.empty();
      }
      // Inline ids (numbers, times) decode without a look-up, and equal a pointer id of the same
      // value: only pointer ids are remembered.
      Map<NodeId, Node> decoded = new HashMap<>();
      Function<NodeId, Node> decode =
          id ->
              NodeId.isInline(id)
                  ? nodes.getNodeForNodeId(id)
                  : decoded.computeIfAbsent(id, nodes::getNodeForNodeId);
      List<Triple> triples = new ArrayList<>();
      quads
          .find(name, NodeId.NodeIdAny, NodeId.NodeIdAny, NodeId.NodeIdAny)
          .forEachRemaining(
              quad ->
                  triples.add(
                      Triple.create(
                          decode.apply(quad.get(1)),
                          decode.apply(quad.get(2)),
                          decode.apply(quad.get(3)))));
      // TDB2 keeps no empty graphs: a graph exists while it has a quad.
      return triples.isEmpty() ? Optional.empty() : Optional.of(triples);
    }

    @Override
    public <T> T query(Query query, Duration timeout, Function<QueryExecution, T> reader) {
      return execute(generation, query, timeout, reader);
    }
  }

  @Override
  public long diskBytes() {
    try (var files = Files.walk(location)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException vanished) {
                  return 0; // compaction removed it while we walked
                }
              })
          .sum();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot measure " + location, e);
      return 0;
    }
  }

  @Override
  public void compact() {
    // Writes a fresh generation (Data-000N) holding only live data, switches to it and deletes the
    // old one. Readers in flight finish on the old generation.
    DatabaseMgr.compact(dsg, true);
  }

  @Override
  public boolean isHealthy() {
    try {
      return query(ASK_ANY, Duration.ofSeconds(5), QueryExecution::execAsk);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "TDB2 store at " + location + " failed a health read", e);
      return false;
    }
  }

  @Override
  public void close() {
    // Releases the files, so a redeploy in the same JVM can open the database again.
    TDBInternal.expel(dsg);
  }
}
