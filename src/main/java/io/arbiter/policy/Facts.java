package io.arbiter.policy;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a policy may look at, fixed at submission and recorded with the decision, so that
 * evaluating the same facts with the same policy version always gives the same answer.
 *
 * <p>Values are JSON-shaped Java values: {@link java.math.BigDecimal} for numbers, {@link String},
 * {@link Boolean}, {@link java.util.List} and {@link Map}; never {@code null}.
 *
 * @param input named feature values, as sent
 * @param context free-form request context (amount, region, ...)
 * @param drift the model version's drift as last assessed, derived by Arbiter at intake
 * @param modelRegistered whether the model version was registered at intake; a policy fails safe on
 *     a version that was not, so replay gives the same answer whatever is registered later
 */
public record Facts(
    String modelName,
    String modelVersion,
    Map<String, Object> input,
    String label,
    double score,
    double confidence,
    Map<String, Object> context,
    DriftFacts drift,
    boolean modelRegistered) {

  public Facts {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(drift, "drift");
    input = Map.copyOf(input);
    context = Map.copyOf(context);
  }

  /** Facts of a model version without drift figures (none registered or assessed). */
  public Facts(
      String modelName,
      String modelVersion,
      Map<String, Object> input,
      String label,
      double score,
      double confidence,
      Map<String, Object> context) {
    this(modelName, modelVersion, input, label, score, confidence, context, DriftFacts.NONE, true);
  }

  public Facts withDrift(DriftFacts drift) {
    return new Facts(
        modelName, modelVersion, input, label, score, confidence, context, drift, modelRegistered);
  }

  public Facts withModelRegistered(boolean registered) {
    return new Facts(
        modelName, modelVersion, input, label, score, confidence, context, drift, registered);
  }
}
