package io.arbiter.decision;

import io.arbiter.policy.Facts;
import java.util.Optional;

/**
 * What a recorded decision was evaluated on, without the rest of it: all a backtest needs to
 * evaluate a candidate policy over history.
 *
 * @param summary the decision as listed: id, time, model, recorded route and rule
 * @param tenant the tenant it was submitted for, which decides whether a candidate would govern it
 * @param facts the facts pinned at intake
 */
public record PinnedFacts(DecisionSummary summary, Optional<String> tenant, Facts facts) {

  /** The pinned facts of a whole decision read back. */
  public static PinnedFacts of(DecisionSummary summary, Decision decision) {
    return new PinnedFacts(summary, decision.request().tenant(), decision.facts());
  }
}
