package io.arbiter.graph.store;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
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
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * Embedded Apache Jena TDB2: the default store, one directory on local disk.
 *
 * <p>TDB2 allows one writer and many readers, each in its own transaction; Arbiter has a single
 * writer anyway ({@link EventWriter}). The union default graph is switched on for every query so
 * auditors write plain SPARQL without {@code GRAPH} clauses.
 */
public final class Tdb2ProvStore implements ProvStore {

  private static final Logger LOG = Logger.getLogger(Tdb2ProvStore.class.getName());
  private static final Query ASK_ANY = QueryFactory.create("ASK { }");

  private final DatasetGraph dsg;
  private final Dataset dataset;
  private final Path location; // null: in memory
  private final LedgerGraph ledger;

  private Tdb2ProvStore(Path location, DatasetGraph dsg, IriScheme iris) {
    this.location = location;
    this.dsg = dsg;
    this.ledger = new LedgerGraph(iris);
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
    return open(directory, iris, null);
  }

  /**
   * As {@link #open(Path, IriScheme)}, creating a new database with these quad indexes (e.g. {@code
   * GSPO, SPOG, POSG, OSPG}); null for TDB2's six. A database keeps the indexes it was created
   * with: adopting others means a rebuild.
   */
  public static Tdb2ProvStore open(Path directory, IriScheme iris, List<String> quadIndexes) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the TDB2 directory " + directory, e);
    }
    DatasetGraph dsg =
        quadIndexes == null
            ? DatabaseMgr.connectDatasetGraph(directory.toString())
            : DatabaseMgr.connectDatasetGraph(
                directory.toString(),
                org.apache.jena.tdb2.params.StoreParamsBuilder.create(
                        org.apache.jena.tdb2.params.StoreParams.getDftStoreParams())
                    .quadIndexes(quadIndexes.toArray(String[]::new))
                    .build());
    return new Tdb2ProvStore(directory, dsg, iris);
  }

  /** The quad indexes this database was created with. */
  public List<String> quadIndexes() {
    return List.of(TDBInternal.getDatasetGraphTDB(dsg).getStoreParams().getQuadIndexes());
  }

  /**
   * A TDB2 database in memory, gone when closed: the same engine without a directory, for tests and
   * benchmarks that want TDB2's behaviour without its disk.
   */
  public static Tdb2ProvStore inMemory(IriScheme iris) {
    return new Tdb2ProvStore(null, DatabaseMgr.createDatasetGraph(), iris);
  }

  @Override
  public long projected() {
    return Txn.calculateRead(dsg, this::watermark);
  }

  @Override
  public void project(List<JournalRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    Txn.executeWrite(
        dsg,
        () -> {
          long next = LedgerGraph.requireContinues(records, watermark());
          for (JournalRecord record : records) {
            Node bundle = RecordQuads.parse(record, dsg::add);
            dsg.add(ledger.sequence(bundle, record.sequence()));
          }
          dsg.deleteAny(ledger.name(), ledger.name(), Vocab.projectedRecords.asNode(), Node.ANY);
          dsg.add(ledger.projected(next));
        });
  }

  /**
   * Fills an empty store with journal records {@code 0 .. to - 1} through TDB2's bulk loader (a
   * rebuild, or a new store adopted from a journal): the loader builds the indexes itself, far
   * faster than transactions of inserts, and the watermark goes in with the bundles.
   *
   * @throws IllegalStateException if the store is not empty
   */
  public void load(io.arbiter.journal.Journal journal, long to) {
    boolean empty = Txn.calculateRead(dsg, () -> dsg.isEmpty());
    if (!empty) {
      throw new IllegalStateException("the bulk loader fills only an empty store: " + this);
    }
    org.apache.jena.system.progress.MonitorOutput quiet = (format, args) -> {};
    // The parallel loader knows TDB2's six quad indexes by name and no other set.
    boolean sixIndexes =
        java.util.Set.of(TDBInternal.getDatasetGraphTDB(dsg).getStoreParams().getQuadIndexes())
            .equals(java.util.Set.of("GSPO", "GPOS", "GOSP", "SPOG", "POSG", "OSPG"));
    var loader =
        sixIndexes
            ? org.apache.jena.tdb2.loader.LoaderFactory.parallelLoader(dsg, quiet)
            : org.apache.jena.tdb2.loader.LoaderFactory.basicLoader(dsg, quiet);
    loader.startBulk();
    try {
      var sink = loader.stream();
      journal.forEach(
          0,
          to,
          record -> {
            Node bundle = RecordQuads.parse(record, sink::quad);
            sink.quad(ledger.sequence(bundle, record.sequence()));
            return true;
          });
      sink.quad(ledger.projected(Math.min(to, journal.size())));
      loader.finishBulk();
    } catch (RuntimeException e) {
      loader.finishException(e);
      throw e;
    }
  }

  /** The watermark as the current transaction sees it (a direct look-up, not a query). */
  private long watermark() {
    var found = dsg.find(ledger.name(), ledger.name(), Vocab.projectedRecords.asNode(), Node.ANY);
    try {
      long projected = 0;
      while (found.hasNext()) {
        projected =
            Math.max(projected, ((Number) found.next().getObject().getLiteralValue()).longValue());
      }
      return projected;
    } finally {
      org.apache.jena.atlas.iterator.Iter.close(found);
    }
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
    if (location == null) {
      return 0; // in memory
    }
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
    // old one. Readers in flight finish on the old generation. In memory there is nothing to
    // reclaim.
    if (location != null) {
      DatabaseMgr.compact(dsg, true);
    }
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

  @Override
  public String toString() {
    return location == null ? "TDB2 in memory" : "TDB2 at " + location;
  }
}
