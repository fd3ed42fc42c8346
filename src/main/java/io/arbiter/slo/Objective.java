package io.arbiter.slo;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One service-level objective.
 *
 * @param target for ratio objectives, the share of good events required (e.g. 0.99)
 * @param latency for {@link Kind#AUTOMATED_LATENCY}, the most a good decision may take
 * @param band for {@link Kind#ESCALATION_RATE}, the range the rate must stay in
 * @param window how far back events count
 * @param minEvents fewer events in the window than this are not judged: no breach begins or ends
 * @param scope the decisions it counts
 */
public record Objective(
    String id,
    String description,
    Kind kind,
    double target,
    Optional<Duration> latency,
    Optional<Band> band,
    Duration window,
    int minEvents,
    ObjectiveScope scope) {

  /** An objective over every decision. */
  public Objective(
      String id,
      String description,
      Kind kind,
      double target,
      Optional<Duration> latency,
      Optional<Band> band,
      Duration window,
      int minEvents) {
    this(id, description, kind, target, latency, band, window, minEvents, ObjectiveScope.ALL);
  }

  /** What an objective measures. */
  public enum Kind {
    /** Share of automated decisions recorded within {@code latency} of their submission. */
    AUTOMATED_LATENCY,
    /** Share of settled escalations settled by humans before their deadline (not timed out). */
    REVIEWS_WITHIN_SLA,
    /** Share of decisions routed to human review, which must stay within a band. */
    ESCALATION_RATE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Kind> fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(name)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }

    /** Whether the objective is a share of good events with an error budget (not a band). */
    public boolean hasBudget() {
      return this != ESCALATION_RATE;
    }
  }

  /** An inclusive range of a rate. */
  public record Band(double min, double max) {
    public boolean contains(double value) {
      return value >= min && value <= max;
    }
  }

  public Objective {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(scope, "scope");
  }
}
