package io.arbiter.testing;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.DecisionIndex;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.TenantGrants;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.drift.DriftSettings;
import io.arbiter.graph.prov.ProvDecisionRecords;
import io.arbiter.graph.prov.ProvDriftRecords;
import io.arbiter.graph.prov.ProvPolicyOutcomes;
import io.arbiter.graph.prov.ProvRegistryRecords;
import io.arbiter.graph.prov.ProvReviewRecords;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.PolicyCompiler;
import io.arbiter.policy.PolicyDocumentException;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.replay.ReplayService;
import io.arbiter.review.ReviewQueues;
import io.arbiter.review.ReviewService;
import java.time.Clock;
import java.util.List;

/**
 * The application's services wired over a real store as the CDI producers wire them, started in the
 * same order: models, then policies, then the decision index and drift monitor, then review tasks.
 */
public final class TestApp {

  public final DecisionService decisions;
  public final PolicyCatalog policies;
  public final ReplayService replays;
  public final ReviewService reviews;
  public final DriftMonitor drift;
  public final ModelRegistry registry;

  /** The bundled demo tenant grants, as a server without {@code arbiter.tenants-file} reads. */
  public static final TenantGrants GRANTS =
      TenantGrants.parse("demo grants", Fixtures.resource("demo/tenants/grants.yaml"));

  /** Drift settings for tests: small windows, so that a few hundred decisions shift them. */
  public static final DriftSettings DRIFT =
      new DriftSettings(100, 50, 0.2, 0.1, 0.2, 0.1, java.time.Duration.ofSeconds(1));

  /**
   * @param models model seeds to register
   * @param policies policy documents to load
   */
  public TestApp(TestStore graph, List<SeedFile> models, List<SeedFile> policies)
      throws PolicyDocumentException {
    this(graph, models, policies, Clock.systemUTC());
  }

  public TestApp(TestStore graph, List<SeedFile> models, List<SeedFile> policies, Clock clock)
      throws PolicyDocumentException {
    this(graph, models, policies, clock, true);
  }

  /**
   * @param watchDrift whether intake reads drift facts from the drift monitor and feeds its windows
   *     now, as the server does; if not, {@link #watchDrift()} connects them later (the intake
   *     benchmark measures with and without)
   */
  public TestApp(
      TestStore graph,
      List<SeedFile> models,
      List<SeedFile> policies,
      Clock clock,
      boolean watchDrift)
      throws PolicyDocumentException {
    var records = new ProvRegistryRecords(graph.store, TestStore.IRIS);
    registry =
        new ModelRegistry(
            records,
            new io.arbiter.registry.DataRegistry(graph.writer, clock, TestStore.IRIS),
            graph.writer,
            clock,
            TestStore.IRIS);
    registry.start(models);
    PolicyCatalog catalog =
        new PolicyCatalog(
            records, graph.writer, clock, TestStore.IRIS, PolicyCompiler.DEFAULT_DEADLINE);
    catalog.start(policies, ModelRegistry.SYSTEM_ACTOR);
    this.policies = catalog;
    decisions =
        new DecisionService(
            registry,
            catalog,
            GRANTS,
            graph.writer,
            new DecisionIndex(),
            new ProvDecisionRecords(graph.runtime.currentReads(), TestStore.IRIS),
            TestStore.IRIS,
            clock);
    decisions.start();
    drift = new DriftMonitor(registry, graph.writer, clock, TestStore.IRIS, DRIFT);
    drift.start(new ProvDriftRecords(graph.store, TestStore.IRIS));
    if (watchDrift) {
      watchDrift();
    }
    reviews =
        new ReviewService(
            new ProvReviewRecords(graph.runtime.currentReads(), TestStore.IRIS),
            decisions,
            graph.writer,
            TestStore.IRIS,
            catalog,
            ReviewQueues.parse("demo queues", Fixtures.resource("demo/review/queues.yaml")),
            clock,
            new io.arbiter.review.AliasSecret(io.arbiter.review.AliasSecret.generate()));
    reviews.start();
    replays =
        new ReplayService(decisions, catalog, new ProvPolicyOutcomes(graph.store, TestStore.IRIS));
  }

  /** Intake reads drift facts from the drift monitor and feeds its windows, as DriftWiring does. */
  public void watchDrift() {
    decisions.driftFacts(drift::factsFor);
    decisions.onRecorded(drift::observe);
  }

  /** The demo model and the demo policy, as a fresh server loads them. */
  public static TestApp demo(TestStore graph) throws PolicyDocumentException {
    return demo(graph, true);
  }

  /**
   * {@link #demo(TestStore)} on {@code clock}. A test that counts events sets a clock that stays
   * within one hour, since the first decision of each hour adds the hour's description.
   */
  public static TestApp demo(TestStore graph, Clock clock) throws PolicyDocumentException {
    return new TestApp(
        graph,
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
        List.of(new SeedFile("demo-policy", Fixtures.resource("demo/policies/demo-credit.yaml"))),
        clock);
  }

  public static TestApp demo(TestStore graph, boolean watchDrift) throws PolicyDocumentException {
    return new TestApp(
        graph,
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
        List.of(new SeedFile("demo-policy", Fixtures.resource("demo/policies/demo-credit.yaml"))),
        Clock.systemUTC(),
        watchDrift);
  }
}
