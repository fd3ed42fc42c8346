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

  /**
   * A condition run by CEL's interpreter: any condition that type-checked. CEL has no deadline of
   * its own; its evaluation listener, called after each sub-expression, gives up once {@code
   * deadlineNanos} have passed, which CompiledPolicy turns into a fail-safe review.
   */
  static Condition interpreted(CelRuntime.Program program, long deadlineNanos) {
    return values -> {
      long started = System.nanoTime();
      return program.trace(
          values,
          (expr, result) -> {
            if (System.nanoTime() - started > deadlineNanos) {
              throw new DeadlineExceeded(deadlineNanos);
            }
          });
    };
  }

  /** A condition ran past its evaluation deadline and was abandoned. */
  final class DeadlineExceeded extends RuntimeException {

    DeadlineExceeded(long deadlineNanos) {
      super(
          "evaluation ran past its deadline of "
              + java.time.Duration.ofNanos(deadlineNanos).toMillis()
              + " ms",
          null,
          false,
          false);
    }
  }
}
