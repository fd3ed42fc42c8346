package io.arbiter.replay;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a candidate policy version would have done to recorded decisions.
 *
 * @param evaluated decisions in range that the candidate's scope covers
 * @param changedByRoutePair changed decisions by {@code recorded→candidate} route
 * @param changedByRule changed decisions by the candidate rule that decided them
 * @param escalationBefore share of evaluated decisions that went to human review
 * @param escalationAfter share that would go to human review under the candidate
 * @param changes one page of the changed decisions, newest first
 * @param nextOffset where the next page of changes starts, if there is one
 */
public record BacktestReport(
    String policyId,
    String version,
    Optional<Instant> from,
    Optional<Instant> to,
    long evaluated,
    long changed,
    Map<String, Long> changedByRoutePair,
    Map<String, Long> changedByRule,
    double escalationBefore,
    double escalationAfter,
    List<Change> changes,
    Optional<Long> nextOffset) {

  /** One decision whose route the candidate changes. */
  public record Change(
      String decisionId,
      Instant submittedAt,
      Route recordedRoute,
      Optional<String> recordedRule,
      Route candidateRoute,
      Optional<String> candidateRule) {}
}
