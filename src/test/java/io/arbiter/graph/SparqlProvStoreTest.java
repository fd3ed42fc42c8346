package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.event.EventLogUnavailableException;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.apache.jena.graph.NodeFactory;
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
  void append_leavesNoGuardBehind() {
    store.append(List.of(bundle(store, 0), bundle(store, 1)));

    long expected = bundle(store, 0).triples().size() + bundle(store, 1).triples().size() + 2L * 4;
    assertEquals(expected, quads(fuseki), "the bundles and their entries, nothing else");
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

  /** The event writer over Fuseki: a refused batch fails its events and uses no number. */
  @Test
  void eventWriter_batchRefusedByTheServer_failsItsEventsAndUsesNoSequenceNumber() {
    try (TestStore graph = new TestStore(fuseki.connect())) {
      graph.writer.append(EventWriterTest.event(1)).toCompletableFuture().join();
      // Something else occupies the name the next bundle would get: the server refuses the batch.
      var squatter = NodeFactory.createURI(TestStore.IRIS.bundle(1));
      Txn.executeWrite(
          fuseki.dataset,
          () -> fuseki.dataset.add(squatter, uri("urn:x"), uri("urn:p"), uri("urn:o")));

      var refused = graph.writer.append(EventWriterTest.event(2)).toCompletableFuture();
      var failure = assertThrows(CompletionException.class, refused::join);
      assertInstanceOf(EventLogUnavailableException.class, failure.getCause());

      Txn.executeWrite(fuseki.dataset, () -> fuseki.dataset.removeGraph(squatter));
      assertEquals(
          1L,
          graph.writer.append(EventWriterTest.event(3)).toCompletableFuture().join().sequence(),
          "the failed batch consumed no sequence number");
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
        store.append(List.of(bundle(store, 0)));
        assertEquals(1L, store.nextSequence());
        assertTrue(store.graph(TestStore.IRIS.bundle(0)).isPresent(), "GSP too");
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
