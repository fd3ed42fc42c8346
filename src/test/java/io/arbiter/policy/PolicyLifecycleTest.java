package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy versions through their lifecycle, recorded in and rebuilt from a real TDB2 store. */
class PolicyLifecycleTest {

  private static final String POLICY = "demo-credit-policy";

  @TempDir Path dir;
  private TestStore graph;
  private PolicyCatalog catalog;

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    catalog = TestApp.demo(graph).policies;
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private PolicyState state(String version) {
    return catalog.version(POLICY, version).orElseThrow().state();
  }

  private PolicyVersionInfo step(String version, PolicyTransition transition, String actor) {
    return catalog.transition(POLICY, version, transition, actor, Optional.empty());
  }

  private static ProblemType refused(Runnable action) {
    return assertThrows(ProblemException.class, action::run).type();
  }

  @Test
  void seed_isRecordedAndActivated_withTheSeedReason() {
    PolicyVersionInfo seed = catalog.version(POLICY, "1").orElseThrow();
    assertEquals(PolicyState.ACTIVE, seed.state());
    assertEquals(ModelRegistry.SYSTEM_ACTOR, seed.author());
    assertEquals(Optional.of(PolicyCatalog.SEED_REASON), seed.history().get(0).reason());
    assertEquals("1", catalog.forModel("demo-credit").orElseThrow().version());
  }

  @Test
  void draft_approvedByAnother_shadow_active_rolledBack() {
    var registration = catalog.register(Fixtures.demoPolicyText("2", 30000), "alice");
    assertTrue(registration.created());
    assertEquals(PolicyState.DRAFT, state("2"));
    assertEquals(Optional.of("1"), registration.version().previousVersion());
    assertTrue(catalog.shadowsFor("demo-credit").isEmpty());

    step("2", PolicyTransition.APPROVE, "bob");
    assertEquals(Optional.of("bob"), catalog.version(POLICY, "2").orElseThrow().approver());
    step("2", PolicyTransition.SHADOW, "bob");
    assertEquals(PolicyState.SHADOW, state("2"));
    assertEquals("2", catalog.shadowsFor("demo-credit").get(0).version());
    assertEquals("1", catalog.forModel("demo-credit").orElseThrow().version());

    step("2", PolicyTransition.ACTIVATE, "bob");
    assertEquals(PolicyState.ACTIVE, state("2"));
    assertEquals(PolicyState.APPROVED, state("1"), "the displaced version can come back");
    assertTrue(catalog.shadowsFor("demo-credit").isEmpty());
    assertEquals("2", catalog.forModel("demo-credit").orElseThrow().version());

    step("1", PolicyTransition.ACTIVATE, "bob"); // the rollback
    assertEquals(PolicyState.ACTIVE, state("1"));
    assertEquals(PolicyState.APPROVED, state("2"));
    assertEquals("1", catalog.forModel("demo-credit").orElseThrow().version());
  }

  @Test
  void theAuthorCannotApprove_evenWithTheRole() {
    catalog.register(Fixtures.demoPolicyText("2", 30000), "alice");
    assertEquals(
        ProblemType.SEPARATION_OF_DUTIES,
        refused(() -> step("2", PolicyTransition.APPROVE, "alice")));
    assertEquals(PolicyState.DRAFT, state("2"));
  }

  @Test
  void stepsOutOfOrder_areRefused_andChangeNothing() {
    catalog.register(Fixtures.demoPolicyText("2", 30000), "alice");
    assertEquals(
        ProblemType.STATE_CONFLICT, refused(() -> step("2", PolicyTransition.ACTIVATE, "bob")));
    assertEquals(
        ProblemType.STATE_CONFLICT, refused(() -> step("2", PolicyTransition.SHADOW, "bob")));
    step("2", PolicyTransition.RETIRE, "bob");
    assertEquals(
        ProblemType.STATE_CONFLICT, refused(() -> step("2", PolicyTransition.APPROVE, "carol")));
    assertEquals(
        ProblemType.NOT_FOUND, refused(() -> step("9", PolicyTransition.APPROVE, "carol")));
    assertEquals("1", catalog.forModel("demo-credit").orElseThrow().version());
  }

  @Test
  void versionsAreImmutable_sameContentIsIdempotent() {
    String text = Fixtures.demoPolicyText("2", 30000);
    assertTrue(catalog.register(text, "alice").created());
    assertFalse(catalog.register(text, "carol").created());
    assertEquals("alice", catalog.version(POLICY, "2").orElseThrow().author());
    assertEquals(
        ProblemType.STATE_CONFLICT,
        refused(() -> catalog.register(Fixtures.demoPolicyText("2", 40000), "alice")));
  }

  @Test
  void anInvalidDocument_namesTheRuleAndThePosition() {
    String broken =
        Fixtures.demoPolicyText("2", 30000)
            .replace("input.amount > 30000", "input.amount > 'many'");
    ProblemException problem =
        assertThrows(ProblemException.class, () -> catalog.register(broken, "alice"));
    assertEquals(ProblemType.INVALID_POLICY, problem.type());
    var error = problem.errors().get(0);
    assertTrue(error.field().contains("large-amount"), error.field());
    assertTrue(error.message().matches("(?s).*line \\d+, column \\d+.*"), error.message());
    assertTrue(catalog.version(POLICY, "2").isEmpty(), "nothing was recorded");
  }

  /** The demo policy under another id, scoped to tenants, sending large amounts from 1,000. */
  private static String forTenants(String id, String tenants) {
    return Fixtures.demoPolicyText("1", 1000)
        .replace("id: demo-credit-policy", "id: " + id)
        .replace("models: [demo-credit]", "models: [demo-credit]\n  tenants: " + tenants);
  }

