package io.arbiter.slo;

import java.time.Duration;
import java.time.Instant;

/**
 * Good and total events over a sliding time window, in a fixed number of time buckets: recording is
 * constant time and memory stays constant whatever the rate. The window is approximate by at most
 * one bucket (a sixtieth of it). Thread-safe.
 */
final class EventCounts {

  static final int BUCKETS = 60;

  /** Good and total events in the window. */
  record Counts(long good, long total) {}

  private final long bucketMillis;
  private final long[] epochs = new long[BUCKETS + 1]; // which bucket period each slot holds
  private final long[] good = new long[BUCKETS + 1];
  private final long[] total = new long[BUCKETS + 1];

  EventCounts(Duration window) {
    bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    java.util.Arrays.fill(epochs, -1);
  }

  synchronized void record(Instant at, boolean isGood) {
    long epoch = at.toEpochMilli() / bucketMillis;
    int slot = (int) Math.floorMod(epoch, (long) epochs.length);
    if (epoch < epochs[slot]) {
      return; // older than the window the slot now holds (a late event, a clock stepped back)
    }
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      good[slot] = 0;
      total[slot] = 0;
    }
    total[slot]++;
    if (isGood) {
      good[slot]++;
    }
  }

  /** The counts of the buckets within the window ending at {@code now}. */
  synchronized Counts at(Instant now) {
    long current = now.toEpochMilli() / bucketMillis;
    long g = 0;
    long t = 0;
    for (int slot = 0; slot < epochs.length; slot++) {
      long age = current - epochs[slot];
      if (epochs[slot] >= 0 && age >= 0 && age < BUCKETS) {
        g += good[slot];
        t += total[slot];
      }
    }
    return new Counts(g, t);
  }
}
