package io.arbiter.review;

import java.util.List;
import java.util.OptionalDouble;

/** Chance-corrected agreement between raters: Fleiss' kappa for many, Cohen's for two. */
public final class Agreement {
  private Agreement() {}

  /**
   * Fleiss' kappa over subjects each rated by the same number of raters.
   *
   * @param counts per subject, how many raters chose each category
   * @return empty when undefined: no subjects, fewer than two raters, or agreement by chance alone
   *     is certain (every rating in one category)
   */
  public static OptionalDouble fleiss(List<int[]> counts) {
    if (counts.isEmpty()) {
      return OptionalDouble.empty();
    }
    int categories = counts.get(0).length;
    int raters = java.util.Arrays.stream(counts.get(0)).sum();
    if (raters < 2) {
      return OptionalDouble.empty();
    }
    double[] share = new double[categories];
    double meanAgreement = 0;
    for (int[] subject : counts) {
      if (subject.length != categories || java.util.Arrays.stream(subject).sum() != raters) {
        throw new IllegalArgumentException("every subject needs the same raters and categories");
      }
      double squares = 0;
      for (int j = 0; j < categories; j++) {
        share[j] += subject[j];
        squares += (double) subject[j] * subject[j];
      }
      meanAgreement += (squares - raters) / (raters * (raters - 1.0));
    }
    meanAgreement /= counts.size();
    double chance = 0;
    for (int j = 0; j < categories; j++) {
      double p = share[j] / (counts.size() * (double) raters);
      chance += p * p;
    }
    return chance >= 1
        ? OptionalDouble.empty()
        : OptionalDouble.of((meanAgreement - chance) / (1 - chance));
  }

  /**
   * Cohen's kappa of two raters over the same subjects.
   *
   * @param pairs each subject's two ratings (category indexes)
   * @param categories how many categories there are
   * @return empty when undefined (no subjects, or both raters always chose one same category)
   */
  public static OptionalDouble cohen(List<int[]> pairs, int categories) {
    if (pairs.isEmpty()) {
      return OptionalDouble.empty();
    }
    double[] first = new double[categories];
    double[] second = new double[categories];
    double agree = 0;
    for (int[] pair : pairs) {
      first[pair[0]]++;
      second[pair[1]]++;
      if (pair[0] == pair[1]) {
        agree++;
      }
    }
    int n = pairs.size();
    double observed = agree / n;
    double chance = 0;
    for (int c = 0; c < categories; c++) {
      chance += (first[c] / n) * (second[c] / n);
    }
    return chance >= 1
        ? OptionalDouble.empty()
        : OptionalDouble.of((observed - chance) / (1 - chance));
  }
}
