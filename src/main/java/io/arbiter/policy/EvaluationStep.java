package io.arbiter.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * One line of an evaluation trace: a guardrail or rule that was tested, and what came of it.
 *
 * @param detail why it errored, or what a rule that also applies to the review changed; empty for a
 *     plain match or miss
 */
public record EvaluationStep(
    String ruleId, RuleKind kind, Outcome outcome, Optional<String> detail) {

  /**
   * What testing one condition gave. {@code ALSO_APPLIES} follows the step that decided a review: a
   * later guardrail or rule routing to review that matched too (or could not be evaluated, so
   * applies as a precaution), whose stricter review settings were taken; its detail says which.
   */
  public enum Outcome {
    MATCHED,
    NOT_MATCHED,
    ERROR,
    ALSO_APPLIES;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
