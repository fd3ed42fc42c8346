package io.arbiter.graph.store;

import io.arbiter.config.DurableFiles;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.jena.atlas.lib.tuple.Tuple;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.dboe.sys.Names;
import org.apache.jena.dboe.transaction.txn.TransactionCoordinator;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.TxnType;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.exec.http.Service;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.params.StoreParams;
import org.apache.jena.tdb2.params.StoreParamsBuilder;
import org.apache.jena.tdb2.params.StoreParamsCodec;
import org.apache.jena.tdb2.store.DatasetGraphSwitchable;
import org.apache.jena.tdb2.store.DatasetGraphTDB;
import org.apache.jena.tdb2.store.NodeId;
import org.apache.jena.tdb2.store.nodetable.NodeTable;
import org.apache.jena.tdb2.store.nodetupletable.NodeTupleTable;
import org.apache.jena.tdb2.store.tupletable.TupleIndex;
import org.apache.jena.tdb2.sys.StoreConnection;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * Embedded Apache Jena TDB2: the default store, one directory on local disk.
 *
 * <p>TDB2 allows one writer and many readers, each in its own transaction; Arbiter has a single
 * writer anyway ({@link Projector}). The union default graph is switched on for every query so
 * auditors write plain SPARQL without {@code GRAPH} clauses.
 *
 * <p>The directory is a TDB2 container: generations {@code Data-0001}, {@code Data-0002}, … of
 * which TDB2 opens the highest. Arbiter compacts by writing the next generation itself ({@link
 * #beginCompaction}), in the quad-index layout configured now, so a store adopts a new layout at
 * its next compaction. Each generation keeps its layout in its own {@code tdb.cfg}; the container
 * holds none (TDB2 would let it override every generation's).
 */
public final class Tdb2ProvStore implements ProvStore {

  /**
   * Arbiter's layout: four quad indexes answer every pattern its queries and the union default
   * graph use (docs/performance.md); TDB2's other two, GPOS and GOSP, cost a third of the disk and
   * of the time to apply a bundle.
   */
  public static final List<String> QUAD_INDEXES = List.of("GSPO", "SPOG", "POSG", "OSPG");

  /** TDB2's own default layout, six quad indexes. */
  public static final List<String> TDB2_QUAD_INDEXES =
      List.of("GSPO", "GPOS", "GOSP", "SPOG", "POSG", "OSPG");

  private static final Logger LOG = Logger.getLogger(Tdb2ProvStore.class.getName());
  private static final Query ASK_ANY = QueryFactory.create("ASK { }");
  private static final String GENERATION = "Data-";

  private final DatasetGraph dsg;
  private final Path location; // null: in memory
  private final StoreParams layout; // for new generations
  private final LedgerGraph ledger;

  private Tdb2ProvStore(Path location, DatasetGraph dsg, StoreParams layout, IriScheme iris) {
    this.location = location;
    this.dsg = dsg;
    this.layout = layout;
    this.ledger = new LedgerGraph(iris);
    dsg.getContext().set(TDB2.symUnionDefaultGraph, true);
    // No query may make this server fetch other URLs (SERVICE): auditors' SPARQL runs here.
    dsg.getContext().set(Service.httpServiceAllowed, false);
  }

  /**
   * Opens (creating if needed, with Arbiter's {@link #QUAD_INDEXES}) the TDB2 database in {@code
   * directory}; ledger entries go to the named graph {@code iris.ledgerGraph()}.
   */
  public static Tdb2ProvStore open(Path directory, IriScheme iris) {
    return open(directory, iris, QUAD_INDEXES);
  }

  /**
   * As {@link #open(Path, IriScheme)}, with these quad indexes (e.g. {@link #QUAD_INDEXES} or
   * {@link #TDB2_QUAD_INDEXES}) for a new database and for the generations compaction writes. A
   * database opens with the indexes its current generation was written with: forcing others on it
   * would leave the missing ones empty.
   */
  public static Tdb2ProvStore open(Path directory, IriScheme iris, List<String> quadIndexes) {
    StoreParams layout =
        StoreParamsBuilder.create(StoreParams.getDftStoreParams())
            .quadIndexes(quadIndexes.toArray(String[]::new))
            .build();
    try {
      Files.createDirectories(directory);
      boolean created = !hasGeneration(directory);
      DatasetGraph dsg =
          created
              ? DatabaseMgr.connectDatasetGraph(directory.toString(), layout)
              : DatabaseMgr.connectDatasetGraph(directory.toString());
      try {
        keepLayoutInGeneration(directory, dsg);
        deleteOlderGenerations(directory, dsg);
      } catch (IOException | RuntimeException e) {
        TDBInternal.expel(dsg);
        throw e;
      }
      return new Tdb2ProvStore(directory, dsg, layout, iris);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the TDB2 store in " + directory, e);
    }
  }

  private static boolean hasGeneration(Path directory) throws IOException {
    return !generations(directory).isEmpty();
  }

  /**
   * Writes the quad indexes of a closed store's current generation again with every block full, as
   * compaction does: after {@link #load}, whose bulk loader leaves them half empty. Only for a
   * store nothing uses yet (a rebuild before it replaces the store): a crash meanwhile loses the
   * generation.
   */
  public static void packIndexes(Path directory) throws IOException {
    Path current =
        generations(directory).stream()
            .max(java.util.Comparator.comparingInt(Tdb2ProvStore::generation))
            .orElseThrow(() -> new IllegalStateException("no TDB2 generation in " + directory));
    StoreParams layout = StoreParamsCodec.read(Location.create(current));
    PackedIndexes.repack(
        current, layout == null ? StoreParams.getDftStoreParams() : layout, () -> {});
  }

  /** The container's generation directories ({@code Data-0001}, …; not a compaction's -tmp). */
  private static List<Path> generations(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      return entries
          .filter(Files::isDirectory)
          .filter(entry -> entry.getFileName().toString().matches(GENERATION + "\\d+"))
          .toList();
    }
  }

  /**
   * TDB2 writes a non-default layout to the container's {@code tdb.cfg} when it creates a database,
   * and reads that file over every generation's own: a generation written in another layout by
   * compaction would then be opened with the wrong indexes. So the layout goes into the current
   * generation, and the container's file away.
   */
  private static void keepLayoutInGeneration(Path directory, DatasetGraph dsg) throws IOException {
    Path containerParams = directory.resolve(Names.TDB_CONFIG_FILE);
    if (!Files.exists(containerParams)) {
      return;
    }
    DatasetGraphTDB current = TDBInternal.getDatasetGraphTDB(dsg);
    writeLayout(Path.of(current.getLocation().getDirectoryPath()), current.getStoreParams());
    Files.delete(containerParams);
    DurableFiles.forceDirectory(directory);
  }

  /**
   * Generations below the one TDB2 opened are leftovers of a compaction stopped after its switch
   * (before the old generation's last reader let go of it): the opened one holds everything.
   */
  private static void deleteOlderGenerations(Path directory, DatasetGraph dsg) throws IOException {
    Path current = Path.of(TDBInternal.getDatasetGraphTDB(dsg).getLocation().getDirectoryPath());
    int opened = generation(current);
    for (Path leftover : generations(directory)) {
      if (generation(leftover) >= opened) {
        continue;
      }
      LOG.info(() -> "deleting " + leftover + ", a generation older than " + current);
      DurableFiles.deleteTree(leftover);
    }
  }

  private static int generation(Path directory) {
    return Integer.parseInt(directory.getFileName().toString().substring(GENERATION.length()));
  }

  private static void writeLayout(Path generation, StoreParams params) throws IOException {
    DurableFiles.replace(
        generation.resolve(Names.TDB_CONFIG_FILE),
        StoreParamsCodec.encodeToJson(params).toString().getBytes(StandardCharsets.UTF_8));
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
    return new Tdb2ProvStore(null, DatabaseMgr.createDatasetGraph(), null, iris);
  }

  @Override
  public long projected() {
    return read(snapshot -> ((GenerationSnapshot) snapshot).watermark());
  }

  @Override
  public void project(List<JournalRecord> records) {
    if (!records.isEmpty()) {
      Txn.executeWrite(dsg, () -> apply(dsg, records));
    }
  }

  /** Adds the records' bundles and moves the watermark, in {@code target}'s write transaction. */
  private void apply(DatasetGraph target, List<JournalRecord> records) {
    long next = LedgerGraph.requireContinues(records, watermark(target));
    for (JournalRecord record : records) {
      Node bundle = RecordQuads.parse(record, target::add);
      target.add(ledger.sequence(bundle, record.sequence()));
    }
    target.deleteAny(ledger.name(), ledger.name(), Vocab.projectedRecords.asNode(), Node.ANY);
    target.add(ledger.projected(next));
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
    bulkLoad(
        dsg,
        sink -> {
          journal.forEach(
              0,
              to,
              record -> {
                Node bundle = RecordQuads.parse(record, sink::quad);
                sink.quad(ledger.sequence(bundle, record.sequence()));
                return true;
              });
          sink.quad(ledger.projected(Math.min(to, journal.size())));
        });
  }

  /** Fills {@code target} with the quads {@code source} sends, through TDB2's bulk loader. */
  private static void bulkLoad(DatasetGraph target, Consumer<StreamRDF> source) {
    org.apache.jena.system.progress.MonitorOutput quiet = (format, args) -> {};
    // The parallel loader knows TDB2's six quad indexes by name and no other set.
    boolean sixIndexes =
        Set.of(TDBInternal.getDatasetGraphTDB(target).getStoreParams().getQuadIndexes())
            .equals(Set.copyOf(TDB2_QUAD_INDEXES));
    var loader =
        sixIndexes
            ? org.apache.jena.tdb2.loader.LoaderFactory.parallelLoader(target, quiet)
            : org.apache.jena.tdb2.loader.LoaderFactory.basicLoader(target, quiet);
    loader.startBulk();
    try {
      source.accept(loader.stream());
      loader.finishBulk();
    } catch (RuntimeException e) {
      loader.finishException(e);
      throw e;
    }
  }

  /** The watermark as {@code target}'s current transaction sees it (a look-up, not a query). */
  private long watermark(DatasetGraph target) {
    var found =
        target.find(ledger.name(), ledger.name(), Vocab.projectedRecords.asNode(), Node.ANY);
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
    return read(snapshot -> snapshot.query(query, timeout, reader));
  }

  @Override
  public <T> T query(
      Query query,
      Duration timeout,
      io.arbiter.graph.prov.BundleFilter visible,
      Function<QueryExecution, T> reader) {
    return read(snapshot -> ((GenerationSnapshot) snapshot).query(query, timeout, visible, reader));
  }

  /** Runs {@code query} on {@code target} (this store, or one generation of it) in a read. */
  private static <T> T execute(
      Dataset target, Query query, Duration timeout, Function<QueryExecution, T> reader) {
    return execute(target, query, timeout, true, reader);
  }

  /**
   * @param unionDefault whether the default graph is to be TDB2's union of all graphs; false for a
   *     view whose default graph is already the union it shows
   */
  private static <T> T execute(
      Dataset target,
      Query query,
      Duration timeout,
      boolean unionDefault,
      Function<QueryExecution, T> reader) {
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
            .set(TDB2.symUnionDefaultGraph, unionDefault && !query.hasDatasetDescription())
            // Per execution too: compaction swaps the underlying dataset and its context.
            .set(Service.httpServiceAllowed, false)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build()) {
      return reader.apply(execution);
    }
  }

  @Override
  public Optional<Graph> graph(String iri) {
    return read(snapshot -> snapshot.triples(iri))
        .map(
            triples -> {
              Graph copy = GraphFactory.createDefaultGraph();
              triples.forEach(copy::add);
              return copy;
            });
  }

  /**
   * One read transaction around {@code reader}, and every read of the snapshot on the generation of
   * the database it began on. Compaction switches to a new generation under running readers and
   * then waits for them to finish on the old one; a reader that went on through this store would
   * see later writes, and its transaction would be ended on the new generation and never on the
   * old, so the old generation would never be released.
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
            try (GenerationSnapshot snapshot = new GenerationSnapshot(began[0])) {
              return reader.apply(snapshot);
            }
          });
    } finally {
      if (began[0] != null && began[0].isInTransaction()) {
        began[0].end(); // the store switched generations meanwhile: end where it began
      }
    }
  }

  /** Reads of one generation of the database, within {@link #read}'s transaction on it. */
  private final class GenerationSnapshot implements Snapshot, AutoCloseable {

    private final DatasetGraphTDB storage;
    private final Dataset generation;
    private final NodeTupleTable quads;
    private final NodeTable nodes;
    private final List<NodeFileReader> readers = new ArrayList<>(0);

    GenerationSnapshot(DatasetGraphTDB generation) {
      this.storage = generation;
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

    @Override
    public void close() {
      readers.forEach(NodeFileReader::close);
    }

    /**
     * The GSPO index front to back: one sequential read of the index, and of the node table in the
     * order its nodes were written, where looking graphs up by name would hash into the node
     * table's index once a graph (random reads, once the store outgrows memory).
     */
    @Override
    public Iterator<NamedGraph> graphs(Set<String> passedOver) {
      TupleIndex byGraph = quads.getTupleTable().selectIndex("GSPO");
      if (byGraph == null) {
        return Snapshot.super.graphs(passedOver);
      }
      Iterator<Tuple<NodeId>> all = byGraph.all();
      NodeFileReader reader =
          storage.getLocation().isMem()
              ? NodeFileReader.tableOnly(nodes)
              : NodeFileReader.open(
                  nodes, Path.of(storage.getLocation().getDirectoryPath()), NodeFileReader.WINDOW);
      readers.add(reader);
      return new Iterator<>() {
        private Tuple<NodeId> next = all.hasNext() ? all.next() : null;

        @Override
        public boolean hasNext() {
          while (next != null && passedOver.contains(name(next.get(0)))) {
            NodeId skipped = next.get(0);
            while (next != null && next.get(0).equals(skipped)) {
              next = all.hasNext() ? all.next() : null;
            }
          }
          return next != null;
        }

        private String name(NodeId graph) {
          Node name = reader.node(graph);
          return name.isURI() ? name.getURI() : name.toString();
        }

        @Override
        public NamedGraph next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          NodeId graph = next.get(0);
          Map<NodeId, Node> decoded = new HashMap<>();
          Function<NodeId, Node> decode =
              id ->
                  id.isInline()
                      ? nodes.getNodeForNodeId(id)
                      : decoded.computeIfAbsent(id, reader::node);
          List<Triple> triples = new ArrayList<>();
          while (next != null && next.get(0).equals(graph)) {
            triples.add(
                Triple.create(
                    decode.apply(next.get(1)),
                    decode.apply(next.get(2)),
                    decode.apply(next.get(3))));
            next = all.hasNext() ? all.next() : null;
          }
          return new NamedGraph(name(graph), triples);
        }
      };
    }

    /** As {@link #query}, on a view of this generation that shows the visible bundles only. */
    <T> T query(
        Query query,
        Duration timeout,
        io.arbiter.graph.prov.BundleFilter visible,
        Function<QueryExecution, T> reader) {
      return execute(
          DatasetFactory.wrap(BundleView.of(storage, visible)), query, timeout, false, reader);
    }

    long watermark() {
      return Tdb2ProvStore.this.watermark(storage);
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
  public Optional<StoreCompaction> beginCompaction() {
    if (location == null) {
      return Optional.empty(); // in memory there is nothing to reclaim
    }
    try {
      return Optional.of(new NextGeneration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a compaction of " + this, e);
    }
  }

  /**
   * A compaction: the next generation, written in the configured layout beside the current one. It
   * is built as {@code Data-000N-tmp}, which TDB2 never opens, and renamed to {@code Data-000N}
   * complete: a crash before the rename leaves the current generation in charge (the leftover is
   * deleted by the next compaction), one after it the new generation, which holds everything the
   * watermark says.
   */
  private final class NextGeneration implements StoreCompaction {

    private final DatasetGraphSwitchable container;
    private final DatasetGraphTDB current;
    private final Path currentDirectory;
    private final Path target;
    private final Path temporary;
    private DatasetGraphTDB next;
    private boolean switched;
    private volatile boolean cancelled;

    NextGeneration() throws IOException {
      container = (DatasetGraphSwitchable) dsg;
      current = TDBInternal.getDatasetGraphTDB(dsg);
      currentDirectory = Path.of(current.getLocation().getDirectoryPath());
      target =
          currentDirectory.resolveSibling(
              String.format("%s%04d", GENERATION, generation(currentDirectory) + 1));
      temporary = currentDirectory.resolveSibling(target.getFileName() + "-tmp");
      if (Files.exists(target)) {
        throw new IllegalStateException(
            target + " exists beside the current generation " + currentDirectory);
      }
      DurableFiles.deleteTree(temporary); // an interrupted compaction's
      DurableFiles.deleteTree(PackedIndexes.workDirectory(temporary));
      Files.createDirectories(temporary);
      writeLayout(temporary, layout);
      next =
          StoreConnection.connectCreate(Location.create(temporary), layout, null)
              .getDatasetGraphTDB();
    }

    @Override
    public long copy() {
      current.begin(TxnType.READ); // a snapshot: the projector goes on writing meanwhile
      try {
        bulkLoad(
            next,
            sink ->
                current
                    .find()
                    .forEachRemaining(
                        quad -> {
                          requireNotCancelled();
                          sink.quad(quad);
                        }));
      } finally {
        current.end();
      }
      // The loader leaves every index block half empty; the copy is not in use yet, so its
      // indexes can be written again packed before the catch-up and the switch.
      requireNotCancelled();
      StoreConnection.internalExpel(Location.create(temporary), true);
      try {
        PackedIndexes.repack(temporary, layout, this::requireNotCancelled);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot pack the indexes of " + temporary, e);
      }
      next =
          StoreConnection.connectCreate(Location.create(temporary), layout, null)
              .getDatasetGraphTDB();
      return projected();
    }

    private void requireNotCancelled() {
      if (cancelled) {
        throw new java.util.concurrent.CancellationException("the compaction was cancelled");
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public void apply(List<JournalRecord> records) {
      requireNotCancelled();
      if (!records.isEmpty()) {
        Txn.executeWrite(next, () -> Tdb2ProvStore.this.apply(next, records));
      }
    }

    @Override
    public long projected() {
      return Txn.calculateRead(next, () -> watermark(next));
    }

    @Override
    public void switchOver() {
      try {
        StoreConnection.internalExpel(Location.create(temporary), true);
        DurableFiles.moveDirectory(temporary, target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot put the compacted generation in place", e);
      }
      switched = true; // from here on the new generation is the store, running or restarted
      DatasetGraphTDB opened =
          StoreConnection.connectCreate(Location.create(target), layout, null).getDatasetGraphTDB();
      TransactionCoordinator before = current.getTxnSystem().getTxnMgr();
      TransactionCoordinator after = opened.getTxnSystem().getTxnMgr();
      after.execExclusive(
          () -> {
            after.takeOverFrom(before);
            after.modifyConfigDirect(() -> before.listExternals().forEach(after::addExternal));
            if (!container.change(current, opened)) {
              throw new IllegalStateException("the store switched generations under a compaction");
            }
          });
    }

    @Override
    public void releaseOld() {
      // Waits for the readers still on the old generation; new ones begin on the new.
      current.getTxnSystem().getTxnMgr().startExclusiveMode();
      StoreConnection.release(current.getLocation());
      try {
        DurableFiles.deleteTree(currentDirectory);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot delete the old generation " + currentDirectory, e);
      }
    }

    @Override
    public void close() {
      if (switched) {
        return;
      }
      try {
        StoreConnection.internalExpel(Location.create(temporary), true);
        DurableFiles.deleteTree(temporary);
        DurableFiles.deleteTree(PackedIndexes.workDirectory(temporary));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "cannot delete an abandoned compaction in " + temporary, e);
      }
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
