package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kappa against worked examples from the literature. */
class AgreementTest {

  /**
   * Fleiss (1971) as worked in most textbooks: 10 subjects, 14 raters, 5 categories; P̄ = 0.378,
   * P̄e = 0.213, κ = 0.210.
   */
  @Test
  void fleissMatchesTheClassicWorkedExample() {
    List<int[]> counts =
        List.of(
            new int[] {0, 0, 0, 0, 14},
            new int[] {0, 2, 6, 4, 2},
            new int[] {0, 0, 3, 5, 6},
            new int[] {0, 3, 9, 2, 0},
            new int[] {2, 2, 8, 1, 1},
            new int[] {7, 7, 0, 0, 0},
            new int[] {3, 2, 6, 3, 0},
            new int[] {2, 5, 3, 2, 2},
            new int[] {6, 5, 2, 1, 0},
            new int[] {0, 2, 2, 3, 7});
    assertEquals(0.210, Agreement.fleiss(counts).getAsDouble(), 0.0005);
  }

  /**
   * Two raters, 50 items: both yes 20, only A yes 5, only B yes 10, both no 15. Observed agreement
   * 0.70, chance 0.5 × 0.6 + 0.5 × 0.4 = 0.50, κ = 0.40.
   */
  @Test
  void cohenMatchesAHandWorkedTable() {
    List<int[]> pairs = new ArrayList<>();
    add(pairs, 20, 0, 0);
    add(pairs, 5, 0, 1);
    add(pairs, 10, 1, 0);
    add(pairs, 15, 1, 1);
    assertEquals(0.40, Agreement.cohen(pairs, 2).getAsDouble(), 1e-12);
  }

  private static void add(List<int[]> pairs, int times, int a, int b) {
    for (int i = 0; i < times; i++) {
      pairs.add(new int[] {a, b});
    }
  }

  @Test
  void perfectAgreementIsOne_andUndefinedCasesAreEmpty() {
    assertEquals(1.0, Agreement.fleiss(List.of(new int[] {2, 0}, new int[] {0, 2})).getAsDouble());
    assertEquals(
        1.0, Agreement.cohen(List.of(new int[] {0, 0}, new int[] {1, 1}), 2).getAsDouble());
    // Everyone always says the same: chance agreement is certain, kappa undefined.
    assertTrue(Agreement.fleiss(List.of(new int[] {2, 0}, new int[] {2, 0})).isEmpty());
    assertTrue(Agreement.cohen(List.of(new int[] {1, 1}), 2).isEmpty());
    assertTrue(Agreement.fleiss(List.of()).isEmpty());
    // Systematic disagreement is below zero.
    assertTrue(Agreement.cohen(List.of(new int[] {0, 1}, new int[] {1, 0}), 2).getAsDouble() < 0);
  }
}
