package io.arbiter.graph.store;

/**
 * When to compact the store. TDB2 copies every block a commit touches, so under load the files grow
 * by megabytes per commit whatever the data; compaction rewrites only live data. The compactor
 * looks at the size on disk every {@code checkEveryCommits} store transactions — and at least every
 * {@link #LOOK_INTERVAL} while the store takes any, since under load one transaction applies
 * thousands of records — and compacts once it exceeds both {@code minBytes} and {@code factor}
 * times the size the last compaction left.
 */
public final class CompactionPolicy {

  private final int checkEveryCommits;
  private final long minBytes;
  private final double factor;
  private long lastCompacted;

  /**
   * @param checkEveryCommits how often to look at the size (0 disables compaction)
   * @param minBytes never compact a store smaller than this
   * @param factor compact when the store is this many times its size after the last compaction
   */
  public CompactionPolicy(int checkEveryCommits, long minBytes, double factor) {
    if (checkEveryCommits < 0 || minBytes < 0 || factor < 1) {
      throw new IllegalArgumentException(
          "compaction settings must be non-negative, factor at least 1");
    }
    this.checkEveryCommits = checkEveryCommits == 0 ? Integer.MAX_VALUE : checkEveryCommits;
    this.minBytes = minBytes;
    this.factor = factor;
  }

  /** Never compacts. */
  public static CompactionPolicy never() {
    return new CompactionPolicy(0, 0, 1);
  }

  /**
   * At most this long between looks while the store takes transactions: with 200 transactions
   * between looks and 1,000 records in each (a lagging projector's batches), a 9 GB store was first
   * looked at, and copied, only after 100,000 records.
   */
  static final java.time.Duration LOOK_INTERVAL = java.time.Duration.ofSeconds(10);

  /** Whether to look at the size, after this many store transactions over this time. */
  boolean lookNow(long commitsSinceLook, long nanosSinceLook) {
    if (checkEveryCommits == Integer.MAX_VALUE || commitsSinceLook == 0) {
      return false; // compaction disabled, or nothing written since the last look
    }
    return commitsSinceLook >= checkEveryCommits || nanosSinceLook >= LOOK_INTERVAL.toNanos();
  }

  boolean due(long bytes) {
    return bytes > minBytes && bytes > factor * lastCompacted;
  }

  /**
   * Whether a due compaction may still wait for a quiet moment: until the store has grown to twice
   * the size that made it due ({@code 2 × factor} times what the last compaction left).
   */
  boolean canWait(long bytes) {
    return bytes < 2 * factor * Math.max(lastCompacted, minBytes / factor);
  }

  void compacted(long bytes) {
    lastCompacted = bytes;
  }

  /**
   * The size of the store as this process opened it: what the last compaction left is unknown, and
   * at most this. Without it a restart would find every store above {@code minBytes} "due", and
   * compact it — minutes on a large store, with the projection (and intake, held back by the lag)
   * waiting — shortly after every start.
   */
  void opened(long bytes) {
    lastCompacted = Math.max(lastCompacted, bytes);
  }
}
