package io.arbiter.decision;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Objects;

/**
 * How a decision that waited for humans was settled: the outcome that stands. Reported by the
 * review capability; a decision without one is still pending (or was automated).
 *
 * @param outcome an outcome of the routing policy's vocabulary
 * @param basis {@code consensus}, {@code adjudication} or {@code timeout}
 * @param overridesRecommendation whether it goes against the model's recommendation
 */
public record Resolution(Route outcome, String basis, Instant at, boolean overridesRecommendation) {

  /** The basis of an outcome the SLA's fail-safe applied. */
  public static final String TIMEOUT = "timeout";

  /** Whether the outcome is the SLA's fail-safe rather than a human verdict. */
  public boolean failSafe() {
    return TIMEOUT.equals(basis);
  }

  public Resolution {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(at, "at");
    if (!outcome.automated()) {
      throw new IllegalArgumentException("a resolution is an outcome, never review");
    }
  }
}
