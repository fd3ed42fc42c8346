package io.arbiter.decision;

import io.arbiter.policy.Facts;
import io.arbiter.registry.ModelVersionRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated submission: what an AI system decided and on what.
 *
 * @param subject the integrator's own identifier of the case
 * @param context free-form facts about the case (amount, region, ...)
 */
public record DecisionRequest(
    ModelVersionRef model,
    String subject,
    Map<String, FeatureValue> input,
    ModelOutput output,
    Map<String, Object> context) {

  public DecisionRequest {
    input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
    context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
  }

  /** The plain input values, as a policy sees them. */
  public Map<String, Object> inputValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    input.forEach((name, feature) -> values.put(name, feature.value()));
    return values;
  }

  /** The facts a policy evaluates: everything here but the case id and the explanation. */
  public Facts facts() {
    return new Facts(
        model.name(),
        model.version(),
        inputValues(),
        output.label(),
        output.score(),
        output.confidence(),
        context);
  }
}
