package io.arbiter.decision;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the model said.
 *
 * @param label the model's recommendation, e.g. {@code approve}
 * @param score the model's raw score
 * @param confidence the model's confidence, from 0 to 1
 * @param explanation feature attributions (feature name to weight); may be empty
 */
public record ModelOutput(
    String label, double score, double confidence, Map<String, BigDecimal> explanation) {
  public ModelOutput {
    Objects.requireNonNull(label, "label");
    explanation = Collections.unmodifiableMap(new LinkedHashMap<>(explanation));
  }
}
