package io.arbiter.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * A compiled guardrail or rule condition. Run only once the declared inputs it reads are known to
 * be present (CompiledPolicy checks them first).
 */
interface Condition {

  /**
   * The value of the condition: {@link Boolean#TRUE} or {@link Boolean#FALSE} for a well-formed
   * condition; anything else is an error.
   *
   * @throws CelEvaluationException a run-time error (a missing context key, ...)
   */
  Object evaluate(FactValues values) throws CelEvaluationException;

  /** A condition run by CEL's interpreter: any condition that type-checked. */
  static Condition interpreted(CelRuntime.Program program) {
    return program::eval;
  }
}
