package io.arbiter.monitor;

import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.notify.CallbackDispatcher;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.policy.Route;
import io.arbiter.review.QueueSettings;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Operational figures at {@code /metrics} (MicroProfile Metrics, Prometheus text): decisions by
 * route and their intake latency (routing and durable commit), settlements by basis and SLA
 * breaches, review queue depth and oldest task age, ledger lag, and undelivered callbacks. Counters
 * are fed by listeners off the request path; gauges are read when scraped.
 */
@ApplicationScoped
public class OperationalMetrics {

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  private final Set<String> queuesWithGauges = ConcurrentHashMap.newKeySet();

  void start(
      @Observes @Priority(StartupOrder.REVIEWS + 10) @Initialized(ApplicationScoped.class)
          Object event,
      DecisionService decisions,
      ReviewService reviews,
      PolicyCatalog policies,
      MerkleTree tree,
      CheckpointPublisher publisher,
      CallbackDispatcher callbacks,
      Clock clock) {
    // Resolved once: the listener runs on every intake request, after the commit.
    Map<Route, Counter> byRoute = new EnumMap<>(Route.class);
    Map<Route, Timer> intake = new EnumMap<>(Route.class);
    for (Route route : Route.values()) {
      Tag tag = new Tag("route", route.wireName());
      byRoute.put(route, registry.counter("arbiter_decisions", tag));
      intake.put(route, registry.timer("arbiter_decision_intake", tag));
    }
    decisions.onRecorded(
        decision -> {
          Route route = decision.evaluation().route();
          byRoute.get(route).inc();
          intake.get(route).update(Duration.between(decision.submittedAt(), clock.instant()));
          // A queue first seen now gets its gauges now.
          decision.evaluation().review().ifPresent(r -> queueGauges(r.queue(), reviews, clock));
        });
    decisions.onResolved(
        (decision, resolution) -> {
          registry.counter("arbiter_settlements", new Tag("basis", resolution.basis())).inc();
          if (resolution.failSafe()) {
            registry.counter("arbiter_sla_breaches").inc();
          }
        });
    registry.gauge(
        "arbiter_ledger_unsigned_entries",
        tree,
        t -> t.size() - publisher.latest().map(c -> c.size()).orElse(0L));
    registry.gauge("arbiter_callback_dead_letters", callbacks, c -> c.deadLetters(null).size());
    Set<String> queues = new TreeSet<>(reviews.activeQueues());
    reviews.queues().configured().stream().map(QueueSettings::name).forEach(queues::add);
    policies.list().stream()
        .flatMap(v -> v.document().allRules().stream())
        .forEach(rule -> rule.review().ifPresent(r -> queues.add(r.queue())));
    queues.add(ReviewAssignment.QA_QUEUE);
    queues.forEach(queue -> queueGauges(queue, reviews, clock));
  }

  private void queueGauges(String queue, ReviewService reviews, Clock clock) {
    if (!queuesWithGauges.add(queue)) {
      return;
    }
    Tag tag = new Tag("queue", queue);
    registry.gauge("arbiter_review_queue_depth", reviews, r -> r.load(queue).depth(), tag);
    registry.gauge(
        "arbiter_review_queue_oldest_age_seconds",
        reviews,
        r ->
            r.load(queue)
                .oldest()
                .map(oldest -> Duration.between(oldest, clock.instant()).toSeconds())
                .orElse(0L),
        tag);
  }
}
