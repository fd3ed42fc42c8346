package io.arbiter.monitor;

import io.arbiter.config.StartupOrder;
import io.arbiter.decision.DecisionService;
import io.arbiter.decision.TenantGrants;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.notify.CallbackDispatcher;
import io.arbiter.policy.PolicyCatalog;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.review.QueueSettings;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewService;
import io.arbiter.slo.SloMonitor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Operational figures at {@code /metrics} (MicroProfile Metrics, Prometheus text): decisions by
 * route, their intake latency and policy evaluation time, store commit time and batch size, SPARQL
 * query time, settlements by basis and SLA breaches, review queue depth and oldest task age, ledger
 * lag, and undelivered callbacks. Timers and counters are fed by listeners ({@link
 * MetricListeners}); gauges are read when scraped.
 */
@ApplicationScoped
public class OperationalMetrics {

  private static final Logger LOG = Logger.getLogger(OperationalMetrics.class.getName());

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  @Inject
  @ConfigProperty(name = "arbiter.metrics.model-version-tag", defaultValue = "true")
  boolean versionTag;

  /** Tenants to count under their own name besides those the tenant grants file names. */
  @Inject
  @ConfigProperty(name = "arbiter.metrics.tenants")
  Optional<List<String>> moreTenants;

  /** The context key whose values tag the decision and settlement counters; none by default. */
  @Inject
  @ConfigProperty(name = "arbiter.metrics.context-key")
  Optional<String> contextKey;

  /** The values of that key counted under their own name; any other is counted as other. */
  @Inject
  @ConfigProperty(name = "arbiter.metrics.context-values")
  Optional<List<String>> contextValues;

  void start(
      @Observes @Priority(StartupOrder.REVIEWS + 10) @Initialized(ApplicationScoped.class)
          Object event,
      DecisionService decisions,
      ReviewService reviews,
      PolicyCatalog policies,
      MerkleTree tree,
      CheckpointPublisher publisher,
      CallbackDispatcher callbacks,
      GraphRuntime graph,
      SparqlService sparql,
      SloMonitor slo,
      DriftMonitor drift,
      ModelRegistry models,
      TenantGrants grants,
      Clock clock) {
    MetricListeners listeners =
        new MetricListeners(
            registry,
            clock,
            new ModelTags(versionTag),
            tenantTags(grants),
            ContextTags.declared(contextKey, contextValues.orElse(List.of())));
    Consumer<String> queueGauges = listeners.queueGauges(reviews);
    // A queue first seen on a decision gets its gauges then.
    listeners.decisions(decisions, queueGauges);
    listeners.writePath(graph);
    listeners.sparql(sparql);
    listeners.objectives(slo);
    listeners.drift(drift);
    listeners.settlements(decisions, model -> models.find(model).isPresent());
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
    queues.forEach(queueGauges);
  }

  /**
   * The tenants counted under their own name: those the grants file names and {@code
   * arbiter.metrics.tenants}; a value there that is no tenant id stops start-up, naming it.
   */
  private TenantTags tenantTags(TenantGrants grants) {
    TenantTags tags = TenantTags.declared(grants.named(), moreTenants.orElse(List.of()));
    LOG.info(() -> "Metrics count " + tags.known().size() + " tenants under their own name");
    if (tags.ambiguous()) {
      LOG.warning(
          "a declared tenant is named 'other', as the metrics count every undeclared tenant:"
              + " its counters cannot be told apart from theirs");
    }
    return tags;
  }
}
