package io.arbiter.jobs;

import java.util.concurrent.CancellationException;

/**
 * What a report tells its job as it goes, and how it learns that the job was cancelled. Report
 * loops call {@link #advance} once per unit of work (a decision evaluated, a journal record
 * checked, a query answered): the call is cheap (a counter and a flag), and it is where a cancelled
 * job stops, by the {@link CancellationException} it throws. Threads are never interrupted instead:
 * an interrupt closes a TDB2 file channel under the store's feet.
 */
public interface Progress {

  /** For a report nobody watches (a synchronous request): counts nothing, is never cancelled. */
  Progress NONE =
      new Progress() {
        @Override
        public void total(long total) {}

        @Override
        public void advance(long units) {}
      };

  /**
   * How many units the whole report takes, once the report knows it. Requires {@code total >= 0}.
   */
  void total(long total);

  /**
   * {@code units} more are done ({@code 0} only checks for a cancellation).
   *
   * @throws CancellationException the job was cancelled: stop, and let it propagate
   */
  void advance(long units);
}
