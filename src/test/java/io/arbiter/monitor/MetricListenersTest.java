package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.DecisionRequest;
import io.arbiter.graph.SparqlService;
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
      long before = graph.store.nextSequence();
      var listeners = new MetricListeners(registry, Clock.systemUTC());
      listeners.decisions(app.decisions, queuesSeen::add);
      listeners.writer(graph.writer);

      app.decisions.submit(SMALL, "integrator", Optional.empty());
      app.decisions.submit(LARGE, "integrator", Optional.empty());
      graph.writer.close(); // the writer reports a batch after answering it: wait for the last
      long events = graph.store.nextSequence() - before;

      assertEquals(1, registry.counter("arbiter_decisions", route("approve")).getCount());
      assertEquals(1, registry.counter("arbiter_decisions", route("review")).getCount());
      assertEquals(0, registry.counter("arbiter_decisions", route("reject")).getCount());
      assertEquals(1, registry.timer("arbiter_decision_intake", route("approve")).getCount());
      var evaluation = registry.timer("arbiter_policy_evaluation");
      assertEquals(2, evaluation.getCount());
      assertTrue(evaluation.getElapsedTime().compareTo(Duration.ZERO) > 0);
      assertEquals(Set.of("senior-credit"), queuesSeen);

      var commits = registry.timer("arbiter_store_commit");
      var batches = registry.histogram("arbiter_store_batch_size");
      assertTrue(commits.getCount() >= 1 && commits.getCount() <= events, commits.getCount() + "");
      assertEquals(commits.getCount(), batches.getCount(), "one size per commit");
      assertEquals(events, batches.getSum(), "every event recorded since, in some batch");
      assertTrue(commits.getElapsedTime().compareTo(Duration.ZERO) > 0);
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

  private static Tag route(String route) {
    return new Tag("route", route);
  }
}
