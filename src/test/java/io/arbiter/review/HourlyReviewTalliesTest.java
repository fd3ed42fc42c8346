package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The figures from hourly tallies equal those of one pass over the same tasks, whatever the window,
 * and stay equal as tasks open, settle and learn their decisions' outcomes after the tallies were
 * kept.
 */
class HourlyReviewTalliesTest {

  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final int DAYS = 3;

  private final Map<String, ReviewTask> tasks = new HashMap<>();
  private final Map<DecisionId, Optional<Route>> truth = new HashMap<>();
  private final Random random = new Random(5);
  private HourlyReviewTallies hours;

  @BeforeEach
  void simulate() {
    int n = 3_000;
    for (int i = 0; i < n; i++) {
      ReviewTask task = SimulatedReviews.task(START, DAYS, i, n, random);
      tasks.put(task.id(), task);
      truth.put(task.assignment().decision(), Optional.empty());
      if (random.nextInt(4) == 0) {
        learn(task.assignment().decision());
      }
    }
    hours = new HourlyReviewTallies(tasks::get, this::truthOf);
    tasks.values().forEach(hours::changed);
  }

  private Optional<Route> truthOf(DecisionId decision) {
    return truth.getOrDefault(decision, Optional.empty());
  }

  private void learn(DecisionId decision) {
    truth.put(decision, Optional.of(random.nextBoolean() ? Route.APPROVE : Route.REJECT));
  }

  private ReviewMetrics onePass(Instant from, Instant to, Instant now) {
    return ReviewMetrics.of(from, to, tasks.values(), this::truthOf, now);
  }

  private void assertSameFigures(Instant from, Instant to, Instant now) {
    assertEquals(onePass(from, to, now), hours.metrics(from, to, now), from + " to " + to);
  }

  @Test
  void figures_anyWindow_equalOnePassOverTheTasks() {
    Instant end = START.plus(Duration.ofDays(DAYS));
    Instant now = START.plus(Duration.ofDays(1));
    List<Instant[]> windows =
        List.of(
            new Instant[] {START, end}, // on the hour
            new Instant[] {START.plusSeconds(1_021), end.minusSeconds(77)}, // cut at both ends
            new Instant[] {START.plusSeconds(7_260), START.plusSeconds(7_800)}, // within an hour
            new Instant[] {START.minus(Duration.ofDays(9)), end.plus(Duration.ofDays(9))},
            new Instant[] {end.plusSeconds(10), end.plusSeconds(20)}, // no task
            new Instant[] {end, START}); // backwards: nothing
    for (Instant[] window : windows) {
      assertSameFigures(window[0], window[1], now);
      assertSameFigures(window[0], window[1], now); // the kept tallies, second time
    }
    // The window has the figures the test is about, not an empty shell.
    ReviewMetrics all = hours.metrics(START, end, now);
    assertEquals(3_000, all.overall().tasks());
    assertNotEquals(null, all.overall().fleissKappa());
    assertNotEquals(0, all.overall().verdictsWithOutcome());
    assertNotEquals(0, all.pairs().size());
  }

  @Test
  void figures_afterTasksChangeAndOutcomesArrive_countTheChanges() {
    Instant from = START.plusSeconds(600);
    Instant to = START.plus(Duration.ofDays(DAYS)).minusSeconds(600);
    Instant now = START.plus(Duration.ofHours(30));
    ReviewMetrics before = hours.metrics(from, to, now);
    assertEquals(onePass(from, to, now), before);

    // Open tasks settle (consensus of one reviewer) in hours whose tallies are kept.
    List<ReviewTask> open =
        tasks.values().stream()
            .filter(
                t -> t.state() == TaskState.OPEN && t.assignment().kind() == TaskKind.ESCALATION)
            .limit(40)
            .toList();
    for (ReviewTask task : open) {
      ReviewTask settled = settle(task);
      tasks.put(settled.id(), settled);
      hours.changed(settled);
    }
    // Outcomes arrive for decisions whose verdicts are counted already.
    List<ReviewTask> judged =
        tasks.values().stream()
            .filter(t -> t.state().finished() && !t.verdicts().isEmpty())
            .filter(t -> truthOf(t.assignment().decision()).isEmpty())
            .limit(200)
            .toList();
    for (ReviewTask task : judged) {
      learn(task.assignment().decision());
      hours.changed(task);
    }
    // A task opens in an hour long kept.
    ReviewTask late = SimulatedReviews.task(START, DAYS, 1_234, 3_000, new Random(99));
    ReviewTask opened = ReviewTask.open(withId(late.assignment(), "late"));
    tasks.put(opened.id(), opened);
    hours.changed(opened);

    ReviewMetrics after = hours.metrics(from, to, now);
    assertEquals(onePass(from, to, now), after);
    assertEquals(before.overall().tasks() + 1, after.overall().tasks());
    assertEquals(before.overall().settled() + open.size(), after.overall().settled());
    assertNotEquals(before.overall().verdictsWithOutcome(), after.overall().verdictsWithOutcome());
  }

  @Test
  void openTasks_pastTheirDeadlineLater_countAsBreachesWithoutAChange() {
    Instant from = START;
    Instant to = START.plus(Duration.ofDays(DAYS));
    Instant early = START.plus(Duration.ofHours(1));
    Instant late = to.plus(Duration.ofDays(1));
    ReviewMetrics first = hours.metrics(from, to, early);
    ReviewMetrics second = hours.metrics(from, to, late);
    assertEquals(onePass(from, to, early), first);
    assertEquals(onePass(from, to, late), second);
    assertNotEquals(first.overall().slaBreaches(), second.overall().slaBreaches());
  }

  private static ReviewTask settle(ReviewTask task) {
    ReviewAssignment a = task.assignment();
    Instant started = a.createdAt().plusSeconds(120);
    Instant at = started.plusSeconds(300);
    Outcome outcome = Outcome.REJECT;
    Verdict verdict =
        new Verdict(
            "reviewer-settling", outcome, "ok", List.of(), Optional.empty(), false, started, at);
    return new ReviewTask(
        a,
        task.queue(),
        List.of(),
        List.of(verdict),
        Optional.empty(),
        List.of(),
        Optional.of(
            new Settlement(
                outcome, Settlement.Basis.CONSENSUS, at, outcome.goesAgainst(a.recommendation()))),
        Optional.empty());
  }

  private static ReviewAssignment withId(ReviewAssignment a, String id) {
    return new ReviewAssignment(
        id,
        a.kind(),
        DecisionId.next(a.createdAt()),
        a.queue(),
        a.reviewers(),
        a.blind(),
        a.failSafe(),
        a.createdAt(),
        a.deadline(),
        a.recommendation(),
        a.submittedBy(),
        a.policy(),
        a.ruleId(),
        a.reasonCodes());
  }
}
