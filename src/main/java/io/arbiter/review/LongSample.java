package io.arbiter.review;

import java.util.Arrays;

/**
 * Whole numbers (seconds, milliseconds) gathered for their percentiles, unboxed: a month's window
 * holds 100,000 of them, and sorting boxed values was a fifth of the HITL figures' time. The one
 * percentile rule of the review and HITL figures is here ({@link #percentile}).
 */
public final class LongSample {

  private long[] values = new long[16];
  private int size;
  private boolean sorted = true;

  public void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    sorted &= size == 0 || values[size - 1] <= value;
    values[size++] = value;
  }

  public int size() {
    return size;
  }

  /**
   * The nearest-rank percentile: the smallest value that at least {@code quantile} of the values
   * are at or below, the {@code ceil(quantile * size)}-th in order counting from one (the first for
   * quantile 0); null when there are none.
   *
   * @throws IllegalArgumentException unless {@code 0 <= quantile <= 1}
   */
  public Long percentile(double quantile) {
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("a quantile is between 0 and 1: " + quantile);
    }
    if (size == 0) {
      return null;
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(quantile * size);
    return values[Math.max(0, rank - 1)];
  }
}
