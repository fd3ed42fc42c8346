package io.arbiter.graph.store;

/**
 * When to compact the store. TDB2 copies every block a commit touches, so under load the files grow
 * by megabytes per commit whatever the data; compaction rewrites only live data. The writer checks
 * the size on disk every {@code checkEveryCommits} commits and compacts once it exceeds both {@code
 * minBytes} and {@code factor} times the size the last compaction left.
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

  int checkEveryCommits() {
    return checkEveryCommits;
  }

  boolean due(long bytes) {
    return bytes > minBytes && bytes > factor * lastCompacted;
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
