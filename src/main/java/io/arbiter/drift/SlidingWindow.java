package io.arbiter.drift;

/**
 * The buckets of the last {@code capacity} live values of one input, with a running count per
 * bucket: adding a value is constant time, whatever the window's size. Not thread-safe; its owner
 * guards it.
 */
final class SlidingWindow {

  private final int[] ring;
  private final long[] counts;
  private int size;
  private int next;

  SlidingWindow(int capacity, int buckets) {
    if (capacity < 1) {
      throw new IllegalArgumentException("window capacity must be positive");
    }
    ring = new int[capacity];
    counts = new long[buckets];
  }

  /** Adds a value's bucket, forgetting the oldest once the window is full. */
  void add(int bucket) {
    if (size == ring.length) {
      counts[ring[next]]--;
    } else {
      size++;
    }
    ring[next] = bucket;
    counts[bucket]++;
    next = next + 1 == ring.length ? 0 : next + 1;
  }

  int size() {
    return size;
  }

  /** A copy of the count per bucket. */
  long[] counts() {
    return counts.clone();
  }
}
