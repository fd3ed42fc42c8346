package io.arbiter.bench;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewAssignment;
import io.arbiter.review.ReviewMetrics;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.Settlement;
import io.arbiter.review.TaskKind;
import io.arbiter.review.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The review figures ({@link ReviewMetrics#of}) over a census-sized month in process: N tasks
 * (default 30,000: two thirds settled — one or two verdicts, some adjudicated, some timed out — the
 * rest open), five queues, twenty reviewers, ground truth for a fifth of the decisions. It times
 * the 30-day window (every task) and one day of it, as {@code GET /api/v1/reviews/metrics} computes
 * them, without HTTP and JSON.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.ReviewMetricsBench
 * </pre>
 */
public final class ReviewMetricsBench {

  private ReviewMetricsBench() {}

  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  public static void main(String[] args) {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "30000"));
    int runs = Integer.parseInt(IntakeBench.option(args, "--runs", "200"));
    Random random = new Random(17);
    List<ReviewTask> tasks = new ArrayList<>(n);
    Map<DecisionId, Optional<Route>> truth = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ReviewTask task = task(i, n, random);
      tasks.add(task);
      truth.put(
          task.assignment().decision(),
          random.nextInt(5) == 0
              ? Optional.of(random.nextBoolean() ? Route.APPROVE : Route.REJECT)
              : Optional.empty());
    }
    Instant end = START.plus(Duration.ofDays(30));
    Instant now = end.plus(Duration.ofHours(1));
    System.out.printf(Locale.ROOT, "%d tasks, %d runs each%n", n, runs);
    for (int round = 1; round <= 2; round++) {
      report(
          round, "30 days", time(runs, () -> ReviewMetrics.of(START, end, tasks, truth::get, now)));
      Instant dayFrom = START.plus(Duration.ofDays(14));
      Instant dayTo = dayFrom.plus(Duration.ofDays(1));
      report(
          round,
          "1 day",
          time(runs, () -> ReviewMetrics.of(dayFrom, dayTo, tasks, truth::get, now)));
    }
    ReviewMetrics month = ReviewMetrics.of(START, end, tasks, truth::get, now);
    System.out.printf(
        Locale.ROOT,
        "check: %d tasks, %d verdicts, override rate %.4f, kappa %s, %d reviewers, %d pairs%n",
        month.overall().tasks(),
        month.overall().verdicts(),
        month.overall().overrideRate(),
        month.overall().fleissKappa(),
        month.byReviewer().size(),
        month.pairs().size());
  }

  private static ReviewTask task(int i, int n, Random random) {
    Instant created = START.plusSeconds((long) i * 30 * 86_400 / n);
    boolean qa = random.nextInt(10) == 0;
    int reviewers = qa ? 1 : random.nextInt(3) == 0 ? 2 : 1;
    String recommendation = random.nextBoolean() ? "approve" : "reject";
    ReviewAssignment assignment =
        new ReviewAssignment(
            "t" + i,
            qa ? TaskKind.QA : TaskKind.ESCALATION,
            DecisionId.next(created),
            qa ? ReviewAssignment.QA_QUEUE : "queue-" + random.nextInt(4),
            reviewers,
            random.nextBoolean(),
            false,
            created,
            created.plus(Duration.ofHours(8)),
            recommendation,
            "bench",
            Optional.empty(),
            Optional.of("rule-" + random.nextInt(6)),
            List.of("ok"));
    ReviewTask open = ReviewTask.open(assignment);
    if (random.nextInt(3) == 0) {
      return open;
    }
    if (random.nextInt(40) == 0) {
      Instant at = assignment.deadline();
      return withSettlement(
          open,
          List.of(),
          Optional.empty(),
          settlement(Outcome.REJECT, Settlement.Basis.TIMEOUT, at, recommendation));
    }
    List<Verdict> verdicts = new ArrayList<>();
    List<String> pool = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      pool.add("reviewer-" + r);
    }
    Collections.shuffle(pool, random);
    Instant at = created;
    for (int v = 0; v < reviewers; v++) {
      Instant started = at.plusSeconds(60 + random.nextInt(3_600));
      at = started.plusSeconds(30 + random.nextInt(900));
      Outcome outcome =
          random.nextInt(10) < 8 ? new Outcome(recommendation) : opposite(recommendation);
      verdicts.add(
          new Verdict(
              pool.get(v),
              outcome,
              "ok",
              List.of(),
              Optional.empty(),
              !assignment.blind(),
              started,
              at));
    }
    boolean agree = verdicts.stream().map(Verdict::outcome).distinct().count() == 1;
    if (agree) {
      return withSettlement(
          open,
          verdicts,
          Optional.empty(),
          settlement(verdicts.get(0).outcome(), Settlement.Basis.CONSENSUS, at, recommendation));
    }
    Instant ruled = at.plusSeconds(600);
    Verdict ruling =
        new Verdict(
            "lead-" + random.nextInt(3),
            verdicts.get(0).outcome(),
            "ok",
            List.of(),
            Optional.of("ruled"),
            true,
            at,
            ruled);
    return withSettlement(
        open,
        verdicts,
        Optional.of(ruling),
        settlement(ruling.outcome(), Settlement.Basis.ADJUDICATION, ruled, recommendation));
  }

  private static Outcome opposite(String recommendation) {
    return recommendation.equals("approve") ? Outcome.REJECT : Outcome.APPROVE;
  }

  private static Settlement settlement(
      Outcome outcome, Settlement.Basis basis, Instant at, String recommendation) {
    return new Settlement(outcome, basis, at, outcome.goesAgainst(recommendation));
  }

  private static ReviewTask withSettlement(
      ReviewTask open, List<Verdict> verdicts, Optional<Verdict> ruling, Settlement settlement) {
    return new ReviewTask(
        open.assignment(),
        open.queue(),
        List.of(),
        verdicts,
        ruling,
        List.of(),
        Optional.of(settlement),
        ruling.map(Verdict::startedAt));
  }

  private static List<Long> time(int runs, Runnable work) {
    for (int i = 0; i < Math.max(5, runs / 10); i++) {
      work.run();
    }
    List<Long> nanos = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.run();
      nanos.add(System.nanoTime() - t0);
    }
    Collections.sort(nanos);
    return nanos;
  }

  private static void report(int round, String window, List<Long> sorted) {
    System.out.printf(
        Locale.ROOT,
        "round %d, %-8s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms%n",
        round,
        window,
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) / 1e6,
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6);
  }
}
