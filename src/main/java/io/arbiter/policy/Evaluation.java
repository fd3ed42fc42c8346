package io.arbiter.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of evaluating a policy on a decision's facts.
 *
 * @param ruleId the guardrail or rule that matched, {@code default}, or for a fail-safe the rule
 *     whose evaluation failed (empty when no rule was evaluated: no policy governed the decision,
 *     or it failed safe before any rule, for its model version or a missing required input)
 * @param review present exactly when the route is {@link Route#REVIEW}
 * @param trace every condition tested, in order
 * @param failure why evaluation could not be completed; present exactly for {@link
 *     RuleKind#FAIL_SAFE}
 */
public record Evaluation(
    Route route,
    RuleKind kind,
    Optional<String> ruleId,
    Optional<ReviewSettings> review,
    List<EvaluationStep> trace,
    Optional<String> failure) {

  public Evaluation {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(kind, "kind");
    trace = List.copyOf(trace);
    if (review.isPresent() != Route.REVIEW.equals(route)) {
      throw new IllegalArgumentException("review settings go with the review route only");
    }
    if (failure.isPresent() != (kind == RuleKind.FAIL_SAFE)) {
      throw new IllegalArgumentException("a failure is recorded exactly for fail-safe evaluations");
    }
  }

  /** Sends a decision to humans because the policy could not be evaluated for it. */
  public static Evaluation failSafe(
      ReviewSettings review, Optional<String> ruleId, List<EvaluationStep> trace, String failure) {
    return new Evaluation(
        Route.REVIEW, RuleKind.FAIL_SAFE, ruleId, Optional.of(review), trace, Optional.of(failure));
  }
}
