package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.prov.Sparql;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.jena.system.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real Fuseki over HTTP: TDB2 with the union default graph, as Arbiter is
 * meant to run against it; and what only a remote store must check.
 */
class SparqlProvStoreTest extends ProvStoreContract {

  private TestFuseki fuseki;

  @Override
  protected ProvStore open() {
    fuseki = TestFuseki.tdb2();
    return fuseki.connect();
  }

  /** No read transaction spans HTTP requests: each read of a snapshot sees the store as it is. */
  @Override
  protected boolean isolatesSnapshots() {
    return false;
  }

  @Override
  protected ProvStore reopen(ProvStore store) {
    store.close();
    return fuseki.connect(); // Arbiter restarts; the server keeps its data
  }

  @AfterEach
  void stopFuseki() {
    fuseki.close();
  }

  private static long quads(TestFuseki server) {
    return Txn.calculateRead(
        server.dataset, () -> server.dataset.stream(null, null, null, null).count());
  }

  @Test
  void project_leavesNoGuardBehind() {
    var records = List.of(record(0), record(1));
    store.project(records);

    long bundleQuads = 0;
    for (var record : records) {
      bundleQuads +=
          new String(record.bundle(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
    }
    assertEquals(
        bundleQuads + 2 + 1,
        quads(fuseki),
        "the bundles, their two places in the ledger and the watermark, nothing else");
  }

  /**
   * Fuseki's own in-memory dataset keeps a default graph apart from the named ones: refused at
   * start, and the refused check — a request whose later operation failed after its first wrote —
   * left nothing, so a failing request is rolled back as a whole.
   */
  @Test
  void connect_toADatasetWithoutTheUnionDefaultGraph_isRefusedAndLeavesNothing() {
    try (TestFuseki plain = TestFuseki.plainMemory()) {
      var refused = assertThrows(IllegalStateException.class, plain::connect);

      assertTrue(refused.getMessage().contains("unionDefaultGraph"), refused.getMessage());
      assertEquals(0, quads(plain));
      Txn.executeRead(
          plain.dataset, () -> assertTrue(!plain.dataset.listGraphNodes().hasNext(), "no graph"));
    }
  }

  /**
   * Fuseki down for a while: intake goes on into the journal, the projector retries and says why,
   * and once Fuseki is back it catches up without a restart of Arbiter.
   */
  @Test
  void fusekiDown_intakeGoesOn_andTheGraphCatchesUpWhenItReturns() {
    TestFuseki[] server = {fuseki};
    try (TestStore graph = new TestStore(fuseki.connect())) {
      for (int i = 0; i < 5; i++) {
        graph.writer.append(JournalEventLogTest.event(i)).toCompletableFuture().join();
      }
      graph.settle();
      server[0].close();

      for (int i = 5; i < 40; i++) {
        graph.writer.append(JournalEventLogTest.event(i)).toCompletableFuture().join();
      }
      var projector = graph.runtime.projector();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (projector.failure().isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(projector.failure().isPresent(), "the projector says why the graph lags");
      assertTrue(projector.lagRecords() > 0, "the graph lags while Fuseki is down");
      assertEquals(40L, graph.size(), "every event was acknowledged meanwhile");

      server[0] = fuseki.restart();
      fuseki = server[0];
      graph.settle();
      assertTrue(projector.failure().isEmpty(), "the projector recovered by itself");
      assertEquals(40L, graph.provStore.projected());
      assertEquals(
          Long.valueOf(40),
          graph.provStore.<Long>query(
              Sparql.prepare(
                      "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a arb:EventBundle } }")
                  .asQuery(),
              java.time.Duration.ofSeconds(30),
              execution -> execution.execSelect().next().getLiteral("n").getLong()));
    }
  }

  @Test
  void basicAuthentication_isSentWithEveryRequest(@TempDir Path dir) throws Exception {
    try (TestFuseki guarded = TestFuseki.tdb2WithBasicAuth(dir, "arbiter", "s3cret")) {
      var refused =
          assertThrows(
              IllegalStateException.class,
              () -> SparqlProvStore.connect(guarded.endpoints(), Optional.empty(), TestStore.IRIS));
      assertTrue(refused.getCause().getMessage().contains("401"), refused.getCause().toString());

      try (SparqlProvStore store =
          SparqlProvStore.connect(
              guarded.endpoints(),
              Optional.of(new SparqlProvStore.Credentials("arbiter", "s3cret")),
              TestStore.IRIS)) {
        store.project(List.of(record(0)));
        assertEquals(1L, store.projected());
        assertTrue(store.graph(name(0)).isPresent(), "GSP too");
        assertTrue(store.isHealthy());
      }
    }
  }

  @Test
  void connect_toNoServer_failsWithTheUrl() {
    var endpoints =
        new SparqlProvStore.Endpoints(
            "http://127.0.0.1:9/arbiter/query",
            "http://127.0.0.1:9/arbiter/update",
            "http://127.0.0.1:9/arbiter/data");
    var refused =
        assertThrows(
            IllegalStateException.class,
            () -> SparqlProvStore.connect(endpoints, Optional.empty(), TestStore.IRIS));
    assertTrue(refused.getMessage().contains("127.0.0.1:9"), refused.getMessage());
  }

  @Test
  void endpoints_mustBeHttpUrls() {
    var refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                new SparqlProvStore.Endpoints(
                    "file:///etc/passwd", "http://h/update", "http://h/data"));
    assertTrue(refused.getMessage().contains("arbiter.store.sparql.query"), refused.getMessage());
  }
}
