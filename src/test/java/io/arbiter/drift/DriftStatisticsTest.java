package io.arbiter.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PSI and KS against figures worked out by hand; buckets and windows at their edges. */
class DriftStatisticsTest {

  @Test
  void psiAndKsOfAShiftedWindow() {
    double[] expected = {0.5, 0.5};
    long[] counts = {80, 20};
    // 0.3 ln(0.8/0.5) + (-0.3) ln(0.2/0.5)
    assertEquals(0.415888, DriftStatistics.psi(expected, counts), 1e-6);
    assertEquals(0.3, DriftStatistics.ks(expected, counts), 1e-12);
  }

  @Test
  void aWindowLikeTheReferenceHasNoDrift() {
    double[] expected = {0.2, 0.3, 0.5};
    long[] counts = {20, 30, 50};
    assertEquals(0, DriftStatistics.psi(expected, counts), 1e-12);
    assertEquals(0, DriftStatistics.ks(expected, counts), 1e-12);
  }

  @Test
  void anEmptyReferenceBucketCountsAsTheFloorNotInfinity() {
    double[] expected = {0.5, 0.5, 0};
    long[] counts = {50, 40, 10};
    // 0 + (-0.1) ln(0.8) + (0.1 - 1e-4) ln(0.1 / 1e-4) = 0.0223144 + 0.6900848
    assertEquals(0.712399, DriftStatistics.psi(expected, counts), 1e-6);
  }

  @Test
  void histogramBinsAreClosedBelowAndOpenEndedOutside() {
    var bucketer =
        new Distribution.Histogram(List.of(0.0, 10.0, 20.0, 30.0), List.of(1.0, 1.0, 2.0))
            .bucketer();
    assertEquals(0, bucketer.bucket(-5.0));
    assertEquals(0, bucketer.bucket(0.0));
    assertEquals(0, bucketer.bucket(9.99));
    assertEquals(1, bucketer.bucket(new BigDecimal("10")));
    assertEquals(2, bucketer.bucket(20.0));
    assertEquals(2, bucketer.bucket(30.0));
    assertEquals(2, bucketer.bucket(1e9));
    assertEquals(-1, bucketer.bucket("ten"));
    assertEquals(-1, bucketer.bucket(Double.NaN));
    assertArrayEquals(
        new double[] {0.25, 0.25, 0.5},
        new Distribution.Histogram(List.of(0.0, 10.0, 20.0, 30.0), List.of(1.0, 1.0, 2.0))
            .expected(),
        1e-12);
  }

  @Test
  void unseenCategoriesShareABucketTheReferenceGivesNothing() {
    var categorical = new Distribution.Categorical(Map.of("US", 1.0, "EU", 3.0));
    var bucketer = categorical.bucketer();
    assertEquals(0, bucketer.bucket("EU"));
    assertEquals(1, bucketer.bucket("US"));
    assertEquals(2, bucketer.bucket("APAC"));
    assertEquals(2, bucketer.bucket(Boolean.TRUE));
    assertArrayEquals(new double[] {0.75, 0.25, 0}, categorical.expected(), 1e-12);
    var numbers = new Distribution.Categorical(Map.of("3", 1.0, "1.50", 1.0)).bucketer();
    assertEquals(1, numbers.bucket(new BigDecimal("3.0")), "3.0 is the category 3");
    assertEquals(0, numbers.bucket(new BigDecimal("1.5")), "the reference's 1.50 is 1.5");
    assertEquals(0, numbers.bucket("1.5"));
  }

  @Test
  void aFullWindowForgetsItsOldestValue() {
    SlidingWindow window = new SlidingWindow(3, 2);
    window.add(0);
    window.add(0);
    window.add(1);
    assertArrayEquals(new long[] {2, 1}, window.counts());
    window.add(1);
    assertArrayEquals(new long[] {1, 2}, window.counts());
    window.add(1);
    window.add(1);
    assertArrayEquals(new long[] {0, 3}, window.counts());
    assertEquals(3, window.size());
  }
}
