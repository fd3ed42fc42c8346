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

  /** Adds every value of {@code other}, which is only read. */
  public void addAll(LongSample other) {
    if (other.size == 0) {
      return;
    }
    if (size + other.size > values.length) {
      values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
    }
    sorted &= other.sorted && (size == 0 || values[size - 1] <= other.values[0]);
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
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
    int index = Math.max(0, (int) Math.ceil(quantile * size) - 1);
    return sorted ? values[index] : select(index);
  }

  /**
   * The value that would be at {@code index} were the values sorted, found without sorting them
   * all: a month's figures ask two percentiles of samples of 25,000 values, and sorting them was
   * most of the figures' time (ReviewMetricsBench). Quickselect with a three-way partition (time
   * values repeat a lot), and a sort of what is left should the partitions keep coming out
   * lopsided, so the worst case stays that of a sort.
   */
  private long select(int index) {
    int lo = 0;
    int hi = size - 1;
    int rounds = 2 * (32 - Integer.numberOfLeadingZeros(size)) + 8;
    while (hi - lo > 16) {
      if (rounds-- == 0) {
        break;
      }
      long pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
      int below = lo; // values[lo, below) < pivot
      int at = lo; // values[below, at) == pivot
      int above = hi; // values(above, hi] > pivot
      while (at <= above) {
        long value = values[at];
        if (value < pivot) {
          values[at++] = values[below];
          values[below++] = value;
        } else if (value > pivot) {
          values[at] = values[above];
          values[above--] = value;
        } else {
          at++;
        }
      }
      if (index < below) {
        hi = below - 1;
      } else if (index > above) {
        lo = above + 1;
      } else {
        return pivot;
      }
    }
    Arrays.sort(values, lo, hi + 1);
    return values[index];
  }

  private static long medianOfThree(long a, long b, long c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
