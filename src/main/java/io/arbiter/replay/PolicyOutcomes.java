package io.arbiter.replay;

import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Aggregates over recorded routings, answered by the graph in one pass each. */
public interface PolicyOutcomes {

  /** A decision a shadow version evaluated: what was applied beside what the shadow said. */
  record ShadowOutcome(
      String decisionId,
      Instant submittedAt,
      Route route,
      Optional<String> ruleId,
      Route shadowRoute,
      Optional<String> shadowRuleId) {}

  /** How many decisions a version routed by one rule (or the default, or a fail-safe). */
  record RuleCount(RuleKind kind, Optional<String> ruleId, long decisions) {}

  /** Every decision the version evaluated in shadow, newest first. */
  void forEachShadowOutcome(String policyId, String version, Consumer<ShadowOutcome> sink);

  /** Decisions the version routed (applied, not shadow), by the rule that decided. */
  List<RuleCount> ruleCounts(String policyId, String version);
}
