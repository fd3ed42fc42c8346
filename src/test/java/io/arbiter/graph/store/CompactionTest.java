package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.api.SparqlService;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction writes the store's next generation beside the projection — in the layout configured
 * now — and switches to it: nothing recorded is lost or changed, decisions taken meanwhile are all
 * there, and the store reopens on the new generation.
 */
class CompactionTest {

  @TempDir Path dir;

  private static final String DECISIONS =
      "SELECT ?d WHERE { ?d a <https://w3id.org/arbiter#Decision> }";

  private static TestApp app(TestStore graph) throws Exception {
    return TestApp.demo(graph, new TestClock(Instant.parse("2026-11-26T09:30:00Z")));
  }

  /** Submits {@code n} decisions, each projected in a store transaction of its own. */
  private static void fill(TestStore graph, TestApp app, int first, int n) throws Exception {
    for (int i = first; i < first + n; i++) {
      app.decisions.submit(
          Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
      graph.settle(); // one store transaction per decision: the growth compaction takes back
    }
  }

  private static int decisions(TestStore graph) {
    var sparql = new SparqlService(graph.store, Duration.ofSeconds(10), 100_000);
    var table = (SparqlService.Table) sparql.execute(sparql.parse(DECISIONS, List.of(), List.of()));
    return table.rows().size();
  }

  private static List<String> generations(Path store) throws Exception {
    try (var entries = Files.list(store)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("Data-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void compaction_keepsTheStoreSmall_andEverythingVerifies() throws Exception {
    Path store = dir.resolve("store");
    try (TestStore graph = new TestStore(store)) {
      TestApp app = app(graph);
      fill(graph, app, 0, 300);
      long uncompacted = graph.provStore.diskBytes();
      graph.runtime.compactor().compactNow();
      long compacted = graph.provStore.diskBytes();
      // TDB2 files grow in 8 MB segments, so even a fresh store takes ~190 MB (apparent size); the
      // growth per commit is what compaction takes back.
      assertTrue(
          compacted < uncompacted * 3 / 4,
          "compacted " + compacted + " bytes, uncompacted " + uncompacted + " bytes");
      assertEquals(List.of("Data-0002"), generations(store), "the old generation is deleted");
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
      assertEquals(304, report.entries(), "three seeds, the decisions' hour, 300 decisions");
      assertEquals(300, decisions(graph), "the union default graph still works after the switch");
      fill(graph, app, 300, 5);
      assertEquals(305, decisions(graph), "the projector writes to the new generation");
    }
    try (TestStore graph = new TestStore(store)) {
      assertEquals(305, decisions(graph), "a restart opens the new generation");
    }
  }

  @Test
  void decisionsTakenDuringACompaction_areAllInTheNewGeneration() throws Exception {
    Path store = dir.resolve("busy");
    try (TestStore graph = new TestStore(store)) {
      TestApp app = app(graph);
      fill(graph, app, 0, 200);
      // The copy and the catch-up rounds run beside intake and the projector; the last few records
      // are applied with the projector held.
      CompletableFuture<Void> compaction =
          CompletableFuture.runAsync(() -> graph.runtime.compactor().compactNow());
      int submitted = 0;
      while (!compaction.isDone() || submitted < 50) {
        app.decisions.submit(
            Fixtures.request(5000 + submitted, 56000, 0.1, "approve", 0.9),
            "alice",
            Optional.empty());
        submitted++;
      }
      compaction.get(120, TimeUnit.SECONDS);
      assertEquals(List.of("Data-0002"), generations(store));
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
      assertEquals(200 + submitted, decisions(graph));
    }
  }

  @Test
  void aStoreWithTdb2sSixIndexes_adoptsTheConfiguredFourAtItsNextCompaction() throws Exception {
    Path store = dir.resolve("six");
    Path journal = dir.resolve("six-journal");
    try (TestStore graph =
        new TestStore(
            Tdb2ProvStore.open(store, TestStore.IRIS, Tdb2ProvStore.TDB2_QUAD_INDEXES), journal)) {
      fill(graph, app(graph), 0, 20);
    }
    Tdb2ProvStore reopened = Tdb2ProvStore.open(store, TestStore.IRIS);
    try (TestStore graph = new TestStore(reopened, journal)) {
      assertEquals(
          Tdb2ProvStore.TDB2_QUAD_INDEXES,
          reopened.quadIndexes(),
          "a store opens with the indexes it was written with, whatever is configured");
      graph.runtime.compactor().compactNow();
      assertEquals(Tdb2ProvStore.QUAD_INDEXES, reopened.quadIndexes());
    }
    Tdb2ProvStore again = Tdb2ProvStore.open(store, TestStore.IRIS, Tdb2ProvStore.QUAD_INDEXES);
    try (TestStore graph = new TestStore(again, journal)) {
      assertEquals(Tdb2ProvStore.QUAD_INDEXES, again.quadIndexes(), "kept across a restart");
      assertFalse(
          Files.exists(store.resolve("Data-0002").resolve("GPOS.dat")),
          "no files for the indexes dropped");
      assertEquals(20, decisions(graph));
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
    }
  }

  @Test
  void anInterruptedCompaction_leavesTheCurrentGeneration_andIsCleanedUpByTheNext()
      throws Exception {
    Path store = dir.resolve("interrupted");
    try (TestStore graph = new TestStore(store)) {
      fill(graph, app(graph), 0, 10);
    }
    // What a crash in the middle of a copy leaves: a half-written next generation beside it.
    Files.createDirectories(store.resolve("Data-0002-tmp"));
    Files.writeString(store.resolve("Data-0002-tmp").resolve("GSPO.dat"), "torn");
    try (TestStore graph = new TestStore(store)) {
      assertEquals(10, decisions(graph), "TDB2 opens the last complete generation");
      graph.runtime.compactor().compactNow();
      assertEquals(List.of("Data-0002"), generations(store));
      assertEquals(10, decisions(graph));
    }
  }

  @Test
  void anOldGenerationLeftByACompactionStoppedAfterItsSwitch_isDeletedAtTheNextStart()
      throws Exception {
    Path store = dir.resolve("left");
    try (TestStore graph = new TestStore(store)) {
      fill(graph, app(graph), 0, 10);
      graph.runtime.compactor().compactNow();
    }
    // What a stop before the old generation's last reader let go of it leaves behind.
    Files.createDirectories(store.resolve("Data-0001"));
    Files.writeString(store.resolve("Data-0001").resolve("GSPO.dat"), "old");
    try (TestStore graph = new TestStore(store)) {
      assertEquals(List.of("Data-0002"), generations(store));
      assertEquals(10, decisions(graph));
    }
  }

  @Test
  void aCancelledCompaction_leavesTheStoreAsItWas_andDeletesItsCopy() throws Exception {
    Path store = dir.resolve("cancelled");
    try (TestStore graph = new TestStore(store)) {
      TestApp app = app(graph);
      fill(graph, app, 0, 10);
      StoreCompaction compaction = graph.provStore.beginCompaction().orElseThrow();
      assertTrue(Files.isDirectory(store.resolve("Data-0002-tmp")), "the copy is under way");
      compaction.cancel(); // as the server stopping does
      assertThrows(java.util.concurrent.CancellationException.class, compaction::copy);
      compaction.close();
      assertEquals(List.of("Data-0001"), generations(store));
      assertFalse(Files.exists(store.resolve("Data-0002-tmp")), "the copy is deleted");
      fill(graph, app, 10, 1);
      assertEquals(11, decisions(graph));
    }
  }

  @Test
  void theStoreCompactsItselfWhenItGrows() throws Exception {
    Path store = dir.resolve("growing");
    // Checked at every commit, due at 1.5 times what the store was when opened.
    try (TestStore graph = new TestStore(store, new CompactionPolicy(1, 0, 1.5))) {
      TestApp app = app(graph);
      int n = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (generations(store).contains("Data-0001") && System.nanoTime() < deadline) {
        fill(graph, app, n++, 1);
      }
      assertEquals(List.of("Data-0002"), generations(store), "compacted once it had grown");
      assertEquals(n, decisions(graph));
    }
  }

  @Test
  void aRestart_doesNotCompactAStoreThatHasNotGrown() throws Exception {
    Path store = dir.resolve("restarted");
    try (TestStore graph = new TestStore(store)) {
      fill(graph, app(graph), 0, 300);
    }
    // Checked at every commit, due at 1.5 times the size the last compaction left: the store as
    // reopened is the baseline, not zero (which made every restart compact a large store).
    try (TestStore graph = new TestStore(store, new CompactionPolicy(1, 0, 1.5))) {
      TestApp app = TestApp.demo(graph, new TestClock(Instant.parse("2026-11-26T10:30:00Z")));
      fill(graph, app, 5000, 5);
    }
    assertEquals(
        List.of("Data-0001"), generations(store), "no compaction: it would write Data-0002");
  }
}
