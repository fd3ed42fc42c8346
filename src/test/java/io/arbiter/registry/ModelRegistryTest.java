package io.arbiter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.prov.ProvRegistryRecords;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestStore;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a model version awaits the approval that gates its automation, over the real store. */
class ModelRegistryTest {

  private static final ModelVersionRef DEMO = new ModelVersionRef("demo-credit", "1");

  @TempDir Path dir;
  private TestStore graph;

  @AfterEach
  void close() {
    if (graph != null) {
      graph.close();
    }
  }

  /** A registry over a fresh store with the demo model seeded (by the system actor). */
  private ModelRegistry start(boolean approvalRequired) {
    graph = new TestStore(dir);
    return restart(approvalRequired);
  }

  /** A new registry over the same store, as after a restart. */
  private ModelRegistry restart(boolean approvalRequired) {
    var registry =
        new ModelRegistry(
            new ProvRegistryRecords(graph.store, TestStore.IRIS),
            new DataRegistry(graph.writer, Clock.systemUTC(), TestStore.IRIS),
            graph.writer,
            Clock.systemUTC(),
            TestStore.IRIS,
            approvalRequired);
    registry.start(
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))));
    return registry;
  }

  private static ModelVersion model(String json) {
    return ModelVersion.parse(
        Jsonp.STRICT_READERS.createReader(new StringReader(json)).readObject());
  }

  @Test
  void awaitsApproval_byDefault_onlyForVersionsRegisteredAsRequiringIt() {
    ModelRegistry registry = start(false);
    assertFalse(registry.awaitsApproval(DEMO), "the demo keeps approval optional");
    var gated = new ModelVersionRef("demo-credit", "2");
    registry.register(
        model("{\"name\": \"demo-credit\", \"version\": \"2\", \"approvalRequired\": true}"),
        "steward");
    assertTrue(registry.awaitsApproval(gated));

    registry.approve(gated, "paula", Optional.empty());
    assertFalse(registry.awaitsApproval(gated), "approved");
    assertFalse(registry.awaitsApproval(new ModelVersionRef("demo-credit", "9")), "unregistered");
  }

  @Test
  void awaitsApproval_whenTheRegistryRequiresIt_everyUnapprovedVersionUntilApproved() {
    ModelRegistry registry = start(true);
    assertTrue(registry.awaitsApproval(DEMO), "the seeded demo model, never approved");

    registry.approve(DEMO, "paula", Optional.of("checked"));
    assertFalse(registry.awaitsApproval(DEMO));
    assertFalse(restart(true).awaitsApproval(DEMO), "the approval is read back from the store");
  }

  @Test
  void awaitsApproval_afterARestart_readsTheRequirementFromTheRegistration() {
    start(false)
        .register(
            model("{\"name\": \"demo-credit\", \"version\": \"3\", \"approvalRequired\": true}"),
            "steward");
    assertTrue(restart(false).awaitsApproval(new ModelVersionRef("demo-credit", "3")));
  }

  @Test
  void parse_approvalRequiredNotABoolean_isRefusedNamingTheField() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () -> model("{\"name\": \"m\", \"version\": \"1\", \"approvalRequired\": \"yes\"}"));
    assertEquals(List.of(new FieldError("approvalRequired", "must be true or false")), e.errors());
  }
}
