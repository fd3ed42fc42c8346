package io.arbiter.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BacktestWindowTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration MAX = Duration.ofDays(31);

  private static String refusedField(Optional<Instant> from, Optional<Instant> to) {
    ProblemException e =
        assertThrows(ProblemException.class, () -> BacktestWindow.of(from, to, NOW, MAX));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    return e.errors().get(0).field();
  }

  @Test
  void of_missingBounds_endNowAndStartTheLongestWindowBefore() {
    assertEquals(
        new BacktestWindow(NOW.minus(MAX), NOW),
        BacktestWindow.of(Optional.empty(), Optional.empty(), NOW, MAX));
    Instant to = NOW.minus(Duration.ofDays(100));
    assertEquals(
        new BacktestWindow(to.minus(MAX), to),
        BacktestWindow.of(Optional.empty(), Optional.of(to), NOW, MAX));
    Instant from = NOW.minus(Duration.ofDays(3));
    assertEquals(
        new BacktestWindow(from, NOW),
        BacktestWindow.of(Optional.of(from), Optional.empty(), NOW, MAX));
  }

  @Test
  void of_windowOfExactlyTheMaximum_isAccepted_oneSecondMoreNamesFrom() {
    Instant to = Instant.parse("2026-11-01T00:00:00Z");
    assertEquals(
        new BacktestWindow(to.minus(MAX), to),
        BacktestWindow.of(Optional.of(to.minus(MAX)), Optional.of(to), NOW, MAX));
    assertEquals("from", refusedField(Optional.of(to.minus(MAX).minusSeconds(1)), Optional.of(to)));
    assertEquals(
        "from", refusedField(Optional.of(NOW.minus(Duration.ofDays(40))), Optional.empty()));
  }

  @Test
  void of_endNotAfterStart_namesToOrFrom() {
    assertEquals("to", refusedField(Optional.of(NOW), Optional.of(NOW)));
    assertEquals("to", refusedField(Optional.of(NOW), Optional.of(NOW.minusSeconds(1))));
    assertEquals("from", refusedField(Optional.of(NOW.plusSeconds(60)), Optional.empty()));
  }
}
