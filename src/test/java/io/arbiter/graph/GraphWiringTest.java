package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.store.SparqlProvStore;
import io.arbiter.graph.store.TestFuseki;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphWiringTest {

  @TempDir Path dir;

  @Test
  void quadIndexes_arePermutationsOfGspo_includingGspo() {
    assertEquals(
        java.util.List.of("GSPO", "SPOG"),
        GraphWiring.quadIndexes(java.util.List.of("GSPO", " SPOG ")));
    var notAnIndex =
        assertThrows(
            IllegalStateException.class,
            () -> GraphWiring.quadIndexes(java.util.List.of("GSPO", "GSPP")));
    assertTrue(notAnIndex.getMessage().contains("GSPP"), notAnIndex.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> GraphWiring.quadIndexes(java.util.List.of("SPOG", "POSG")),
        "a bundle is read through GSPO");
  }

  @Test
  void requireSameBase_refusesAStoreWrittenUnderAnotherBase() {
    try (TestStore graph = new TestStore(dir)) {
      refusesAnotherBase(graph);
    }
  }

  @Test
  void requireSameBase_refusesAFusekiWrittenUnderAnotherBase() {
    try (TestFuseki fuseki = TestFuseki.tdb2();
        TestStore graph = new TestStore(fuseki.connect())) {
      refusesAnotherBase(graph);
    }
  }

  private static void refusesAnotherBase(TestStore graph) {
    assertDoesNotThrow(
        () -> GraphWiring.requireSameBase(graph.store, new IriScheme("http://elsewhere/id/")),
        "an empty store takes any base");
    var model = new ModelVersion(new ModelVersionRef("m", "1"), Optional.empty(), Optional.empty());
    graph
        .writer
        .append(
            new ModelVersion.Registered(
                model, "arbiter", Instant.now(), TestStore.IRIS.modelVersion("m", "1")))
        .toCompletableFuture()
        .join();

    assertDoesNotThrow(() -> GraphWiring.requireSameBase(graph.store, TestStore.IRIS));
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                GraphWiring.requireSameBase(
                    graph.store, new IriScheme("http://localhost:9090/id/")));
    assertTrue(e.getMessage().contains("arbiter.base-iri"), e.getMessage());
  }

  @Test
  void credentials_onlyWithAUserAndThenWithAPassword() {
    assertEquals(Optional.empty(), GraphWiring.credentials(Optional.empty(), Optional.of("pw")));
    assertEquals(
        Optional.of(new SparqlProvStore.Credentials("arbiter", "pw")),
        GraphWiring.credentials(Optional.of("arbiter"), Optional.of("pw")));
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> GraphWiring.credentials(Optional.of("arbiter"), Optional.empty()));
    assertTrue(e.getMessage().contains("arbiter.store.sparql.password"), e.getMessage());
  }
}
