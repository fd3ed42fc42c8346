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
    long[] given = new long[categories];
    long squares = 0;
    for (int[] subject : counts) {
      if (subject.length != categories || java.util.Arrays.stream(subject).sum() != raters) {
        throw new IllegalArgumentException("every subject needs the same raters and categories");
      }
      for (int j = 0; j < categories; j++) {
        given[j] += subject[j];
        squares += (long) subject[j] * subject[j];
      }
    }
    return fleiss(counts.size(), raters, squares, given);
  }

  /**
   * Fleiss' kappa from the sums it needs, so that sets of subjects can be tallied apart and added
   * up: the result is the same whichever way the subjects were grouped.
   *
   * @param subjects how many subjects, each rated by {@code raters} raters
   * @param squares the sum over subjects and categories of the squared count of raters
   * @param given per category, how many ratings chose it over all subjects
   */
  public static OptionalDouble fleiss(int subjects, int raters, long squares, long[] given) {
    if (subjects == 0 || raters < 2) {
      return OptionalDouble.empty();
    }
    double ratings = subjects * (double) raters;
    // The mean over subjects of (squares_i - n) / (n (n - 1)), from exact whole-number sums.
    double meanAgreement = (squares - ratings) / (ratings * (raters - 1.0));
    double chance = 0;
    for (long count : given) {
      double p = count / ratings;
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
    long[][] confusion = new long[categories][categories];
    for (int[] pair : pairs) {
      confusion[pair[0]][pair[1]]++;
    }
    return cohen(confusion);
  }

  /**
   * Cohen's kappa from the two raters' confusion matrix.
   *
   * @param confusion {@code confusion[i][j]}: how many subjects the first rated i and the second j
   */
  public static OptionalDouble cohen(long[][] confusion) {
    int categories = confusion.length;
    double[] first = new double[categories];
    double[] second = new double[categories];
    double agree = 0;
    double n = 0;
    for (int i = 0; i < categories; i++) {
      for (int j = 0; j < categories; j++) {
        first[i] += confusion[i][j];
        second[j] += confusion[i][j];
        n += confusion[i][j];
      }
      agree += confusion[i][i];
    }
    if (n == 0) {
      return OptionalDouble.empty();
    }
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
