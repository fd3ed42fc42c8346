package io.arbiter.review;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A verdict or ruling as a reviewer submits it; the service checks it against the task's policy.
 *
 * @param rules ids of the policy rules the reviewer relied on
 */
public record VerdictRequest(
    Outcome outcome, String reasonCode, List<String> rules, Optional<String> justification) {

  /** Longest justification kept, in characters. */
  public static final int MAX_JUSTIFICATION = 4000;

  public VerdictRequest {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reasonCode, "reasonCode");
    rules = List.copyOf(rules);
    justification = justification.map(String::strip).filter(j -> !j.isEmpty());
  }

  /** This request citing {@code ruleIds} instead (a blind reviewer's aliases, resolved). */
  public VerdictRequest citing(List<String> ruleIds) {
    return new VerdictRequest(outcome, reasonCode, ruleIds, justification);
  }

  /** The verdict this request makes, given by {@code reviewer} at {@code at}. */
  public Verdict by(
      String reviewer,
      boolean sawRecommendation,
      java.time.Instant startedAt,
      java.time.Instant at) {
    return new Verdict(
        reviewer, outcome, reasonCode, rules, justification, sawRecommendation, startedAt, at);
  }
}
