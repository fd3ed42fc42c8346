package io.arbiter.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * One line of an evaluation trace: a guardrail or rule that was tested, and what came of it.
 *
 * @param detail why it errored; empty for a plain match or miss
 */
public record EvaluationStep(
    String ruleId, RuleKind kind, Outcome outcome, Optional<String> detail) {

  /** What testing one condition gave. */
  public enum Outcome {
    MATCHED,
    NOT_MATCHED,
    ERROR;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
