package io.arbiter.review;

import java.time.Instant;
import java.util.Objects;

/**
 * How a task ended.
 *
 * @param overridesRecommendation whether the outcome goes against the model's recommendation (for a
 *     QA review: against the automated route)
 */
public record Settlement(
    Outcome outcome, Basis basis, Instant at, boolean overridesRecommendation) {

  /** What settled it. */
  public enum Basis {
    /** Every needed reviewer gave the same verdict. */
    CONSENSUS,
    /** The reviewers disagreed and a lead reviewer ruled. */
    ADJUDICATION,
    /** The SLA ran out and the fail-safe outcome was applied. */
    TIMEOUT;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Basis> fromWireName(String name) {
      for (Basis basis : values()) {
        if (basis.wireName().equals(name)) {
          return java.util.Optional.of(basis);
        }
      }
      return java.util.Optional.empty();
    }
  }

  public Settlement {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(at, "at");
  }
}
