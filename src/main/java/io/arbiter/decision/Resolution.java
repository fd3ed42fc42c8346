package io.arbiter.decision;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Objects;

/**
 * How a decision that waited for humans was settled: the outcome that stands. Reported by the
 * review capability; a decision without one is still pending (or was automated).
 *
 * @param outcome approve or reject
 * @param basis {@code consensus}, {@code adjudication} or {@code timeout}
 * @param failSafe whether the outcome is the SLA's fail-safe rather than a human verdict
 * @param overridesRecommendation whether it goes against the model's recommendation
 */
public record Resolution(
    Route outcome, String basis, Instant at, boolean failSafe, boolean overridesRecommendation) {

  public Resolution {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(at, "at");
    if (!outcome.automated()) {
      throw new IllegalArgumentException("a resolution approves or rejects");
    }
  }
}
