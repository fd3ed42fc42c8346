package io.arbiter.policy;

import java.util.Locale;

/** Which part of a policy decided: a guardrail, a rule, the default, or the fail-safe. */
public enum RuleKind {
  GUARDRAIL,
  RULE,
  DEFAULT,
  /**
   * Evaluation could not be completed (missing input, run-time error, no policy): sent to humans.
   */
  FAIL_SAFE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
