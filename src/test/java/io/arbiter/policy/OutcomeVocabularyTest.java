package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.review.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutcomeVocabularyTest {

  private static final OutcomeVocabulary SCREENING =
      new OutcomeVocabulary(List.of("benign", "malignant"), Map.of(), "malignant");

  private static final OutcomeVocabulary MODERATION =
      new OutcomeVocabulary(
          List.of("keep", "label", "remove"),
          Map.of("ok", "keep", "borderline", "label", "spam", "remove", "hate", "remove"),
          "remove");

  @Test
  void recommends_aLabelNamingAnOutcome_recommendsIt() {
    assertEquals(Optional.of("malignant"), SCREENING.recommends("malignant"));
    assertEquals(Optional.of("benign"), SCREENING.recommends("benign"));
    assertEquals(Optional.of("approve"), OutcomeVocabulary.DEFAULT.recommends("approve"));
  }

  @Test
  void recommends_mappedLabels_recommendTheirOutcome_severalLabelsToOne() {
    assertEquals(Optional.of("remove"), MODERATION.recommends("spam"));
    assertEquals(Optional.of("remove"), MODERATION.recommends("hate"));
    assertEquals(Optional.of("label"), MODERATION.recommends("borderline"));
    assertEquals(Optional.of("keep"), MODERATION.recommends("keep"));
  }

  @Test
  void recommends_anUnknownLabel_recommendsNothing_andIsItsOwnRecommendation() {
    assertEquals(Optional.empty(), SCREENING.recommends("abstain"));
    assertEquals("abstain", SCREENING.recommendation("abstain"));
    assertEquals("remove", MODERATION.recommendation("spam"));
  }

  @Test
  void goesAgainst_followsTheVocabulary_notApproveAndReject() {
    // The screening case of issue 18: malignant on a malignant call follows the model.
    assertFalse(new Outcome("malignant").goesAgainst(SCREENING.recommendation("malignant")));
    assertTrue(new Outcome("benign").goesAgainst(SCREENING.recommendation("malignant")));
    // Three labels: removing spam follows the model, labelling it does not.
    assertFalse(new Outcome("remove").goesAgainst(MODERATION.recommendation("spam")));
    assertTrue(new Outcome("label").goesAgainst(MODERATION.recommendation("spam")));
    // A model that recommended nothing is gone against by every outcome, as before vocabularies.
    assertTrue(new Outcome("benign").goesAgainst(SCREENING.recommendation("abstain")));
    assertTrue(new Outcome("malignant").goesAgainst(SCREENING.recommendation("abstain")));
  }

  @Test
  void demoVocabulary_isApproveAndReject_withApprovePositive() {
    assertEquals(List.of("approve", "reject"), OutcomeVocabulary.DEFAULT.outcomes());
    assertEquals("approve", OutcomeVocabulary.DEFAULT.positive());
    assertTrue(OutcomeVocabulary.DEFAULT.isDefault());
    assertFalse(SCREENING.isDefault());
    assertFalse(
        new Outcome("approve").goesAgainst(OutcomeVocabulary.DEFAULT.recommendation("approve")));
    assertTrue(
        new Outcome("reject").goesAgainst(OutcomeVocabulary.DEFAULT.recommendation("approve")));
  }

  @Test
  void constructor_refusesBrokenVocabularies() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("only"), Map.of(), "only"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("a", "a"), Map.of(), "a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("a", "review"), Map.of(), "a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("a", "b"), Map.of("x", "c"), "a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("a", "b"), Map.of(), "c"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OutcomeVocabulary(List.of("a", "b/c"), Map.of(), "a"));
  }

  @Test
  void routesAndOutcomes_areNames_equalByName() {
    assertEquals(Route.APPROVE, Route.fromWireName("approve").orElseThrow());
    assertEquals(new Route("malignant"), Outcome.fromWireName("malignant").orElseThrow().route());
    assertEquals(Optional.empty(), Outcome.fromWireName("review"));
    assertEquals(Optional.empty(), Route.fromWireName("no such/route"));
    assertFalse(Route.REVIEW.automated());
    assertTrue(new Route("malignant").automated());
  }
}
