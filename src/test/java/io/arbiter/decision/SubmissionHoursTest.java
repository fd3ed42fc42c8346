package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  void anHourIsClaimedOnce_andAgainOnlyAfterItsDescriptionFailed() {
    SubmissionHours hours = new SubmissionHours();
    hours.described(Set.of(NINE));
    assertFalse(hours.claim(NINE), "described already");
    assertTrue(hours.claim(TEN));
    assertFalse(hours.claim(TEN));
    hours.release(TEN);
    assertTrue(hours.claim(TEN), "its description was not written: the next decision writes it");
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
}
