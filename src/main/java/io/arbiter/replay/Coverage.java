package io.arbiter.replay;

import java.util.List;
import java.util.Map;

/**
 * How a policy version's rules were used by the decisions it routed.
 *
 * @param matched decisions per guardrail or rule id, in document order, zeros included
 * @param neverMatched guardrails and rules no decision reached
 * @param reachedDefault decisions no rule matched
 * @param failedSafe decisions the version could not evaluate
 */
public record Coverage(
    String policyId,
    String version,
    long decisions,
    Map<String, Long> matched,
    List<String> neverMatched,
    long reachedDefault,
    long failedSafe) {

  public double defaultShare() {
    return decisions == 0 ? 0 : (double) reachedDefault / decisions;
  }
}
