package io.arbiter.slo;

import io.arbiter.decision.Decision;
import io.arbiter.decision.Resolution;
import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.slo.EventCounts.Counts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Evaluates the objectives. Listeners count events as they happen (constant time each); {@link
 * #evaluate}, run periodically, computes each objective's SLI and burn rate, begins a breach when a
 * judged objective misses its target (or leaves its band) and ends it when the objective is met
 * again. A breach's event is recorded before the state changes; if recording fails, the next
 * evaluation tries again.
 */
public final class SloMonitor {

  private static final Logger LOG = Logger.getLogger(SloMonitor.class.getName());

  private final List<Objective> objectives;
  private final EventLog log;
  private final Clock clock;
  private final IriScheme iris;
  private final Map<String, EventCounts> counts = new LinkedHashMap<>();
  private final Map<String, Optional<String>> breaches =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Map<String, SloStatus> statuses = Map.of();

  public SloMonitor(List<Objective> objectives, EventLog log, Clock clock, IriScheme iris) {
    this.objectives = List.copyOf(objectives);
    this.log = log;
    this.clock = clock;
    this.iris = iris;
    for (Objective objective : this.objectives) {
      counts.put(objective.id(), new EventCounts(objective.window()));
      breaches.put(objective.id(), Optional.empty());
    }
  }

  public List<Objective> objectives() {
    return objectives;
  }

  /** Loads the breaches under way; breaches of objectives no longer configured are left alone. */
  public synchronized void start(SloRecords records) {
    records
        .openBreaches()
        .forEach(
            (objective, breach) -> {
              if (breaches.containsKey(objective)) {
                breaches.put(objective, Optional.of(breach));
              }
            });
    statuses = compute(clock.instant());
  }

  /** Counts a recorded decision; {@code recordedAt} is when its commit was acknowledged. */
  public void onRecorded(Decision decision, Instant recordedAt) {
    boolean automated = decision.evaluation().route().automated();
    for (Objective objective : objectives) {
      if (!objective
          .scope()
          .contains(
              decision.model(), decision.request().tenant(), () -> decision.request().context())) {
        continue;
      }
      switch (objective.kind()) {
        case AUTOMATED_LATENCY -> {
          if (automated) {
            Duration took = Duration.between(decision.submittedAt(), recordedAt);
            counts
                .get(objective.id())
                .record(recordedAt, took.compareTo(objective.latency().orElseThrow()) <= 0);
          }
        }
        case ESCALATION_RATE -> counts.get(objective.id()).record(recordedAt, !automated);
        case REVIEWS_WITHIN_SLA -> {
          // counted when settled
        }
      }
    }
  }

  /**
   * Counts a settled escalation of a decision of {@code model} for {@code tenant}: within its SLA
   * unless it timed out and failed safe. {@code context} is read only if an objective's scope names
   * a context value, at most once.
   */
  public void onSettled(
      ModelVersionRef model,
      Optional<String> tenant,
      Supplier<Map<String, Object>> context,
      Resolution resolution) {
    Supplier<Map<String, Object>> once = memoised(context);
    for (Objective objective : objectives) {
      if (objective.kind() == Objective.Kind.REVIEWS_WITHIN_SLA
          && objective.scope().contains(model, tenant, once)) {
        counts.get(objective.id()).record(resolution.at(), !resolution.failSafe());
      }
    }
  }

  private static <T> Supplier<T> memoised(Supplier<T> supplier) {
    Object[] value = new Object[1];
    return () -> {
      if (value[0] == null) {
        value[0] = supplier.get();
      }
      @SuppressWarnings("unchecked")
      T known = (T) value[0];
      return known;
    };
  }

  /** Every objective's state at the last evaluation, in configuration order. */
  public List<SloStatus> statuses() {
    return List.copyOf(statuses.values());
  }

  public Optional<SloStatus> status(String objectiveId) {
    return Optional.ofNullable(statuses.get(objectiveId));
  }

  /**
   * Evaluates every objective now and records the breaches that begin or end.
   *
   * @return the breach events recorded
   */
  public synchronized List<SloBreach> evaluate() {
    Instant now = clock.instant();
    List<SloBreach> recorded = new ArrayList<>();
    for (Objective objective : objectives) {
      SloStatus status = status(objective, now);
      Optional<String> open = breaches.get(objective.id());
      if (!status.judged()) {
        continue;
      }
      boolean met = met(objective, status);
      SloBreach.Measurement measurement =
          new SloBreach.Measurement(
              status.good(),
              status.total(),
              status.sli().orElseThrow(),
              status.burnRate().orElse(Double.NaN));
      SloBreach event = null;
      if (open.isEmpty() && !met) {
        String id = UUID.randomUUID().toString();
        event = new SloBreach.Began(objective, id, measurement, now, iris.sloBreach(id));
      } else if (open.isPresent() && met) {
        event =
            new SloBreach.Ended(
                objective, open.get(), measurement, now, iris.sloBreach(open.get()));
      }
      if (event != null && record(event)) {
        breaches.put(
            objective.id(),
            event instanceof SloBreach.Began ? Optional.of(event.breachId()) : Optional.empty());
        recorded.add(event);
      }
    }
    statuses = compute(now);
    return recorded;
  }

  private Map<String, SloStatus> compute(Instant now) {
    Map<String, SloStatus> computed = new LinkedHashMap<>();
    for (Objective objective : objectives) {
      computed.put(objective.id(), status(objective, now));
    }
    return computed;
  }

  private SloStatus status(Objective objective, Instant now) {
    Counts c = counts.get(objective.id()).at(now);
    OptionalDouble sli =
        c.total() == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) c.good() / c.total());
    OptionalDouble burn = OptionalDouble.empty();
    OptionalDouble budget = OptionalDouble.empty();
    if (objective.kind().hasBudget() && sli.isPresent()) {
      double rate = (1 - sli.getAsDouble()) / (1 - objective.target());
      burn = OptionalDouble.of(rate);
      budget = OptionalDouble.of(1 - rate);
    }
    return new SloStatus(
        objective,
        c.good(),
        c.total(),
        sli,
        burn,
        budget,
        c.total() >= objective.minEvents(),
        breaches.get(objective.id()),
        Optional.of(now));
  }

  private static boolean met(Objective objective, SloStatus status) {
    double sli = status.sli().orElseThrow();
    return objective.kind().hasBudget()
        ? sli >= objective.target()
        : objective.band().orElseThrow().contains(sli);
  }

  private boolean record(SloBreach event) {
    boolean recorded = log.appendOrLog(event);
    if (recorded) {
      LOG.info(() -> event.type() + " " + event.objective().id() + " " + event.measurement());
    }
    return recorded;
  }
}
