package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The nearest-rank percentile every review and HITL figure reports, at its edges. */
class LongSampleTest {

  /** 1..n, added in the order given by {@code step} (a permutation when coprime with n). */
  private static LongSample oneTo(int n, int step) {
    LongSample sample = new LongSample();
    for (int i = 0; i < n; i++) {
      sample.add((long) (i * step % n) + 1);
    }
    return sample;
  }

  @Test
  void percentile_ofNoValues_isAbsent() {
    assertNull(new LongSample().percentile(0.5));
    assertNull(new LongSample().percentile(0.95));
  }

  @Test
  void percentile_ofOneValue_isThatValue() {
    LongSample one = new LongSample();
    one.add(42);
    for (double q : new double[] {0, 0.5, 0.95, 1.0}) {
      assertEquals(42L, one.percentile(q), "q = " + q);
    }
  }

  @Test
  void percentile_isTheValueAtRankCeilOfQuantileTimesSize_inWhateverOrderAdded() {
    for (int step : new int[] {1, 3, 7}) {
      assertEquals(1L, oneTo(10, step).percentile(0)); // the first, not rank 0
      assertEquals(5L, oneTo(10, step).percentile(0.5)); // ceil(5) = 5
      assertEquals(10L, oneTo(10, step).percentile(0.95)); // ceil(9.5) = 10
      assertEquals(10L, oneTo(10, step).percentile(1.0));
      assertEquals(19L, oneTo(20, step).percentile(0.95)); // ceil(19) = 19, not 20
      assertEquals(95L, oneTo(100, step).percentile(0.95));
    }
    assertEquals(2L, oneTo(3, 1).percentile(0.5)); // ceil(1.5) = 2
    assertEquals(2L, oneTo(3, 2).percentile(0.5));
  }

  @Test
  void percentile_staysRight_asValuesKeepComing() {
    LongSample sample = oneTo(10, 3);
    assertEquals(5L, sample.percentile(0.5));
    sample.add(0); // out of order after a sort
    sample.add(0);
    assertEquals(12, sample.size());
    assertEquals(4L, sample.percentile(0.5)); // 0 0 1 2 3 4 …: the 6th
  }

  /** Selection, not a sort: every percentile as a sorted copy has it, asked in any order. */
  @Test
  void percentile_ofLargeUnsortedSamples_isThatOfTheSortedValues() {
    java.util.Random random = new java.util.Random(11);
    for (int bound : new int[] {2, 50, 100_000}) { // many repeats, some, hardly any
      for (int n : new int[] {17, 18, 1_000, 25_001}) {
        LongSample sample = new LongSample();
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
          copy[i] = random.nextInt(bound);
          sample.add(copy[i]);
        }
        java.util.Arrays.sort(copy);
        for (double q : new double[] {0.5, 0.95, 0, 0.25, 1.0, 0.99, 0.5, 0.01}) {
          int rank = Math.max(1, (int) Math.ceil(q * n));
          assertEquals(copy[rank - 1], sample.percentile(q), n + " below " + bound + ", q " + q);
        }
      }
    }
  }

  @Test
  void addAll_keepsTheOtherSampleAndCountsItsValues() {
    LongSample sample = oneTo(10, 3);
    LongSample other = oneTo(10, 7);
    sample.addAll(other);
    sample.addAll(new LongSample());
    assertEquals(20, sample.size());
    assertEquals(5L, sample.percentile(0.5)); // 1 1 2 2 … 5 5: the 10th
    assertEquals(10, other.size());
    assertEquals(5L, other.percentile(0.5));
  }

  @Test
  void aQuantileOutsideZeroToOne_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> oneTo(3, 1).percentile(1.5));
    assertThrows(IllegalArgumentException.class, () -> oneTo(3, 1).percentile(-0.1));
    assertThrows(IllegalArgumentException.class, () -> oneTo(3, 1).percentile(Double.NaN));
  }
}
