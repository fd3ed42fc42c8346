package io.arbiter.decision;

import io.arbiter.policy.Facts;
import io.arbiter.registry.ModelVersionRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated submission: what an AI system decided and on what.
 *
 * @param subject the integrator's own identifier of the case
 * @param context free-form facts about the case (amount, region, ...)
 * @param tenant the integrator's tenant (business unit, client) the decision is for, if any: it
 *     selects the policy version scoped to that tenant
 * @param extensions values of properties declared in ontology extensions, keyed as submitted (a
 *     full IRI or a prefixed name) to a plain value or a list of them; resolved and checked by
 *     {@link DecisionExtensions}, not seen by policies
 */
public record DecisionRequest(
    ModelVersionRef model,
    String subject,
    Map<String, FeatureValue> input,
    ModelOutput output,
    Map<String, Object> context,
    Optional<String> tenant,
    Map<String, Object> extensions) {

  public DecisionRequest {
    Objects.requireNonNull(tenant, "tenant");
    input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
    context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /** A request without extension values. */
  public DecisionRequest(
      ModelVersionRef model,
      String subject,
      Map<String, FeatureValue> input,
      ModelOutput output,
      Map<String, Object> context,
      Optional<String> tenant) {
    this(model, subject, input, output, context, tenant, Map.of());
  }

  /** A request without a tenant. */
  public DecisionRequest(
      ModelVersionRef model,
      String subject,
      Map<String, FeatureValue> input,
      ModelOutput output,
      Map<String, Object> context) {
    this(model, subject, input, output, context, Optional.empty());
  }

  /** The plain input values, as a policy sees them. */
  public Map<String, Object> inputValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    input.forEach((name, feature) -> values.put(name, feature.value()));
    return values;
  }

  /** This request without the named inputs. */
  public DecisionRequest withoutInputs(java.util.Collection<String> names) {
    if (names.isEmpty()) {
      return this;
    }
    Map<String, FeatureValue> kept = new LinkedHashMap<>(input);
    kept.keySet().removeAll(names);
    return new DecisionRequest(model, subject, kept, output, context, tenant, extensions);
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
