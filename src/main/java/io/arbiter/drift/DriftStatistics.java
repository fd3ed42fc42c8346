package io.arbiter.drift;

/** The drift statistics of a window's bucket counts against a reference's shares. */
final class DriftStatistics {

  /**
   * Shares below this count as this in PSI, so that an empty bucket on either side gives a large
   * but finite term rather than infinity (the usual treatment).
   */
  static final double SHARE_FLOOR = 1e-4;

  private DriftStatistics() {}

  /**
   * Population stability index: the sum over buckets of (actual − expected) · ln(actual /
   * expected). 0 when the shares agree; about 0.1 is usually read as a moderate shift and 0.25 as a
   * major one.
   */
  static double psi(double[] expected, long[] counts) {
    long n = total(counts);
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double actual = Math.max((double) counts[i] / n, SHARE_FLOOR);
      double reference = Math.max(expected[i], SHARE_FLOOR);
      psi += (actual - reference) * Math.log(actual / reference);
    }
    return psi;
  }

  /**
   * Kolmogorov–Smirnov statistic for ordered buckets: the largest distance between the cumulative
   * shares of the window and of the reference at the bucket boundaries. With a histogram as the
   * reference this is the statistic of the grouped data, which never exceeds the one of the raw
   * values.
   */
  static double ks(double[] expected, long[] counts) {
    long n = total(counts);
    double reference = 0;
    double actual = 0;
    double largest = 0;
    for (int i = 0; i < expected.length - 1; i++) {
      reference += expected[i];
      actual += (double) counts[i] / n;
      largest = Math.max(largest, Math.abs(actual - reference));
    }
    return largest;
  }

  private static long total(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    if (n == 0) {
      throw new IllegalArgumentException("no values to compare");
    }
    return n;
  }
}
