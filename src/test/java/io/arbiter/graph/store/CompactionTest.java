package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.api.SparqlService;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projector compacts TDB2 on its growth threshold, and nothing recorded is lost or changed. */
class CompactionTest {

  @TempDir Path dir;

  private static long fill(TestStore graph) throws Exception {
    TestApp app =
        TestApp.demo(
            graph,
            new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T09:30:00Z")));
    for (int i = 0; i < 300; i++) {
      app.decisions.submit(
          Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
      graph.settle(); // one store transaction per decision: the growth compaction takes back
    }
    return graph.provStore.diskBytes();
  }

  @Test
  void aRestart_doesNotCompactAStoreThatHasNotGrown() throws Exception {
    Path store = dir.resolve("restarted");
    try (TestStore graph = new TestStore(store)) {
      fill(graph);
    }
    // Checked at every commit, due at 1.5 times the size the last compaction left: the store as
    // reopened is the baseline, not zero (which made every restart compact a large store).
    try (TestStore graph = new TestStore(store, new CompactionPolicy(1, 0, 1.5))) {
      TestApp app =
          TestApp.demo(
              graph,
              new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T10:30:00Z")));
      for (int i = 0; i < 5; i++) {
        app.decisions.submit(
            Fixtures.request(5000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
        graph.settle();
      }
    }
    try (var generations = java.nio.file.Files.list(store)) {
      assertEquals(
          List.of("Data-0001"),
          generations
              .map(p -> p.getFileName().toString())
              .filter(name -> name.startsWith("Data-"))
              .toList(),
          "no compaction: its fresh generation would be Data-0002");
    }
  }

  @Test
  void compaction_keepsTheStoreSmall_andEverythingVerifies() throws Exception {
    long uncompacted;
    try (TestStore graph = new TestStore(dir.resolve("plain"))) {
      uncompacted = fill(graph);
    }
    try (TestStore graph =
        new TestStore(dir.resolve("compacted"), new CompactionPolicy(50, 0, 1.5))) {
      long compacted = fill(graph);
      // TDB2 files grow in 8 MB segments, so even a fresh store takes ~190 MB (apparent size); the
      // growth per commit is what compaction takes back.
      assertTrue(
          compacted < uncompacted * 3 / 4,
          "compacted " + compacted + " bytes, uncompacted " + uncompacted + " bytes");
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
      assertEquals(304, report.entries(), "three seeds, the decisions' hour, 300 decisions");
      var sparql = new SparqlService(graph.store, java.time.Duration.ofSeconds(10), 1000);
      var table =
          (SparqlService.Table)
              sparql.execute(
                  sparql.parse(
                      "SELECT ?d WHERE { ?d a <https://w3id.org/arbiter#Decision> }",
                      List.of(),
                      List.of()));
      assertEquals(
          300, table.rows().size(), "the union default graph still works after the switch");
    }
  }
}
