package io.arbiter.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One person's judgement on a task: a reviewer's verdict or a lead's ruling.
 *
 * @param rules the policy rules the reviewer relied on
 * @param justification required when the outcome goes against the recommendation, and always in
 *     blind review (so that requiring it cannot reveal the recommendation)
 * @param sawRecommendation whether the reviewer was shown the model's output
 * @param startedAt when the reviewer claimed the task (for a ruling: when it awaited adjudication)
 */
public record Verdict(
    String reviewer,
    Outcome outcome,
    String reasonCode,
    List<String> rules,
    Optional<String> justification,
    boolean sawRecommendation,
    Instant startedAt,
    Instant at) {

  public Verdict {
    Objects.requireNonNull(reviewer, "reviewer");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reasonCode, "reasonCode");
    rules = List.copyOf(rules);
  }
}
