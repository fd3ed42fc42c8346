package io.arbiter.slo;

import io.arbiter.decision.ContextMatch;
import io.arbiter.registry.ModelVersionRef;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which decisions an objective counts: those of a model (and one version of it), for a tenant, with
 * a context value, where given; {@link #ALL} counts every decision. A team states its own objective
 * by scoping it, and its breaches are then about its decisions alone.
 *
 * @param modelVersion only with {@code model}
 */
public record ObjectiveScope(
    Optional<String> model,
    Optional<String> modelVersion,
    Optional<String> tenant,
    Optional<ContextMatch> context) {

  public static final ObjectiveScope ALL =
      new ObjectiveScope(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public ObjectiveScope {
    if (modelVersion.isPresent() && model.isEmpty()) {
      throw new IllegalArgumentException("a model version is scoped with its model");
    }
  }

  /**
   * Whether a decision is in scope; {@code context} is asked only when the scope names a context
   * value (a settled decision's context is read from the graph).
   */
  public boolean contains(
      ModelVersionRef decisionModel,
      Optional<String> decisionTenant,
      Supplier<Map<String, Object>> decisionContext) {
    return model.map(decisionModel.name()::equals).orElse(true)
        && modelVersion.map(decisionModel.version()::equals).orElse(true)
        && tenant.map(t -> decisionTenant.filter(t::equals).isPresent()).orElse(true)
        && context.map(c -> c.matches(decisionContext.get())).orElse(true);
  }

  /**
   * Whether this scope is the one a status request names: each part given must be this scope's (an
   * objective for every model is not one team's), each part left out is not asked about.
   */
  public boolean selectedBy(
      Optional<String> model,
      Optional<String> modelVersion,
      Optional<String> tenant,
      Optional<ContextMatch> context) {
    return (model.isEmpty() || model.equals(this.model))
        && (modelVersion.isEmpty() || modelVersion.equals(this.modelVersion))
        && (tenant.isEmpty() || tenant.equals(this.tenant))
        && (context.isEmpty() || context.equals(this.context));
  }
}
