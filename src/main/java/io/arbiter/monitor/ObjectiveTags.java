package io.arbiter.monitor;

import io.arbiter.decision.ContextMatch;
import io.arbiter.slo.Objective;
import io.arbiter.slo.ObjectiveScope;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The tags of an objective's gauges: its id and its scope, so a team finds its own objectives on
 * {@code /metrics} by model, model version, tenant or context value as it does on {@code
 * /api/v1/slos}. The objectives file bounds the series (one per objective and gauge), whatever the
 * decisions say.
 *
 * <p>Every series of one metric carries the same tag names (Prometheus requires it), so a part the
 * scope leaves out is an empty value, which Prometheus reads as the label being absent: {@code
 * arbiter_slo_sli{model=""}} selects the objectives over every model.
 */
final class ObjectiveTags {

  private ObjectiveTags() {}

  /**
   * {@code objective}, {@code model}, {@code version}, {@code tenant}, {@code context_key}, {@code
   * context_value}.
   */
  static Tag[] of(Objective objective) {
    ObjectiveScope scope = objective.scope();
    return new Tag[] {
      new Tag("objective", objective.id()),
      new Tag("model", scope.model().orElse("")),
      new Tag("version", scope.modelVersion().orElse("")),
      new Tag("tenant", scope.tenant().orElse("")),
      new Tag("context_key", scope.context().map(ContextMatch::key).orElse("")),
      new Tag("context_value", scope.context().map(ContextMatch::value).orElse(""))
    };
  }
}
