package io.arbiter.replay;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** Shadow evaluations as recorded, answered by the graph in one pass. */
public interface PolicyOutcomes {

  /** A decision a shadow version evaluated: what was applied beside what the shadow said. */
  record ShadowOutcome(
      String decisionId,
      Instant submittedAt,
      Route route,
      Optional<String> ruleId,
      Route shadowRoute,
      Optional<String> shadowRuleId) {}

  /** Every decision the version evaluated in shadow, newest first. */
  void forEachShadowOutcome(String policyId, String version, Consumer<ShadowOutcome> sink);
}
