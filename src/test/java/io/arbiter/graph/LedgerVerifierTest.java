package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.LedgerVerifier.FaultKind;
import io.arbiter.graph.LedgerVerifier.Report;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.NoteKey;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier catches each way the store or the log can be tampered with, and says where. */
class LedgerVerifierTest {

  private static final String ORIGIN = "arbiter.test/id/ledger";

  @TempDir Path dir;
  private TestStore graph;
  private NoteKey key;
  private CheckpointPublisher publisher;
  private DatasetGraph tdb;

  private TestApp app;

  @BeforeEach
  void record() throws Exception {
    graph = new TestStore(dir.resolve("tdb2"));
    // Within one hour: bundles 0-2 are the seeds, 3 the hour, 4-7 the decisions.
    app =
        TestApp.demo(
            graph,
            new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T09:30:00Z")));
    for (int i = 0; i < 4; i++) {
      app.decisions.submit(
          Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
    }
    key = NoteKey.generate(ORIGIN, new SecureRandom());
    publisher =
        new CheckpointPublisher(graph.tree, key, ORIGIN, dir.resolve("checkpoint"), tiles(graph));
    publisher.start();
    tdb = DatabaseMgr.connectDatasetGraph(dir.resolve("tdb2").toString());
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private io.arbiter.ledger.TileStore tiles(TestStore graph) {
    return new io.arbiter.ledger.TileStore(
        dir.resolve("ledger"), new ProvLedgerEntries(graph.store));
  }

  private Report verify(List<String> earlier) {
    return new LedgerVerifier(graph.store, Optional.of(tiles(graph)))
        .verify(key.verifierKey(), publisher.latestNote().orElseThrow(), earlier);
  }

  /** A store read afresh by each call, as a remote one is: no read transaction holds its state. */
  private static class ReadPerCall extends ForwardingProvStore {
    private final Runnable duringWalk;
    private boolean walked;

    ReadPerCall(ProvStore real, Runnable duringWalk) {
      super(real);
      this.duringWalk = duringWalk;
    }

    @Override
    public <T> T read(java.util.function.Function<Snapshot, T> reader) {
      ProvStore store = this;
      return reader.apply(
          new Snapshot() {
            @Override
            public void forEachEntry(
                long from, long to, java.util.function.BiConsumer<Long, byte[]> sink) {
              store.forEachEntry(from, to, sink);
            }

            @Override
            public Optional<List<org.apache.jena.graph.Triple>> triples(String iri) {
              return store.graph(iri).map(g -> g.find().toList());
            }

            @Override
            public <R> R query(
                org.apache.jena.query.Query query,
                java.time.Duration timeout,
                java.util.function.Function<org.apache.jena.query.QueryExecution, R> rows) {
              return store.query(query, timeout, rows);
            }
          });
    }

    @Override
    public void forEachEntry(long from, long to, java.util.function.BiConsumer<Long, byte[]> sink) {
      super.forEachEntry(from, to, sink);
      if (!walked) {
        walked = true;
        duringWalk.run();
      }
    }
  }

  @Test
  void eventAppendedDuringTheWalk_onAStoreWithoutReadTransactions_isNoFault() {
    String latest = publisher.latestNote().orElseThrow();
    var store =
        new ReadPerCall(
            graph.store,
            () ->
                app.decisions.submit(
                    Fixtures.request(5000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty()));
    Report report =
        new LedgerVerifier(store, Optional.of(tiles(graph)))
            .verify(key.verifierKey(), latest, List.of());
    assertTrue(report.ok(), report.faults().toString());
    assertEquals(report.entries() + 1, report.bundles(), "the new bundle was seen, not its entry");
  }

  private static Set<FaultKind> kinds(Report report) {
    return report.faults().stream().map(LedgerVerifier.Fault::kind).collect(Collectors.toSet());
  }

  private static Node uri(String iri) {
    return NodeFactory.createURI(iri);
  }

  @Test
  void untouchedStore_verifies() {
    Report report = verify(List.of());
    assertTrue(report.ok(), report.faults().toString());
    assertEquals(8, report.entries());
    assertEquals(8, report.bundles());
    assertEquals(Optional.of(8L), report.checkpointSize());
  }

  @Test
  void tripleEditedInTdb2_isNamedByBundleAndSequence() {
    String bundle = TestStore.IRIS.bundle(4);
    Txn.executeWrite(
        tdb,
        () -> {
          var quad = tdb.find(uri(bundle), Node.ANY, Vocab.label.asNode(), Node.ANY).next();
          tdb.delete(quad);
          tdb.add(
              quad.getGraph(),
              quad.getSubject(),
              quad.getPredicate(),
              NodeFactory.createLiteralString("reject"));
        });
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.BUNDLE_ALTERED), kinds(report));
    assertEquals(Optional.of(4L), report.faults().get(0).sequence());
    assertEquals(Optional.of(bundle), report.faults().get(0).bundle());
  }

  @Test
  void deletedBundle_isNamed() {
    Txn.executeWrite(tdb, () -> tdb.removeGraph(uri(TestStore.IRIS.bundle(4))));
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.BUNDLE_MISSING), kinds(report));
    assertEquals(Optional.of(4L), report.faults().get(0).sequence());
  }

