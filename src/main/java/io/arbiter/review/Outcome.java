package io.arbiter.review;

import java.util.Locale;
import java.util.Optional;

/** What a human decided: the case is approved or rejected. */
public enum Outcome {
  APPROVE,
  REJECT;

  /** Computed once: review metrics compare it with every verdict's recommendation. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The automated route with the same effect. */
  public io.arbiter.policy.Route route() {
    return this == APPROVE ? io.arbiter.policy.Route.APPROVE : io.arbiter.policy.Route.REJECT;
  }

  /** The outcome with the same effect as an automated route; review is none. */
  public static Outcome of(io.arbiter.policy.Route route) {
    return switch (route) {
      case APPROVE -> APPROVE;
      case REJECT -> REJECT;
      case REVIEW -> throw new IllegalArgumentException("review is not an outcome");
    };
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Outcome> fromWireName(String name) {
    for (Outcome outcome : values()) {
      if (outcome.wireName().equals(name)) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether this outcome goes against a recommendation (a model's label, or an automated route). A
   * recommendation that is neither approve nor reject is gone against by every outcome: the human
   * did not follow it either way.
   */
  public boolean goesAgainst(String recommendation) {
    return !wireName().equalsIgnoreCase(recommendation);
  }
}
