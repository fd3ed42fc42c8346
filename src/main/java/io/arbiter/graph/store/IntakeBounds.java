package io.arbiter.graph.store;

import java.time.Duration;
import java.util.Optional;

/**
 * How far intake may run ahead of the graph before it is held back: past {@code maxLagEvents}
 * records or {@code maxLag} of waiting not yet in the store, or past {@code maxJournalBytes} of
 * journal on disk, new decisions are refused ({@code 503 not-ready} with {@code Retry-After})
 * rather than let the lag, the memory that tracks it and the disk grow without limit. Events other
 * than decisions (reviewers' verdicts, claims) are still taken: they are few, and holding a
 * reviewer's verdict back helps nothing.
 *
 * @param maxJournalBytes 0 for no bound
 */
public record IntakeBounds(long maxLagEvents, Duration maxLag, long maxJournalBytes) {

  public IntakeBounds {
    if (maxLagEvents < 1 || maxLag.isNegative() || maxLag.isZero() || maxJournalBytes < 0) {
      throw new IllegalArgumentException("intake bounds must be positive");
    }
  }

  /** Why intake must wait now, if it must. */
  public Optional<String> exceeded(GraphRuntime runtime) {
    Projector projector = runtime.projector();
    long lagging = projector.lagRecords();
    if (lagging > maxLagEvents) {
      return Optional.of(
          "the graph store is "
              + lagging
              + " events behind the journal"
              + projector.failure().map(f -> " (" + f + ")").orElse(""));
    }
    Duration lag = projector.lag();
    if (lag.compareTo(maxLag) > 0) {
      return Optional.of(
          "the graph store lags the journal by "
              + lag.toSeconds()
              + " s"
              + projector.failure().map(f -> " (" + f + ")").orElse(""));
    }
    if (maxJournalBytes > 0 && runtime.journal().diskBytes() > maxJournalBytes) {
      return Optional.of("the journal has reached its configured size");
    }
    return Optional.empty();
  }
}
