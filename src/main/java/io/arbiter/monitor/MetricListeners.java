package io.arbiter.monitor;

import io.arbiter.decision.DecisionService;
import io.arbiter.drift.DriftMonitor;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.policy.Route;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.review.ReviewService;
import io.arbiter.slo.Objective;
import io.arbiter.slo.SloMonitor;
import io.arbiter.slo.SloStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The listeners that feed Arbiter's figures as work happens, wired to a given registry: {@link
 * OperationalMetrics} gives them Liberty's application registry; tests and the intake benchmark
 * give them the same MicroProfile Metrics implementation outside Liberty, so what they cost on the
 * hot path is measured as it runs in production.
 *
 * <p>Every metric a hot-path listener updates is resolved once when it is wired: the decision
 * listeners run on every intake request and the commit listener on every store batch, and they only
 * update metrics (no lookups, no I/O, nothing that can throw in normal operation).
 */
public final class MetricListeners {

  private static final Logger LOG = Logger.getLogger(MetricListeners.class.getName());
  private final MetricRegistry registry;
  private final Clock clock;
  private final ModelTags models;
  private final TenantTags tenants;
  private final ContextTags contexts;

  /** Counters tagged with model and version, and a tenant tag that knows no tenant. */
  public MetricListeners(MetricRegistry registry, Clock clock) {
    this(registry, clock, new ModelTags(true), TenantTags.UNDECLARED);
  }

  /** As below, without a context tag. */
  public MetricListeners(
      MetricRegistry registry, Clock clock, ModelTags models, TenantTags tenants) {
    this(registry, clock, models, tenants, ContextTags.NONE_DECLARED);
  }

  public MetricListeners(
      MetricRegistry registry,
      Clock clock,
      ModelTags models,
      TenantTags tenants,
      ContextTags contexts) {
    this.registry = registry;
    this.clock = clock;
    this.models = models;
    this.tenants = tenants;
    this.contexts = contexts;
  }

  /** The tenant tag and, when configured, the context tag of a series. */
  private Tag[] scope(String tenant, String context) {
    Tag tenantTag = new Tag("tenant", tenant);
    return contexts.of(context).map(c -> new Tag[] {tenantTag, c}).orElse(new Tag[] {tenantTag});
  }

  /**
   * Decisions by route, model ({@link ModelTags}), tenant ({@link TenantTags}) and context, when
   * configured ({@link ContextTags}), their intake latency (submission to durable commit) by route
   * and how long their policies took to evaluate; {@code queueSeen} hears the review queue of each
   * decision sent to one.
   */
  public void decisions(DecisionService decisions, Consumer<String> queueSeen) {
    // A counter per route and model version seen, registered on first use and then found in one
    // map lookup. The intake timer stays by route alone: a timer is a dozen series (quantiles,
    // buckets), too many to repeat per model version.
    Map<ModelTags.Series, Counter> byRoute = new ConcurrentHashMap<>();
    Map<Route, Timer> intake = new ConcurrentHashMap<>();
    Function<Route, Tag> tag = route -> new Tag("route", route.wireName());
    for (Route route : List.of(Route.REVIEW, Route.APPROVE, Route.REJECT)) {
      intake.put(route, registry.timer("arbiter_decision_intake", tag.apply(route)));
    }
    decisions.onRecorded(
        decision -> {
          Route route = decision.evaluation().route();
          boolean registered = decision.modelRegistered();
          String tenant = tenants.value(decision.request().tenant());
          String context = contexts.value(decision.request().context());
          byRoute
              .computeIfAbsent(
                  ModelTags.Series.of(
                      route.wireName(),
                      decision.model(),
                      registered,
                      models.withVersion(),
                      tenant,
                      context),
                  s ->
                      registry.counter(
                          "arbiter_decisions",
                          models.of(
                              decision.model(),
                              registered,
                              concat(tag.apply(route), scope(s.tenant(), s.context())))))
              .inc();
          intake
              .computeIfAbsent(route, r -> registry.timer("arbiter_decision_intake", tag.apply(r)))
              .update(Duration.between(decision.submittedAt(), clock.instant()));
          decision.evaluation().review().ifPresent(r -> queueSeen.accept(r.queue()));
        });
    Timer evaluation = registry.timer("arbiter_policy_evaluation");
    decisions.onEvaluated(nanos -> evaluation.update(Duration.ofNanos(nanos)));
  }

  /**
   * Settled escalations by basis, those that went against the model's recommendation (overrides:
   * settled by people, not timed out) and SLA breaches, each by model ({@link ModelTags}), tenant
   * ({@link TenantTags}) and context, when configured ({@link ContextTags}); {@code registered}
   * says whether the registry knows a model version now (settlements are off the intake path).
   */
  public void settlements(
      DecisionService decisions, java.util.function.Predicate<ModelVersionRef> registered) {
    decisions.onResolved(
        (decision, resolution) -> {
          boolean known = registered.test(decision.model());
          // The summary holds no context: the decision is read for it, a settlement being far
          // rarer than a submission and off the intake path.
          String context = contexts.enabled() ? contextOf(decisions, decision) : ContextTags.NONE;
          Tag[] scope = scope(tenants.value(decision.tenant()), context);
          registry
              .counter(
                  "arbiter_settlements",
                  models.of(
                      decision.model(), known, concat(new Tag("basis", resolution.basis()), scope)))
              .inc();
          if (resolution.overridesRecommendation() && !resolution.failSafe()) {
            registry.counter("arbiter_overrides", models.of(decision.model(), known, scope)).inc();
          }
          if (resolution.failSafe()) {
            registry
                .counter("arbiter_sla_breaches", models.of(decision.model(), known, scope))
                .inc();
          }
        });
  }

