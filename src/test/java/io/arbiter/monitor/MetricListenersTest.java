package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.DecisionRequest;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestMetrics;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric listeners over a real store and the real services, feeding a real MicroProfile Metrics
 * registry (SmallRye Metrics, as in Liberty).
 */
class MetricListenersTest {

  @TempDir Path dir;

  private static final DecisionRequest SMALL = Fixtures.request(1000, 56000, 0.1, "approve", 0.9);
  private static final DecisionRequest LARGE = Fixtures.request(90000, 56000, 0.1, "approve", 0.9);

  @Test
  void decisionsAndCommits_feedRouteCountsIntakeEvaluationAndStoreFigures() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    Set<String> queuesSeen = ConcurrentHashMap.newKeySet();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      long before = graph.size();
      var listeners = new MetricListeners(registry, Clock.systemUTC());
      listeners.decisions(app.decisions, queuesSeen::add);
      listeners.writePath(graph.runtime);

      app.decisions.submit(SMALL, "integrator", Optional.empty());
      app.decisions.submit(LARGE, "integrator", Optional.empty());
      graph.settle();
      graph.journal.close(); // the journal reports a batch after answering it: wait for the last
      long events = graph.size() - before;

      assertEquals(1, registry.counter("arbiter_decisions", credit(route("approve"))).getCount());
      assertEquals(1, registry.counter("arbiter_decisions", credit(route("review"))).getCount());
      assertEquals(0, registry.counter("arbiter_decisions", credit(route("reject"))).getCount());
      assertEquals(1, registry.timer("arbiter_decision_intake", route("approve")).getCount());
      // The buckets configured in microprofile-config.properties: a histogram, not only quantiles.
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_decision_intake_seconds_bucket{mp_scope=\"application\",route=\"approve\",le=\"0.1\",}"),
          text);
      var evaluation = registry.timer("arbiter_policy_evaluation");
      assertEquals(2, evaluation.getCount());
      assertTrue(evaluation.getElapsedTime().compareTo(Duration.ZERO) > 0);
      assertEquals(Set.of("senior-credit"), queuesSeen);

      for (String path : List.of("journal", "store")) {
        var commits = registry.timer("arbiter_" + path + "_commit");
        var batches = registry.histogram("arbiter_" + path + "_batch_size");
        assertTrue(
            commits.getCount() >= 1 && commits.getCount() <= events, commits.getCount() + "");
        assertEquals(commits.getCount(), batches.getCount(), "one size per commit");
        assertEquals(events, batches.getSum(), "every event recorded since, in some batch");
        assertTrue(commits.getElapsedTime().compareTo(Duration.ZERO) > 0);
      }
      assertEquals(
          0.0,
          registry.getGauges().entrySet().stream()
              .filter(e -> e.getKey().getName().equals("arbiter_projection_lag_events"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getValue()
              .doubleValue());
    }
  }

  @Test
  void sparql_timesQueriesByFormAndOutcome_inPrometheusText() {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      SparqlService sparql = new SparqlService(graph.store, Duration.ofSeconds(10), 100);
      new MetricListeners(registry, Clock.systemUTC()).sparql(sparql);
      sparql.execute(sparql.parse("SELECT * WHERE { ?s ?p ?o }", List.of(), List.of()));
      sparql.execute(sparql.parse("SELECT * WHERE { ?s ?p ?o }", List.of(), List.of()));
      sparql.execute(sparql.parse("ASK { ?s ?p ?o }", List.of(), List.of()));

      MetricID select =
          new MetricID("arbiter_sparql_query", new Tag("form", "select"), new Tag("outcome", "ok"));
      assertEquals(2, registry.getTimer(select).getCount());
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_sparql_query_seconds_count{form=\"ask\",mp_scope=\"application\",outcome=\"ok\",} 1.0"),
          text);
    }
  }

  @Test
  void queueGauges_readDepthAndAgeFromTheReviewServiceWhenScraped() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      var queues = new MetricListeners(registry, Clock.systemUTC()).queueGauges(app.reviews);
      queues.accept("senior-credit");
      queues.accept("senior-credit"); // a queue named twice keeps one pair of gauges
      MetricID depth =
          new MetricID("arbiter_review_queue_depth", new Tag("queue", "senior-credit"));
      assertEquals(0, registry.getGauge(depth).getValue().intValue());
      app.decisions.submit(LARGE, "integrator", Optional.empty());
      assertEquals(1, registry.getGauge(depth).getValue().intValue());
      assertEquals(2, registry.getGauges().size(), registry.getGauges().keySet().toString());
    }
  }

  @Test
  void objectivesAndDrift_areGaugesOfTheirLastEvaluation() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      var slo =
          new io.arbiter.slo.SloMonitor(
              io.arbiter.slo.ObjectivesParser.parse(
                  "test",
                  "objectives: [{id: band, kind: escalation-rate, band: {min: 0, max: 0.4},"
                      + " window: PT1H, minEvents: 1},"
                      + " {id: north-band, kind: escalation-rate, band: {min: 0, max: 0.4},"
                      + " window: PT1H, scope: {model: demo-credit, context: {site: north}}}]"),
              graph.writer,
              Clock.systemUTC(),
              TestStore.IRIS);
      var listeners = new MetricListeners(registry, Clock.systemUTC());
      listeners.objectives(slo);
      listeners.drift(app.drift);
      Tag[] band = {
        new Tag("objective", "band"),
        new Tag("model", ""),
        new Tag("version", ""),
        new Tag("tenant", ""),
        new Tag("context_key", ""),
        new Tag("context_value", "")
      };
      assertTrue(
          registry.getGauge(new MetricID("arbiter_slo_sli", band)).getValue().doubleValue() >= 0
              == false,
          "NaN before any evaluation");

      slo.onRecorded(
          app.decisions.submit(LARGE, "integrator", Optional.empty()).recorded().decision(),
          java.time.Instant.now());
      slo.evaluate();
      assertEquals(
          1.0, registry.getGauge(new MetricID("arbiter_slo_sli", band)).getValue().doubleValue());
      assertEquals(
          1, registry.getGauge(new MetricID("arbiter_slo_breached", band)).getValue().intValue());

      // A model version gets its drift gauges with its first reference profile.
      var model = new io.arbiter.registry.ModelVersionRef("demo-credit", "1");
      Fixtures.referenceInForce(
          app.drift,
          new io.arbiter.drift.ReferenceProfile(
              model,
              java.util.Map.of(
                  "riskScore",
                  new io.arbiter.drift.Distribution.Histogram(
                      List.of(0.0, 0.5, 1.0), List.of(1.0, 1.0)))),
          "carol");
      for (int i = 0; i < TestApp.DRIFT.minSamples(); i++) {
        app.decisions.submit(
            Fixtures.request(1000, 56000, 0.95, "reject", 0.9), "integrator", Optional.empty());
      }
      app.drift.assess();
      Tag[] tags = {new Tag("model", "demo-credit"), new Tag("version", "1")};
      assertEquals(
          1, registry.getGauge(new MetricID("arbiter_drift_alarm", tags)).getValue().intValue());
      assertTrue(
          registry.getGauge(new MetricID("arbiter_drift_psi_max", tags)).getValue().doubleValue()
              > 0.2);
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_slo_breached{context_key=\"\",context_value=\"\",model=\"\","
                  + "mp_scope=\"application\",objective=\"band\",tenant=\"\",version=\"\",} 1.0"),
          text);
      // A scoped objective's series name its scope, so a team finds its own.
      assertTrue(
          text.contains(
              "arbiter_slo_sli{context_key=\"site\",context_value=\"north\","
                  + "model=\"demo-credit\",mp_scope=\"application\",objective=\"north-band\","
                  + "tenant=\"\",version=\"\",}"),
          text);
    }
  }

  /** {@code others}, then the demo model's tags and no tenant. */
  private static Tag[] credit(Tag... others) {
    List<Tag> tags = new java.util.ArrayList<>(List.of(others));
    tags.add(new Tag("model", "demo-credit"));
    tags.add(new Tag("version", "1"));
    tags.add(new Tag("tenant", TenantTags.NONE));
    return tags.toArray(Tag[]::new);
  }

  @Test
  void decisionsAndSettlements_countedByRegisteredModelVersion_othersUnderUnregistered()
      throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      var listeners = new MetricListeners(registry, Clock.systemUTC());
      listeners.decisions(app.decisions, queue -> {});
      listeners.settlements(app.decisions, model -> model.version().equals("1"));

      var large = app.decisions.submit(LARGE, "integrator", Optional.empty()).recorded();
      DecisionRequest unregistered =
          io.arbiter.decision.DecisionRequestParser.parse(
              Fixtures.requestJson(1000, 56000, 0.1, "approve", 0.9)
                  .replace("\"version\": \"1\"", "\"version\": \"99\"")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      var unknown = app.decisions.submit(unregistered, "integrator", Optional.empty()).recorded();
      // Against the model's approve: an override; the fail-safe's timeout is a breach, not one.
      app.decisions.resolve(
          large.decision().id(),
          new io.arbiter.decision.Resolution(
              io.arbiter.policy.Route.REJECT, "consensus", java.time.Instant.now(), true),
          true);
      app.decisions.resolve(
          unknown.decision().id(),
          new io.arbiter.decision.Resolution(
              io.arbiter.policy.Route.REJECT,
              io.arbiter.decision.Resolution.TIMEOUT,
              java.time.Instant.now(),
              true),
          true);

      Tag[] nobody = {
        new Tag("model", ModelTags.UNREGISTERED),
        new Tag("version", ModelTags.UNREGISTERED),
        new Tag("tenant", TenantTags.NONE)
      };
      assertEquals(1, registry.counter("arbiter_decisions", credit(route("review"))).getCount());
      assertEquals(
          1,
          registry
              .counter("arbiter_decisions", route("review"), nobody[0], nobody[1], nobody[2])
              .getCount(),
          "a version the registry does not know fails safe, under unregistered");
      assertEquals(
          1,
          registry
              .counter("arbiter_settlements", credit(new Tag("basis", "consensus")))
              .getCount());
      assertEquals(1, registry.counter("arbiter_overrides", credit()).getCount());
      assertEquals(0, registry.counter("arbiter_sla_breaches", credit()).getCount());
      assertEquals(1, registry.counter("arbiter_sla_breaches", nobody).getCount());
      assertEquals(0, registry.counter("arbiter_overrides", nobody).getCount());
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_overrides_total{model=\"demo-credit\",mp_scope=\"application\","
                  + "tenant=\"\",version=\"1\",} 1.0"),
          text);
    }
  }

  @Test
  void withoutTheVersionTag_seriesArePerModel() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      new MetricListeners(registry, Clock.systemUTC(), new ModelTags(false), TenantTags.UNDECLARED)
          .decisions(app.decisions, queue -> {});
      app.decisions.submit(SMALL, "integrator", Optional.empty());
      assertEquals(
          1,
          registry
              .counter(
                  "arbiter_decisions",
                  route("approve"),
                  new Tag("model", "demo-credit"),
                  new Tag("tenant", TenantTags.NONE))
              .getCount());
    }
  }

  /** The demo request for {@code tenant}, which the demo grants let integrator name. */
  private static DecisionRequest forTenant(double amount, String tenant) {
    return io.arbiter.decision.DecisionRequestParser.parse(
        Fixtures.requestJson(amount, 56000, 0.1, "approve", 0.9)
            .replace("\"subject\"", "\"tenant\": \"" + tenant + "\", \"subject\"")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void decisionsAndSettlements_countedByDeclaredTenant_othersUnderOther() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      // The demo grants let integrator name retail and us-retail; only retail is declared here.
      var listeners =
          new MetricListeners(
              registry, Clock.systemUTC(), new ModelTags(true), TenantTags.of(List.of("retail")));
      listeners.decisions(app.decisions, queue -> {});
      listeners.settlements(app.decisions, model -> true);

      app.decisions.submit(forTenant(1000, "retail"), "integrator", Optional.empty());
      app.decisions.submit(forTenant(1000, "retail"), "integrator", Optional.empty());
      app.decisions.submit(forTenant(1000, "us-retail"), "integrator", Optional.empty());
      app.decisions.submit(SMALL, "integrator", Optional.empty());
      var escalated =
          app.decisions.submit(forTenant(90000, "us-retail"), "integrator", Optional.empty());
      app.decisions.resolve(
          escalated.recorded().decision().id(),
          new io.arbiter.decision.Resolution(
              io.arbiter.policy.Route.REJECT, "consensus", java.time.Instant.now(), true),
          true);

      Tag approve = route("approve");
      assertEquals(2, registry.counter("arbiter_decisions", credit(approve, "retail")).getCount());
      assertEquals(1, registry.counter("arbiter_decisions", credit(approve, "other")).getCount());
      assertEquals(1, registry.counter("arbiter_decisions", credit(approve)).getCount());
      assertEquals(
          1, registry.counter("arbiter_decisions", credit(route("review"), "other")).getCount());
      assertEquals(1, registry.counter("arbiter_overrides", credit(null, "other")).getCount());
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_decisions_total{model=\"demo-credit\",mp_scope=\"application\","
                  + "route=\"approve\",tenant=\"retail\",version=\"1\",} 2.0"),
          text);
      assertTrue(!text.contains("us-retail"), "an undeclared tenant names no series: " + text);
    }
  }

  /** The demo request (context region EU) with the region {@code region}, or none if null. */
  private static DecisionRequest inRegion(double amount, String region) {
    String json = Fixtures.requestJson(amount, 56000, 0.1, "approve", 0.9);
    String changed =
        region == null
            ? json.replace("\"region\": \"EU\", ", "")
            : json.replace("\"region\": \"EU\"", "\"region\": \"" + region + "\"");
    assertTrue(!changed.equals(json) || "EU".equals(region), "the fixture's context changed shape");
    return io.arbiter.decision.DecisionRequestParser.parse(
        changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void decisionsAndSettlements_countedByDeclaredContextValue_othersUnderOther() throws Exception {
    MetricRegistry registry = TestMetrics.registry();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      var listeners =
          new MetricListeners(
              registry,
              Clock.systemUTC(),
              new ModelTags(true),
              TenantTags.UNDECLARED,
              ContextTags.declared(Optional.of("region"), List.of("EU")));
      listeners.decisions(app.decisions, queue -> {});
      listeners.settlements(app.decisions, model -> true);

      app.decisions.submit(inRegion(1000, "EU"), "alice", Optional.empty());
      app.decisions.submit(inRegion(1000, "EU"), "alice", Optional.empty());
      app.decisions.submit(inRegion(1000, "US-" + dir.hashCode()), "alice", Optional.empty());
      app.decisions.submit(inRegion(1000, null), "alice", Optional.empty());
      var escalated = app.decisions.submit(inRegion(90000, "APAC"), "alice", Optional.empty());
      app.decisions.resolve(
          escalated.recorded().decision().id(),
          new io.arbiter.decision.Resolution(
              io.arbiter.policy.Route.REJECT, "consensus", java.time.Instant.now(), true),
          true);

      Tag approve = route("approve");
      assertEquals(2, registry.counter("arbiter_decisions", inContext(approve, "EU")).getCount());
      assertEquals(
          1, registry.counter("arbiter_decisions", inContext(approve, "other")).getCount());
      assertEquals(1, registry.counter("arbiter_decisions", inContext(approve, "")).getCount());
      assertEquals(
          1, registry.counter("arbiter_decisions", inContext(route("review"), "other")).getCount());
      assertEquals(
          1,
          registry
              .counter("arbiter_settlements", inContext(new Tag("basis", "consensus"), "other"))
              .getCount());
      assertEquals(1, registry.counter("arbiter_overrides", inContext(null, "other")).getCount());
      String text = TestMetrics.scrape(registry);
      assertTrue(
          text.contains(
              "arbiter_decisions_total{context=\"EU\",model=\"demo-credit\","
                  + "mp_scope=\"application\",route=\"approve\",tenant=\"\",version=\"1\",} 2.0"),
          text);
      assertTrue(!text.contains("US-"), "an undeclared value names no series: " + text);
    }
  }

  /** {@code other} (if any), the demo model's tags, no tenant and the context tag {@code value}. */
  private static Tag[] inContext(Tag other, String value) {
    List<Tag> tags = new java.util.ArrayList<>(List.of(credit(other, "")));
    tags.add(new Tag("context", value));
    return tags.toArray(Tag[]::new);
  }

  /** {@code other} (if any), the demo model's tags and the tenant tag {@code tenant}. */
  private static Tag[] credit(Tag other, String tenant) {
    List<Tag> tags = new java.util.ArrayList<>();
    if (other != null) {
      tags.add(other);
    }
    tags.add(new Tag("model", "demo-credit"));
    tags.add(new Tag("version", "1"));
    tags.add(new Tag("tenant", tenant));
    return tags.toArray(Tag[]::new);
  }

  private static Tag route(String route) {
    return new Tag("route", route);
  }
}
