package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The nearest-rank percentile every review and HITL figure reports, at its edges. */
class ReviewMetricsTest {

  private static List<Long> oneTo(int n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void percentile_ofNoValues_isAbsent() {
    assertNull(ReviewMetrics.percentile(List.of(), 0.5));
    assertNull(ReviewMetrics.percentile(List.of(), 0.95));
  }

  @Test
  void percentile_ofOneValue_isThatValue() {
    for (double q : new double[] {0, 0.5, 0.95, 1.0}) {
      assertEquals(42L, ReviewMetrics.percentile(List.of(42L), q), "q = " + q);
    }
  }

  @Test
  void percentile_isTheValueAtRankCeilOfQuantileTimesSize() {
    assertEquals(1L, ReviewMetrics.percentile(oneTo(10), 0)); // the first, not rank 0
    assertEquals(5L, ReviewMetrics.percentile(oneTo(10), 0.5)); // ceil(5) = 5
    assertEquals(10L, ReviewMetrics.percentile(oneTo(10), 0.95)); // ceil(9.5) = 10
    assertEquals(10L, ReviewMetrics.percentile(oneTo(10), 1.0));
    assertEquals(2L, ReviewMetrics.percentile(oneTo(3), 0.5)); // ceil(1.5) = 2
    assertEquals(19L, ReviewMetrics.percentile(oneTo(20), 0.95)); // ceil(19) = 19, not 20
    assertEquals(95L, ReviewMetrics.percentile(oneTo(100), 0.95));
  }

  @Test
  void nearestRank_isAZeroBasedIndexWithinTheValues() {
    assertEquals(0, ReviewMetrics.nearestRank(0, 1));
    assertEquals(0, ReviewMetrics.nearestRank(1.0, 1));
    assertEquals(0, ReviewMetrics.nearestRank(0.5, 2));
    assertEquals(1, ReviewMetrics.nearestRank(0.95, 2));
    assertEquals(999, ReviewMetrics.nearestRank(1.0, 1000));
  }
}
