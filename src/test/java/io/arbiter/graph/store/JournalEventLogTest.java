package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.event.EventLogUnavailableException;
import io.arbiter.event.Recorded;
import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.journal.JournalRecord;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path end to end on real disk: events acknowledged from the journal, projected into TDB2
 * behind it, readable at once, and nothing lost when the store fails or is lost.
 */
class JournalEventLogTest {

  @TempDir Path dir;

  static ModelVersion.Registered event(int n) {
    ModelVersion model =
        new ModelVersion(new ModelVersionRef("m" + n, "1"), Optional.empty(), Optional.empty());
    return new ModelVersion.Registered(
        model,
        "arbiter",
        Instant.parse("2026-01-01T00:00:00Z"),
        TestStore.IRIS.modelVersion("m" + n, "1"));
  }

  private static Recorded append(TestStore graph, int n) {
    return graph.writer.append(event(n)).toCompletableFuture().join();
  }

  @Test
  void append_concurrently_numbersGapFree_andTheStoreHoldsTheJournalsBytes() throws Exception {
    try (TestStore graph = new TestStore(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Recorded>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(pool.submit(() -> append(graph, n)));
      }
      Set<Long> sequences = new HashSet<>();
      Set<String> bundles = new HashSet<>();
      for (Future<Recorded> result : results) {
        Recorded recorded = result.get(30, TimeUnit.SECONDS);
        sequences.add(recorded.sequence());
        bundles.add(recorded.bundleIri());
      }
      pool.shutdown();
      assertEquals(200, sequences.size());
      assertEquals(0L, sequences.stream().mapToLong(Long::longValue).min().orElseThrow());
      assertEquals(199L, sequences.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertEquals(200, bundles.size(), "every bundle has a name of its own");
      graph.settle();
      graph.journal.forEach(
          0,
          200,
          record -> {
            LedgerEntry entry = LedgerEntry.parse(record.entry());
            assertEquals(record.sequence(), entry.seq());
            assertEquals(entry.bundleDigest(), BundleDigest.sha256(record.bundle()));
            var stored = graph.provStore.graph(entry.bundle()).orElseThrow();
            assertArrayEquals(
                record.bundle(), BundleDigest.canonicalNQuads(entry.bundle(), () -> stored.find()));
            return true;
          });
      assertEquals(200, graph.tree.size(), "a leaf per event");
    }
  }

  @Test
  void reopen_keepsEveryAcknowledgedEvent_andTheTreeGoesOn() {
    byte[] root;
    try (TestStore graph = new TestStore(dir)) {
      for (int i = 0; i < 50; i++) {
        append(graph, i);
      }
      root = root(graph, 50);
    }
    try (TestStore reopened = new TestStore(dir)) {
      assertEquals(50L, reopened.size());
      assertArrayEquals(root, root(reopened, 50), "the tree is rebuilt from the journal");
      assertEquals(50L, append(reopened, 50).sequence());
    }
  }

  private static byte[] root(TestStore graph, long size) {
    try {
      return graph.tree.root(size);
    } catch (io.arbiter.ledger.ProofException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void append_afterTheJournalClosed_isRefusedAndRecordsNothing() {
    try (TestStore graph = new TestStore(dir)) {
      append(graph, 1);
      graph.journal.close();
      var failure = assertThrows(CompletionException.class, () -> append(graph, 2));
      assertInstanceOf(EventLogUnavailableException.class, failure.getCause());
      assertEquals(1L, graph.size());
    }
  }

  /** A store that holds back (or fails) every projection until told otherwise. */
  private static final class HeldStore extends ForwardingProvStore {
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicBoolean holding = new AtomicBoolean();
    final AtomicInteger attempts = new AtomicInteger();

    HeldStore(ProvStore real) {
      super(real);
    }

    @Override
    public void project(List<JournalRecord> records) {
      attempts.incrementAndGet();
      if (failing.get()) {
        throw new IllegalStateException("the store is down");
      }
      try {
        released.await();
        while (holding.get()) {
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.project(records);
    }
  }

  @Test
  void aRecordedBundle_isReadAtOnce_fromTheJournal_whileTheStoreLags() {
    HeldStore held = new HeldStore(Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS));
    try (TestStore graph = new TestStore(held, dir.resolve("journal"))) {
      Recorded recorded = append(graph, 1);
      assertTrue(held.graph(recorded.bundleIri()).isEmpty(), "the store does not hold it yet");
      var read = graph.runtime.currentReads().graph(recorded.bundleIri()).orElseThrow();
      assertTrue(read.size() > 5, "read from the journal: " + read);
      assertEquals(1, graph.runtime.projector().lagRecords());

      held.released.countDown();
      graph.settle();
      assertTrue(held.graph(recorded.bundleIri()).orElseThrow().isIsomorphicWith(read));
      assertEquals(0, graph.runtime.projector().lagRecords());
    }
  }

  /**
   * Issue 16's promise: a decision, its review task, its receipt's entry and its provenance answer
   * at once after the decision is taken, while the graph store holds nothing of it.
   */
  @Test
  void aDecisionAndItsTaskAndProvenance_answerAtOnce_whileTheStoreHoldsNothingOfThem()
      throws Exception {
    HeldStore held = new HeldStore(Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS));
    held.released.countDown();
    try (TestStore graph = new TestStore(held, dir.resolve("journal"))) {
      var app = io.arbiter.testing.TestApp.demo(graph);
      graph.settle();
      held.holding.set(true);
      long started = System.nanoTime();
      var recorded =
          app.decisions
              .submit(
                  io.arbiter.testing.Fixtures.request(90000, 56000, 0.1, "approve", 0.9),
                  "alice",
                  Optional.empty())
              .recorded();
      String id = recorded.decision().id().value();
      var found = app.decisions.find(recorded.decision().id()).orElseThrow();
      assertEquals(recorded.decision(), found.decision());
      var task =
          app.reviews.require(
              id,
              new io.arbiter.review.Caller(
                  "lead",
                  java.util.Set.of(
                          io.arbiter.security.Roles.LEAD_REVIEWER,
                          io.arbiter.security.Roles.AUDITOR)
                      ::contains));
      assertEquals(io.arbiter.review.TaskState.OPEN, task.state());
      assertTrue(graph.journal.read(recorded.sequence()).isPresent(), "the receipt's entry");
      var story =
          new ProvenanceReader(graph.runtime.currentReads())
              .bundlesAboutDecision(TestStore.IRIS.decision(id));
      assertTrue(story.containsNamedModel(recorded.bundleIri()), "its provenance");
      long took = System.nanoTime() - started;
      assertTrue(held.graph(recorded.bundleIri()).isEmpty(), "the store held nothing of it");
      assertTrue(
          took < TimeUnit.SECONDS.toNanos(5),
          "answered without waiting for the projection: " + took / 1_000_000 + " ms");
      held.holding.set(false);
      graph.settle();
    }
  }

  @Test
  void aFailingStore_stopsNothing_andTheProjectorCatchesUpWhenItRecovers() throws Exception {
    HeldStore held = new HeldStore(Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS));
    held.released.countDown();
    try (TestStore graph = new TestStore(held, dir.resolve("journal"))) {
      append(graph, 0);
      graph.settle();
      held.failing.set(true);
      for (int i = 1; i <= 20; i++) {
        append(graph, i);
      }
      Projector projector = graph.runtime.projector();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (projector.failure().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(projector.failure().orElseThrow().contains("the store is down"));
      assertEquals(20, projector.lagRecords());
      assertTrue(graph.runtime.isWriting(), "intake goes on");

      held.failing.set(false);
      graph.settle();
      assertTrue(projector.failure().isEmpty());
      assertEquals(21L, held.projected());
      assertTrue(held.attempts.get() > 2, "it retried: " + held.attempts.get());
    }
  }

  @Test
  void aStoreThatLostItsData_isProjectedAgainFromTheJournalAtStart() throws Exception {
    List<String> bundles = new ArrayList<>();
    try (TestStore graph = new TestStore(dir.resolve("tdb2"))) {
      for (int i = 0; i < 30; i++) {
        bundles.add(append(graph, i).bundleIri());
      }
    }
    Path kept = dir.resolve("journal-kept");
    Files.move(dir.resolve("tdb2").resolve("journal"), kept);
    try (var paths = Files.walk(dir.resolve("tdb2"))) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    try (TestStore graph =
        new TestStore(Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS), kept)) {
      assertEquals(30L, graph.provStore.projected(), "caught up before anything reads it");
      for (String bundle : bundles) {
        assertTrue(graph.provStore.graph(bundle).isPresent(), bundle);
      }
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
    }
  }

  @Test
  void commitListeners_hearTheJournalsGroupCommitsAndTheStoresTransactions() {
    try (TestStore graph = new TestStore(dir)) {
      AtomicInteger journaled = new AtomicInteger();
      AtomicInteger projected = new AtomicInteger();
      graph.journal.onCommitted(
          (events, nanos) -> {
            assertTrue(events >= 1 && nanos > 0);
            journaled.addAndGet(events);
          });
      graph.runtime.projector().onCommitted((events, nanos) -> projected.addAndGet(events));
      graph.journal.onCommitted(
          (events, nanos) -> {
            throw new IllegalStateException("a broken listener fails no batch");
          });
      for (int i = 0; i < 10; i++) {
        append(graph, i);
      }
      graph.settle();
      assertEquals(10, journaled.get());
      assertEquals(10, projected.get());
      assertFalse(graph.runtime.projector().failure().isPresent());
    }
  }
}
