package io.arbiter.replay;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The submission window [from, to) a backtest evaluates, at most {@code max} long: a backtest reads
 * every decision in it, so its cost grows with the window (a second a month on two cores at 100,000
 * decisions), and an unbounded one grew with the whole history. A bound left out is filled in:
 * {@code to} is now, {@code from} is {@code max} before {@code to}.
 */
public record BacktestWindow(Instant from, Instant to) {

  /** Requires {@code from} before {@code to}. */
  public BacktestWindow {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("a window must end after it starts");
    }
  }

  /**
   * @param max the longest window allowed; positive
   * @throws ProblemException {@code invalid-request} naming {@code to} when it is not after {@code
   *     from}, or {@code from} when the window is longer than {@code max}
   */
  public static BacktestWindow of(
      Optional<Instant> from, Optional<Instant> to, Instant now, Duration max) {
    Instant end = to.orElse(now);
    Instant start = from.orElse(end.minus(max));
    if (!start.isBefore(end)) {
      throw to.isPresent()
          ? invalid("to", "must be after from")
          : invalid("from", "must be before to, which is now when not given");
    }
    if (Duration.between(start, end).compareTo(max) > 0) {
      throw invalid(
          "from",
          "the window from "
              + start
              + " to "
              + end
              + " is longer than "
              + max
              + " (arbiter.backtest.max-window); backtest a shorter one, or several");
    }
    return new BacktestWindow(start, end);
  }

  private static ProblemException invalid(String field, String message) {
    return new ProblemException(
        ProblemType.INVALID_REQUEST,
        "The time range is not valid.",
        java.util.List.of(new FieldError(field, message)));
  }
}
