package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.event.EventLogUnavailableException;
import io.arbiter.event.Recorded;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.sse.SSE;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventWriterTest {

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
  void append_concurrently_assignsGapFreeUniqueSequences() throws Exception {
    try (TestStore graph = new TestStore(dir, 16)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Recorded>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(pool.submit(() -> append(graph, n)));
      }
      Set<Long> sequences = new HashSet<>();
      for (Future<Recorded> result : results) {
        Recorded recorded = result.get();
        sequences.add(recorded.sequence());
        assertEquals(TestStore.IRIS.bundle(recorded.sequence()), recorded.bundleIri());
        assertTrue(graph.store.graph(recorded.bundleIri()).isPresent());
      }
      pool.shutdown();
      assertEquals(200, sequences.size());
      assertEquals(0L, sequences.stream().mapToLong(Long::longValue).min().orElseThrow());
      assertEquals(199L, sequences.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertEquals(200L, graph.store.nextSequence());
    }
  }

  @Test
  void start_afterRestart_continuesTheSequence() {
    try (TestStore graph = new TestStore(dir)) {
      append(graph, 1);
      append(graph, 2);
    }
    try (TestStore graph = new TestStore(dir)) {
      assertEquals(2L, append(graph, 3).sequence());
    }
  }

  @Test
  void append_failedCommit_failsTheEventAndUsesNoSequenceNumber() {
    try (TestStore graph = new TestStore(dir)) {
      append(graph, 1);
      // Something else occupies the name the next bundle would get: the store refuses the batch.
      DatasetGraph dsg = DatabaseMgr.connectDatasetGraph(dir.toString());
      var squatter = NodeFactory.createURI(TestStore.IRIS.bundle(1));
      Txn.executeWrite(
          dsg,
          () ->
              dsg.add(
                  squatter,
                  SSE.parseNode("<urn:x>"),
                  SSE.parseNode("<urn:p>"),
                  SSE.parseNode("<urn:o>")));

      CompletableFuture<Recorded> refused = graph.writer.append(event(2)).toCompletableFuture();
      CompletionException failure = assertThrows(CompletionException.class, refused::join);
      assertInstanceOf(EventLogUnavailableException.class, failure.getCause());

      Txn.executeWrite(dsg, () -> dsg.removeGraph(squatter));
      assertEquals(1L, append(graph, 3).sequence(), "the failed batch consumed no sequence number");
    }
  }

  @Test
  void append_afterClose_isRefusedAtOnce() {
    TestStore graph = new TestStore(dir);
    graph.close();
    CompletionException failure =
        assertThrows(
            CompletionException.class,
            () -> graph.writer.append(event(1)).toCompletableFuture().join());
    assertInstanceOf(EventLogUnavailableException.class, failure.getCause());
  }

  @Test
  void close_drainsWhatIsQueued() {
    TestStore graph = new TestStore(dir);
    List<CompletableFuture<Recorded>> pending = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pending.add(graph.writer.append(event(i)).toCompletableFuture());
    }
    graph.close();
    pending.forEach(CompletableFuture::join);
    try (TestStore reopened = new TestStore(dir)) {
      assertEquals(50L, reopened.store.nextSequence());
    }
  }

  /**
   * The real store with one fault injected around {@code append}; everything else passes through.
   */
  private static ProvStore faulty(ProvStore real, Runnable beforeCommit, Runnable afterCommit) {
    return new ForwardingProvStore(real) {
      @Override
      public void append(List<Bundle> bundles) {
        beforeCommit.run();
        super.append(bundles);
        afterCommit.run();
      }
    };
  }

  @Test
  void append_failureReportedAfterTheCommit_isAcknowledgedAndTheSequenceGoesOn() {
    Tdb2ProvStore real = Tdb2ProvStore.open(dir, TestStore.IRIS);
    var once = new java.util.concurrent.atomic.AtomicBoolean(true);
    ProvStore store =
        faulty(
            real,
            () -> {},
            () -> {
              if (once.getAndSet(false)) {
                throw new IllegalStateException("disk said no after the commit");
              }
            });
    EventWriter writer =
        new EventWriter(
            store,
            new io.arbiter.ledger.MerkleTree(),
            new ProvMapper(TestStore.IRIS),
            TestStore.IRIS,
            8,
            100,
            io.arbiter.graph.CompactionPolicy.never(),
            Thread::new);
    writer.start();
    try {
      assertEquals(0L, writer.append(event(1)).toCompletableFuture().join().sequence());
      assertEquals(1L, writer.append(event(2)).toCompletableFuture().join().sequence());
      assertTrue(writer.isRunning());
    } finally {
      writer.close();
      real.close();
    }
  }

  @Test
  void writerDeath_failsWhatWaitsAndRefusesNewEvents() {
    Tdb2ProvStore real = Tdb2ProvStore.open(dir, TestStore.IRIS);
    ProvStore store =
        faulty(
            real,
            () -> {
              throw new OutOfMemoryError("simulated");
            },
            () -> {});
    EventWriter writer =
        new EventWriter(
            store,
            new io.arbiter.ledger.MerkleTree(),
            new ProvMapper(TestStore.IRIS),
            TestStore.IRIS,
            8,
            100,
            io.arbiter.graph.CompactionPolicy.never(),
            Thread::new);
    writer.start();
    try {
      CompletionException first =
          assertThrows(
              CompletionException.class,
              () -> writer.append(event(1)).toCompletableFuture().join());
      assertInstanceOf(EventLogUnavailableException.class, first.getCause());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (writer.isRunning() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertFalse(writer.isRunning());
      CompletionException later =
          assertThrows(
              CompletionException.class,
              () -> writer.append(event(2)).toCompletableFuture().join());
      assertInstanceOf(EventLogUnavailableException.class, later.getCause());
    } finally {
      writer.close();
      real.close();
    }
  }

  @Test
  void onCommitted_hearsEveryDurableBatchWithItsSizeAndCommitTime() throws Exception {
    try (TestStore graph = new TestStore(dir, 16)) {
      List<long[]> batches = java.util.Collections.synchronizedList(new ArrayList<>());
      graph.writer.onCommitted((events, nanos) -> batches.add(new long[] {events, nanos}));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Recorded>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(pool.submit(() -> append(graph, n)));
      }
      for (Future<Recorded> result : results) {
        result.get();
      }
      pool.shutdown();
      // Listeners run after the callers are answered: closing waits for the last batch's report.
      graph.writer.close();
      synchronized (batches) {
        assertEquals(200L, batches.stream().mapToLong(b -> b[0]).sum(), "every event, once");
        for (long[] batch : batches) {
          assertTrue(batch[0] >= 1 && batch[0] <= 16, "batch size within 1..maxBatch: " + batch[0]);
          assertTrue(batch[1] > 0, "a commit takes time");
        }
      }
    }
  }

  @Test
  void onCommitted_listenerThatThrows_failsNoBatchAndOthersStillHear() {
    try (TestStore graph = new TestStore(dir)) {
      var heard = new java.util.concurrent.atomic.AtomicLong();
      graph.writer.onCommitted(
          (events, nanos) -> {
            throw new IllegalStateException("a broken listener");
          });
      graph.writer.onCommitted((events, nanos) -> heard.addAndGet(events));
      assertEquals(0L, append(graph, 1).sequence());
      assertEquals(1L, append(graph, 2).sequence(), "the sequence goes on");
      assertTrue(graph.writer.isRunning());
      graph.writer.close(); // waits for the last report
      assertEquals(2L, heard.get());
    }
  }

  @Test
  void onCommitted_failedCommit_isNotReported() {
    try (TestStore graph = new TestStore(dir)) {
      var heard = new java.util.concurrent.atomic.AtomicLong();
      graph.writer.onCommitted((events, nanos) -> heard.addAndGet(events));
      append(graph, 1);
      // As in append_failedCommit_...: a squatter on the next bundle's name makes the store refuse.
      DatasetGraph dsg = DatabaseMgr.connectDatasetGraph(dir.toString());
      var squatter = NodeFactory.createURI(TestStore.IRIS.bundle(1));
      Txn.executeWrite(
          dsg,
          () ->
              dsg.add(
                  squatter,
                  SSE.parseNode("<urn:x>"),
                  SSE.parseNode("<urn:p>"),
                  SSE.parseNode("<urn:o>")));
      assertThrows(
          CompletionException.class,
          () -> graph.writer.append(event(2)).toCompletableFuture().join());
      Txn.executeWrite(dsg, () -> dsg.removeGraph(squatter));
      append(graph, 3);
      graph.writer.close(); // waits for the last report

      assertEquals(2L, heard.get(), "the two durable events, not the refused one");
    }
  }
}