  @Test
  void aTenantsVersionTakesPrecedenceForItsTenants_andOnePerTenantIsActive() {
    catalog.register(forTenants("retail-policy", "[retail, smb]"), "alice");
    catalog.transition("retail-policy", "1", PolicyTransition.APPROVE, "bob", Optional.empty());
    catalog.transition("retail-policy", "1", PolicyTransition.ACTIVATE, "bob", Optional.empty());

    assertEquals(
        "retail-policy", catalog.forModel("demo-credit", Optional.of("retail")).orElseThrow().id());
    assertEquals(
        "retail-policy", catalog.forModel("demo-credit", Optional.of("smb")).orElseThrow().id());
    assertEquals(
        POLICY, catalog.forModel("demo-credit", Optional.of("corporate")).orElseThrow().id());
    assertEquals(POLICY, catalog.forModel("demo-credit", Optional.empty()).orElseThrow().id());
    assertEquals(
        List.of("retail", "smb"),
        catalog.version("retail-policy", "1").orElseThrow().document().tenants());

    // Another policy for one of those tenants cannot be active beside it.
    catalog.register(forTenants("smb-policy", "[smb]"), "alice");
    catalog.transition("smb-policy", "1", PolicyTransition.APPROVE, "bob", Optional.empty());
    ProblemException conflict =
        assertThrows(
            ProblemException.class,
            () ->
                catalog.transition(
                    "smb-policy", "1", PolicyTransition.ACTIVATE, "bob", Optional.empty()));
    assertEquals(ProblemType.STATE_CONFLICT, conflict.type());
    assertEquals("scope.tenants", conflict.errors().get(0).field());
    assertTrue(conflict.errors().get(0).message().contains("for tenant smb"));

    // In shadow, it is evaluated for its tenant's decisions only, beside those for every tenant.
    catalog.transition("smb-policy", "1", PolicyTransition.SHADOW, "bob", Optional.empty());
    assertEquals(
        List.of("smb-policy"),
        catalog.shadowsFor("demo-credit", Optional.of("smb")).stream()
            .map(CompiledPolicy::id)
            .toList());
    assertTrue(catalog.shadowsFor("demo-credit", Optional.of("retail")).isEmpty());
  }

  @Test
  void twoActivePoliciesCannotGovernOneModel() {
    String other =
        Fixtures.resource("demo/policies/demo-credit.yaml")
            .replace("id: demo-credit-policy", "id: rival-policy");
    catalog.register(other, "alice");
    catalog.transition("rival-policy", "1", PolicyTransition.APPROVE, "bob", Optional.empty());
    ProblemException conflict =
        assertThrows(
            ProblemException.class,
            () ->
                catalog.transition(
                    "rival-policy", "1", PolicyTransition.ACTIVATE, "bob", Optional.empty()));
    assertEquals(ProblemType.STATE_CONFLICT, conflict.type());
    assertEquals("scope.models", conflict.errors().get(0).field());
    step("1", PolicyTransition.RETIRE, "bob");
    catalog.transition("rival-policy", "1", PolicyTransition.ACTIVATE, "bob", Optional.empty());
    assertEquals("rival-policy", catalog.forModel("demo-credit").orElseThrow().id());
  }

  @Test
  void aRestart_rebuildsEveryStateFromTheGraph_andDoesNotReseedARetiredSeed() throws Exception {
    catalog.register(Fixtures.demoPolicyText("2", 30000), "alice");
    step("2", PolicyTransition.APPROVE, "bob");
    step("2", PolicyTransition.SHADOW, "bob");
    catalog.register(Fixtures.demoPolicyText("3", 20000), "alice");
    step("3", PolicyTransition.APPROVE, "bob");
    step("3", PolicyTransition.ACTIVATE, "bob");
    step("1", PolicyTransition.RETIRE, "bob");
    List<List<Object>> before = described(catalog);
    graph.close();

    graph = new TestStore(dir);
    PolicyCatalog restarted = TestApp.demo(graph).policies;
    assertEquals(before, described(restarted));
    assertEquals(PolicyState.RETIRED, restarted.version(POLICY, "1").orElseThrow().state());
    assertEquals("3", restarted.forModel("demo-credit").orElseThrow().version());
    assertEquals("2", restarted.shadowsFor("demo-credit").get(0).version());
  }

  /** Everything about each version but its compiled form, which has no equality. */
  private static List<List<Object>> described(PolicyCatalog catalog) {
    return catalog.list().stream()
        .map(
            v ->
                List.<Object>of(
                    v.id(),
                    v.version(),
                    v.state(),
                    v.author(),
                    v.registeredAt(),
                    v.previousVersion(),
                    v.approver(),
                    v.history(),
                    v.document().contentHash()))
        .toList();
  }

  @Test
  void aChangedSeedWithTheSameVersion_stopsStartUp() throws Exception {
    graph.close();
    graph = new TestStore(dir);
    var changed = List.of(new SeedFile("changed.yaml", Fixtures.demoPolicyText("1", 40000)));
    PolicyCatalog again =
        new PolicyCatalog(
            new io.arbiter.graph.prov.ProvRegistryRecords(graph.store, TestStore.IRIS),
            graph.writer,
            java.time.Clock.systemUTC(),
            TestStore.IRIS,
            PolicyCompiler.DEFAULT_DEADLINE);
    var failure =
        assertThrows(
            IllegalStateException.class, () -> again.start(changed, ModelRegistry.SYSTEM_ACTOR));
    assertTrue(failure.getMessage().contains("immutable"), failure.getMessage());
  }
}
