package io.arbiter.slo;

import io.arbiter.decision.ContextMatch;
import io.arbiter.registry.ModelVersionRef;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which decisions an objective counts: those of a model, for a tenant, with a context value, where
 * given; {@link #ALL} counts every decision. A team states its own objective by scoping it, and its
 * breaches are then about its decisions alone.
 */
public record ObjectiveScope(
    Optional<String> model, Optional<String> tenant, Optional<ContextMatch> context) {

  public static final ObjectiveScope ALL =
      new ObjectiveScope(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Whether a decision is in scope; {@code context} is asked only when the scope names a context
   * value (a settled decision's context is read from the graph).
   */
  public boolean contains(
      ModelVersionRef decisionModel,
      Optional<String> decisionTenant,
      Supplier<Map<String, Object>> decisionContext) {
    return model.map(decisionModel.name()::equals).orElse(true)
        && tenant.map(t -> decisionTenant.filter(t::equals).isPresent()).orElse(true)
        && context.map(c -> c.matches(decisionContext.get())).orElse(true);
  }

  /**
   * Whether this scope is the one a status request names: each part given must be this scope's (an
   * objective for every model is not one team's), each part left out is not asked about.
   */
  public boolean selectedBy(
      Optional<String> model, Optional<String> tenant, Optional<ContextMatch> context) {
    return (model.isEmpty() || model.equals(this.model))
        && (tenant.isEmpty() || tenant.equals(this.tenant))
        && (context.isEmpty() || context.equals(this.context));
  }
}
