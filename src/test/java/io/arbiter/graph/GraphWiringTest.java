package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.event.IriScheme;
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
  void requireSameBase_refusesAStoreWrittenUnderAnotherBase() {
    try (TestStore graph = new TestStore(dir)) {
      assertDoesNotThrow(
          () -> GraphWiring.requireSameBase(graph.store, new IriScheme("http://elsewhere/id/")),
          "an empty store takes any base");
      var model =
          new ModelVersion(new ModelVersionRef("m", "1"), Optional.empty(), Optional.empty());
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
  }
}
