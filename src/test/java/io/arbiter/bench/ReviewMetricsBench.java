package io.arbiter.bench;

import io.arbiter.decision.DecisionId;
import io.arbiter.policy.Route;
import io.arbiter.review.HourlyReviewTallies;
import io.arbiter.review.ReviewMetrics;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.SimulatedReviews;
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
 * the 30-day window (every task) and one day of it, without HTTP and JSON, two ways side by side:
 * task by task ({@link ReviewMetrics#of}, as a scoped request computes them) and from the tallies
 * kept per hour ({@link HourlyReviewTallies}, as {@code GET /api/v1/reviews/metrics} does), warm
 * and with one hour recounted a call. It fails if the two ways' figures differ.
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
      ReviewTask task = SimulatedReviews.task(START, 30, i, n, random);
      tasks.add(task);
      truth.put(
          task.assignment().decision(),
          random.nextInt(5) == 0
              ? Optional.of(random.nextBoolean() ? Route.APPROVE : Route.REJECT)
              : Optional.empty());
    }
    Map<String, ReviewTask> byId = new HashMap<>();
    tasks.forEach(task -> byId.put(task.id(), task));
    HourlyReviewTallies hours = new HourlyReviewTallies(byId::get, truth::get);
    tasks.forEach(hours::changed);
    // Windows as a dashboard asks them, "the last 30 days" and "one day", not on the hour.
    Instant from = START.plus(Duration.ofMinutes(17));
    Instant end = from.plus(Duration.ofDays(30));
    Instant now = end.plus(Duration.ofHours(1));
    Instant dayFrom = from.plus(Duration.ofDays(14));
    Instant dayTo = dayFrom.plus(Duration.ofDays(1));
    Random changes = new Random(3);
    System.out.printf(Locale.ROOT, "%d tasks, %d runs each%n", n, runs);
    for (int round = 1; round <= 2; round++) {
      report(
          round,
          "30 days, task by task",
          time(runs, () -> ReviewMetrics.of(from, end, tasks, truth::get, now)));
      report(round, "30 days, hourly tallies", time(runs, () -> hours.metrics(from, end, now)));
      // As under live work: a task of some hour changed before each call, so its hour is recounted.
      report(
          round,
          "30 days, hourly tallies, an hour changed a call",
          time(
              runs,
              () -> {
                hours.changed(tasks.get(changes.nextInt(tasks.size())));
                hours.metrics(from, end, now);
              }));
      report(
          round,
          "1 day, task by task",
          time(runs, () -> ReviewMetrics.of(dayFrom, dayTo, tasks, truth::get, now)));
      report(round, "1 day, hourly tallies", time(runs, () -> hours.metrics(dayFrom, dayTo, now)));
    }
    if (!hours
        .metrics(from, end, now)
        .equals(ReviewMetrics.of(from, end, tasks, truth::get, now))) {
      throw new IllegalStateException("the hourly tallies' figures differ from the task by task's");
    }
    ReviewMetrics month = ReviewMetrics.of(from, end, tasks, truth::get, now);
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
        "round %d, %-48s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms%n",
        round,
        window,
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) / 1e6,
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6);
  }
}