  @Test
  void changedEntry_isNamed() {
    Node ledger = uri(TestStore.IRIS.ledgerGraph());
    Node entry = uri(TestStore.IRIS.ledgerEntry(4));
    Txn.executeWrite(
        tdb,
        () -> {
          var quad = tdb.find(ledger, entry, Vocab.entryJson.asNode(), Node.ANY).next();
          tdb.delete(quad);
          tdb.add(
              ledger,
              entry,
              Vocab.entryJson.asNode(),
              NodeFactory.createLiteralString(
                  quad.getObject()
                      .getLiteralLexicalForm()
                      .replace("\"actor\":\"alice\"", "\"actor\":\"mallory\"")));
        });
    Report report = verify(List.of());
    assertTrue(kinds(report).contains(FaultKind.ENTRY_ALTERED), report.faults().toString());
    assertTrue(kinds(report).contains(FaultKind.CHECKPOINT_MISMATCH), report.faults().toString());
    assertEquals(Optional.of(4L), report.faults().get(0).sequence());
  }

  @Test
  void truncatedLog_isCaughtAgainstAnOlderCheckpoint() {
    String older = publisher.latestNote().orElseThrow();
    Txn.executeWrite(
        tdb,
        () -> {
          tdb.removeGraph(uri(TestStore.IRIS.bundle(7)));
          tdb.deleteAny(
              uri(TestStore.IRIS.ledgerGraph()),
              uri(TestStore.IRIS.ledgerEntry(7)),
              Node.ANY,
              Node.ANY);
        });
    Report report =
        new LedgerVerifier(graph.store, java.util.Optional.empty())
            .verify(key.verifierKey(), older, List.of());
    assertEquals(Set.of(FaultKind.LOG_TRUNCATED), kinds(report));
    assertEquals(7, report.entries());
  }

  @Test
  void checkpointSignedByAnotherKey_isRefused() throws Exception {
    NoteKey other = NoteKey.generate(ORIGIN, new SecureRandom());
    String forged = other.sign(publisher.latest().orElseThrow().body());
    Report report =
        new LedgerVerifier(graph.store, java.util.Optional.empty())
            .verify(key.verifierKey(), forged, List.of());
    assertEquals(Set.of(FaultKind.CHECKPOINT_INVALID), kinds(report));
  }

  @Test
  void earlierCheckpointOfAnotherHistory_isInconsistent() throws Exception {
    var other = new io.arbiter.ledger.MerkleTree();
    for (int i = 0; i < 3; i++) {
      other.append(new byte[] {(byte) i});
    }
    String forkedButSigned =
        key.sign(new io.arbiter.ledger.Checkpoint(ORIGIN, 3, other.root(3)).body());
    Report report = verify(List.of(forkedButSigned));
    assertEquals(Set.of(FaultKind.LOG_INCONSISTENT), kinds(report));
  }

  @Test
  void alteredTile_isNamed() throws Exception {
    Path tile = dir.resolve("ledger/tile/0/000.p/8");
    byte[] bytes = java.nio.file.Files.readAllBytes(tile);
    bytes[40] ^= 1;
    java.nio.file.Files.write(tile, bytes);
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.TILE_ALTERED), kinds(report));
    assertTrue(
        report.faults().get(0).message().contains("tile/0/000.p/8"), report.faults().toString());
  }

  @Test
  void deletedTiles_areWrittenAgainAtTheNextCheckpoint() throws Exception {
    java.nio.file.Path entries = dir.resolve("ledger/tile/entries/000.p/8");
    java.nio.file.Files.delete(entries);
    new CheckpointPublisher(graph.tree, key, ORIGIN, dir.resolve("checkpoint"), tiles(graph))
        .start();
    assertTrue(java.nio.file.Files.exists(entries));
    assertTrue(verify(List.of()).ok());
  }
}
