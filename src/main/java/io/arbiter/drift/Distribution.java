package io.arbiter.drift;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reference distribution of one input (or the score), against which live values are compared.
 * Live values fall into its buckets; {@link #expected()} gives each bucket's reference share.
 */
public sealed interface Distribution {

  /** Puts live values in buckets; built once per distribution, used on every intake. */
  interface Bucketer {
    /** The bucket of a live value, or -1 when it cannot be compared (a histogram's non-number). */
    int bucket(Object value);
  }

  /** The reference share of each bucket, summing to 1. */
  double[] expected();

  Bucketer bucketer();

  /** Whether buckets are ordered, so that a Kolmogorov–Smirnov statistic means something. */
  boolean ordered();

  /**
   * A numeric histogram with bins {@code [edges[i], edges[i+1])} (the last closed), as numpy's
   * {@code histogram} returns them. Live values below the first edge count in the first bin and
   * above the last in the last, as is usual for PSI.
   *
   * @param edges k+1 strictly ascending finite bin edges
   * @param counts k non-negative bin counts (or shares), not all zero
   */
  record Histogram(List<Double> edges, List<Double> counts) implements Distribution {

    public Histogram {
      edges = List.copyOf(edges);
      counts = List.copyOf(counts);
      if (edges.size() < 2 || counts.size() != edges.size() - 1) {
        throw new IllegalArgumentException("a histogram needs k+1 edges for k counts, k >= 1");
      }
    }

    @Override
    public double[] expected() {
      return shares(counts);
    }

    @Override
    public Bucketer bucketer() {
      // The interior edges: a value's bin is the number of them at or below it.
      double[] interior = edges.subList(1, edges.size() - 1).stream().mapToDouble(d -> d).toArray();
      return value -> {
        if (!(value instanceof Number number)) {
          return -1;
        }
        double x = number.doubleValue();
        if (Double.isNaN(x)) {
          return -1;
        }
        int at = Arrays.binarySearch(interior, x);
        return at >= 0 ? at + 1 : -at - 1; // on an edge: the bin it opens
      };
    }

    @Override
    public boolean ordered() {
      return true;
    }
  }

  /**
   * Category frequencies. Live values are compared by their text ({@code true}, {@code 3}, {@code
   * EU}); categories the reference never saw share one extra, last bucket whose reference share is
   * 0.
   *
   * @param counts count (or share) per category, not all zero
   */
  record Categorical(Map<String, Double> counts) implements Distribution {

    public Categorical {
      // Keys as live values are compared: "1.0" and "1" are one category.
      Map<String, Double> normalised = new TreeMap<>();
      counts.forEach((category, count) -> normalised.merge(text(category), count, Double::sum));
      counts = Collections.unmodifiableMap(normalised);
      if (counts.isEmpty()) {
        throw new IllegalArgumentException("categorical needs at least one category");
      }
    }

    @Override
    public double[] expected() {
      double[] known = shares(List.copyOf(counts.values()));
      return Arrays.copyOf(known, known.length + 1);
    }

    @Override
    public Bucketer bucketer() {
      Map<String, Integer> index = new HashMap<>();
      for (String category : counts.keySet()) {
        index.put(category, index.size());
      }
      int unseen = index.size();
      return value -> index.getOrDefault(text(value), unseen);
    }

    @Override
    public boolean ordered() {
      return false;
    }

    /** Numbers by their plain value ({@code 3}, {@code 3.0} and {@code "3.0"} alike). */
    private static String text(Object value) {
      if (value instanceof BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
      }
      if (value instanceof Number n && !(n instanceof Double d && !Double.isFinite(d))) {
        return text(new BigDecimal(n.toString()));
      }
      if (value instanceof String s && NUMBER.matcher(s).matches()) {
        return text(new BigDecimal(s));
      }
      return String.valueOf(value);
    }

    private static final java.util.regex.Pattern NUMBER =
        java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");
  }

  private static double[] shares(List<Double> counts) {
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    double[] shares = new double[counts.size()];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = counts.get(i) / total;
    }
    return shares;
  }
}
