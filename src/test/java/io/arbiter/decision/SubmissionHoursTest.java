package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.policy.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmissionHoursTest {

  private static final SubmissionHour NINE =
      SubmissionHour.of(Instant.parse("2026-11-26T09:30:00Z"));
  private static final SubmissionHour TEN =
      SubmissionHour.of(Instant.parse("2026-11-26T10:00:00Z"));

  @Test
  void anHourIsTheUtcHourItStartsOn() {
    assertEquals(Instant.parse("2026-11-26T09:00:00Z"), NINE.start());
    assertEquals(TEN.start(), NINE.end());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SubmissionHour(Instant.parse("2026-11-26T09:00:01Z")));
  }

  @Test
  void anHourIsClaimedOnce_othersWaitForItsDescription_andItIsClaimedAgainIfItFailed() {
    SubmissionHours hours = new SubmissionHours();
    hours.described(Set.of(NINE));
    assertTrue(hours.claim(NINE).orElseThrow().isDone(), "described already");
    assertTrue(hours.claim(TEN).isEmpty(), "the first decision of the hour describes it");
    var waiting = hours.claim(TEN).orElseThrow();
    assertFalse(waiting.isDone(), "the next waits for the description");
    hours.describedFailed(TEN, new IllegalStateException("store down"));
    assertTrue(waiting.isCompletedExceptionally(), "and fails with it");
    assertTrue(hours.claim(TEN).isEmpty(), "the next decision of the hour describes it again");
    hours.describedOk(TEN);
    assertTrue(hours.claim(TEN).orElseThrow().isDone());
  }

  @Test
  void repairs_describeMissingHours_andLinkUnlinkedDecisions_inChunks() {
    SubmissionHours hours = new SubmissionHours();
    hours.described(Set.of(NINE));
    List<SubmissionHours.Unlinked> unlinked = new ArrayList<>();
    for (int i = 0; i < SubmissionHours.LINKS_PER_EVENT + 1; i++) {
      unlinked.add(
          new SubmissionHours.Unlinked(
              String.format("urn:d:%05d", i), NINE.start().plusSeconds(i % 3600)));
    }
    var repairs = hours.repairs(Set.of(NINE, TEN), unlinked);
    assertEquals(List.of(NINE, NINE, TEN), repairs.stream().map(r -> r.hour()).toList());
    assertEquals(SubmissionHours.LINKS_PER_EVENT, repairs.get(0).decisionIris().size());
    assertEquals(List.of("urn:d:05000"), repairs.get(1).decisionIris());
    assertEquals(List.of(), repairs.get(2).decisionIris(), "ten has decisions but no description");
    assertEquals(List.of(), hours.repairs(Set.of(NINE), List.of()), "nothing missing");
  }

  @Test
  void anHourIsTallied_afterItsGrace_once_andAgainWhenADecisionComesLate() {
    SubmissionHours hours = new SubmissionHours();
    hours.described(Set.of(NINE, TEN));
    Instant graceOver = TEN.start().plus(SubmissionHours.TALLY_GRACE);
    assertEquals(List.of(), hours.toTally(graceOver.minusMillis(1)));
    assertEquals(List.of(NINE), hours.toTally(graceOver));
    assertFalse(hours.kept(NINE), "not tallied yet: nothing to revise");
    assertEquals(1, hours.claimTally(NINE));
    assertEquals(List.of(), hours.toTally(graceOver));
    assertTrue(hours.kept(NINE), "a decision after the tally makes it short");
    assertFalse(hours.kept(NINE), "once is enough");
    assertEquals(List.of(NINE), hours.toTally(graceOver));
    assertEquals(2, hours.claimTally(NINE));
    hours.releaseTally(NINE, 2);
    assertEquals(List.of(NINE), hours.toTally(graceOver), "a failed revision is due again");
    assertEquals(2, hours.claimTally(NINE));
    hours.tallied(
        java.util.Map.of(TEN, new SubmissionHour.TallyState(4, 7)), java.util.Map.of(TEN, 7));
    assertEquals(List.of(), hours.toTally(TEN.end().plus(SubmissionHours.TALLY_GRACE)));
    assertEquals(5, hours.claimTally(TEN), "revisions read at start-up go on");
  }

  @Test
  void aTallyShortOfTheDecisionsAtStartUp_isDueAgain() {
    SubmissionHours hours = new SubmissionHours();
    hours.described(Set.of(NINE, TEN));
    hours.tallied(
        java.util.Map.of(
            NINE, new SubmissionHour.TallyState(1, 3), TEN, new SubmissionHour.TallyState(2, 5)),
        java.util.Map.of(NINE, 3, TEN, 6));
    assertEquals(List.of(TEN), hours.toTally(TEN.end().plus(SubmissionHours.TALLY_GRACE)));
    assertEquals(3, hours.claimTally(TEN));
  }

  @Test
  void cells_groupByModelVersionPolicyVersionAndRoute() {
    var model = new io.arbiter.registry.ModelVersionRef("m", "1");
    var policy = Optional.of(new PolicyRef("p", "2"));
    Instant t = NINE.start();
    var cells =
        SubmissionHours.cells(
            List.of(
                summary(model, policy, Route.REVIEW, t.plusSeconds(50)),
                summary(model, policy, Route.APPROVE, t.plusSeconds(10)),
                summary(model, policy, Route.REVIEW, t.plusSeconds(5)),
                summary(model, Optional.empty(), Route.REVIEW, t.plusSeconds(7))));
    assertEquals(
        List.of(
            new SubmissionHour.Cell(
                model, Optional.empty(), Route.REVIEW, 1, t.plusSeconds(7), t.plusSeconds(7)),
            new SubmissionHour.Cell(
                model, policy, Route.APPROVE, 1, t.plusSeconds(10), t.plusSeconds(10)),
            new SubmissionHour.Cell(
                model, policy, Route.REVIEW, 2, t.plusSeconds(5), t.plusSeconds(50))),
        cells);
  }

  private static DecisionSummary summary(
      io.arbiter.registry.ModelVersionRef model,
      Optional<PolicyRef> policy,
      Route route,
      Instant at) {
    return new DecisionSummary(
        DecisionId.next(at),
        "case",
        model,
        Optional.empty(),
        route,
        io.arbiter.policy.RuleKind.RULE,
        Optional.empty(),
        "approve",
        0.9,
        policy,
        "alice",
        at,
        Optional.empty(),
        0,
        "urn:bundle",
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
