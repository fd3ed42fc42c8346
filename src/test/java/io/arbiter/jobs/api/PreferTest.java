package io.arbiter.jobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreferTest {

  @Test
  void of_noHeader_isNoPreference() {
    assertEquals(Prefer.NONE, Prefer.of(null));
    assertEquals(Prefer.NONE, Prefer.of(List.of()));
  }

  @Test
  void of_respondAsyncAndWait_inOneHeaderOrSeveral_anyCase() {
    Prefer both = new Prefer(true, Optional.of(Duration.ofSeconds(5)));
    assertEquals(both, Prefer.of(List.of("respond-async, wait=5")));
    assertEquals(both, Prefer.of(List.of("Respond-Async", "WAIT=5")));
    assertEquals(both, Prefer.of(List.of("handling=lenient, respond-async;x=1, wait=\"5\"")));
    assertEquals(
        new Prefer(true, Optional.empty()), Prefer.of(List.of("return=minimal, respond-async")));
  }

  @Test
  void of_malformedOrHugeWait_isIgnored_theFirstWaitCounts() {
    assertEquals(Prefer.NONE, Prefer.of(List.of("wait=soon")));
    assertEquals(Prefer.NONE, Prefer.of(List.of("wait=-1")));
    assertEquals(Prefer.NONE, Prefer.of(List.of("wait=99999999999999999999")));
    assertEquals(
        Optional.of(Duration.ofSeconds(2)), Prefer.of(List.of("wait=2, wait=9")).waitFor());
  }

  @Test
  void waitAtMost_capsWhatWasAsked() {
    Duration max = Duration.ofSeconds(30);
    assertEquals(Optional.of(max), Prefer.of(List.of("wait=3600")).waitAtMost(max));
    assertEquals(Optional.of(Duration.ofSeconds(4)), Prefer.of(List.of("wait=4")).waitAtMost(max));
    assertEquals(Optional.empty(), Prefer.NONE.waitAtMost(max));
  }
}
