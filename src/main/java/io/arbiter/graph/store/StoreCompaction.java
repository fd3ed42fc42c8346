package io.arbiter.graph.store;

import io.arbiter.journal.JournalRecord;
import java.util.List;

/**
 * One compaction of a store, done beside the projection instead of in its way: the store as it
 * stands is copied into a new generation (only live data, in the layout configured now) while the
 * projector goes on writing to the current one; the records projected meanwhile are applied to the
 * copy from the journal; then, with the projector held between two batches for the last few
 * records, the copy becomes the store. The journal is what makes this possible: the copy needs no
 * lock on the store, only a watermark to catch up from. {@link Compactor} drives the steps.
 *
 * <p>Closing a compaction that did not switch over abandons it and deletes the copy.
 */
public interface StoreCompaction extends AutoCloseable {

  /**
   * Copies a snapshot of the current generation into the new one (slow: every quad); the projector
   * may write to the current generation meanwhile.
   *
   * @return the watermark the copy holds: records {@code 0 .. watermark - 1}
   */
  long copy();

  /** Applies records to the copy, which must continue it exactly (as {@link ProvStore#project}). */
  void apply(List<JournalRecord> records);

  /** How many journal records the copy holds. */
  long projected();

  /**
   * Makes the copy the store: readers and the projector use it from now on; readers already running
   * finish on the old generation. Called with the projector held, once the copy holds all it has
   * projected.
   */
  void switchOver();

  /**
   * Waits until no reader uses the old generation any more, then deletes it. Called after {@link
   * #switchOver}, on a thread that may wait (a long export holds the old generation until it ends).
   */
  void releaseOld();

  /**
   * Stops a copy or catch-up under way, from another thread (the server stopping): the step under
   * way soon throws {@link java.util.concurrent.CancellationException}, and {@link #close} then
   * deletes the copy. The store stays as it was.
   */
  void cancel();

  @Override
  void close();
}
