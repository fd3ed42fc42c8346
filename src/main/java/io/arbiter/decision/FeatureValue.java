package io.arbiter.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * One named input of a decision.
 *
 * @param value a JSON-shaped value (never {@code null})
 * @param source where the value came from, as the integrator names it (a system, a table column)
 */
public record FeatureValue(Object value, Optional<String> source) {
  public FeatureValue {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }
}