  /**
   * The context tag value of a settled decision, read from the decision; a decision that cannot be
   * read now (a store fault) is counted without a context rather than not at all.
   */
  private String contextOf(
      DecisionService decisions, io.arbiter.decision.DecisionSummary decision) {
    try {
      return decisions
          .load(decision)
          .map(r -> contexts.value(r.decision().request().context()))
          .orElse(ContextTags.NONE);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the context of settled decision " + decision.id().value() + " could not be read",
          e);
      return ContextTags.NONE;
    }
  }

  private static Tag[] concat(Tag first, Tag[] rest) {
    Tag[] all = new Tag[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** The review queues' depth and oldest age, as gauges; returns what registers a queue's pair. */
  public Consumer<String> queueGauges(ReviewService reviews) {
    return new QueueGauges(registry, reviews, clock)::add;
  }

  /**
   * The write path: the journal's group commits (how long each write and force took, how many
   * events it held), the projector's store transactions (likewise), and the projection's lag.
   */
  public void writePath(GraphRuntime graph) {
    Timer journalCommit = registry.timer("arbiter_journal_commit");
    Histogram journalBatch = registry.histogram("arbiter_journal_batch_size");
    graph
        .journal()
        .onCommitted(
            (events, nanos) -> {
              journalCommit.update(Duration.ofNanos(nanos));
              journalBatch.update(events);
            });
    Timer storeCommit = registry.timer("arbiter_store_commit");
    Histogram storeBatch = registry.histogram("arbiter_store_batch_size");
    graph
        .projector()
        .onCommitted(
            (events, nanos) -> {
              storeCommit.update(Duration.ofNanos(nanos));
              storeBatch.update(events);
            });
    registry.gauge("arbiter_journal_events", graph, g -> g.journal().size());
    registry.gauge("arbiter_journal_bytes", graph, g -> g.journal().diskBytes());
    registry.gauge("arbiter_projection_lag_events", graph, g -> g.projector().lagRecords());
    registry.gauge(
        "arbiter_projection_lag_seconds", graph, g -> g.projector().lag().toNanos() / 1e9);
  }

  /**
   * The auditors' SPARQL queries by form and outcome. Off the hot path, so each timer is looked up
   * per query; a form's series appears with its first query.
   */
  public void sparql(SparqlService sparql) {
    sparql.onQueried(
        (form, outcome, nanos) ->
            registry
                .timer(
                    "arbiter_sparql_query",
                    new Tag("form", form.wireName()),
                    new Tag("outcome", outcome.wireName()))
                .update(Duration.ofNanos(nanos)));
  }

  /**
   * Each objective's SLI, burn rate and breach state (1 while a breach is under way), read from its
   * last evaluation when scraped, tagged with the objective and its scope ({@link ObjectiveTags}).
   * NaN while the window holds no events (or, for the burn rate, for a band objective).
   */
  public void objectives(SloMonitor slo) {
    for (Objective objective : slo.objectives()) {
      Tag[] tag = ObjectiveTags.of(objective);
      registry.gauge(
          "arbiter_slo_sli",
          slo,
          m -> m.status(objective.id()).map(s -> orNaN(s.sli())).orElse(Double.NaN),
          tag);
      registry.gauge(
          "arbiter_slo_burn_rate",
          slo,
          m -> m.status(objective.id()).map(s -> orNaN(s.burnRate())).orElse(Double.NaN),
          tag);
      registry.gauge(
          "arbiter_slo_breached",
          slo,
          m -> m.status(objective.id()).flatMap(SloStatus::breach).isPresent() ? 1 : 0,
          tag);
    }
  }

  /**
   * Per monitored model version: whether a drift alarm is raised (1) and the largest PSI of its
   * inputs at the last assessment (NaN before one).
   */
  public void drift(DriftMonitor drift) {
    drift.onWatched(
        model -> {
          Tag[] tags = {new Tag("model", model.name()), new Tag("version", model.version())};
          registry.gauge(
              "arbiter_drift_alarm", drift, d -> d.factsFor(model).alarmed() ? 1 : 0, tags);
          registry.gauge(
              "arbiter_drift_psi_max",
              drift,
              d ->
                  d.factsFor(model).psi().values().stream()
                      .mapToDouble(Double::doubleValue)
                      .max()
                      .orElse(Double.NaN),
              tags);
        });
  }

  private static double orNaN(java.util.OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : Double.NaN;
  }
}
