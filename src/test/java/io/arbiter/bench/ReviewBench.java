package io.arbiter.bench;

import io.arbiter.graph.prov.Sparql;
import io.arbiter.problem.ProblemException;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewFilter;
import io.arbiter.review.ReviewPage;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.TaskState;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Review queues under load, in process over a real TDB2 store: with N open tasks (default 10,000),
 * the queue listing (the in-memory task index, beside a baseline in the same run that asks the
 * graph with SPARQL), and claim + verdict round trips by 20 concurrent reviewers working the same
 * queue, checked afterwards for lost and double-claimed tasks.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.ReviewBench --n 10000
 * </pre>
 */
public final class ReviewBench {

  private ReviewBench() {}

  private static final String NAIVE_LISTING =
      """
      SELECT ?task ?priority ?deadline WHERE {
        ?task a arb:ReviewTask ; arb:reviewQueue "general" ; arb:priority ?priority ;
              arb:deadline ?deadline .
        FILTER NOT EXISTS { ?task arb:settlement ?settled }
        FILTER NOT EXISTS { ?step a arb:ReviewEscalation ; prov:used ?task }
      }
      ORDER BY DESC(?priority) ?deadline ?task
      LIMIT 50""";

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "10000"));
    int reviewers = Integer.parseInt(IntakeBench.option(args, "--reviewers", "20"));
    int verdicts = Integer.parseInt(IntakeBench.option(args, "--verdicts", "2000"));
    Path dir = Files.createTempDirectory("arbiter-review-bench");
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      long started = System.nanoTime();
      record(app, n);
      System.out.printf(
          Locale.ROOT,
          "recorded %d decisions routed to review in %.1f s%n",
          n,
          (System.nanoTime() - started) / 1e9);
      Caller reviewer = new Caller("bench-reviewer", Set.of(Roles.REVIEWER)::contains);
      ReviewFilter general = filter();
      for (int round = 1; round <= 2; round++) {
        List<Long> listing = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          long t0 = System.nanoTime();
          ReviewPage page = app.reviews.list(general, reviewer);
          listing.add(System.nanoTime() - t0);
          if (page.items().size() != 50) {
            throw new IllegalStateException("expected a full page");
          }
        }
        List<Long> naive = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          long t0 = System.nanoTime();
          int rows =
              graph.store.query(
                  Sparql.prepare(NAIVE_LISTING).asQuery(),
                  Duration.ofMinutes(1),
                  execution -> {
                    int count = 0;
                    for (var results = execution.execSelect(); results.hasNext(); results.next()) {
                      count++;
                    }
                    return count;
                  });
          naive.add(System.nanoTime() - t0);
          if (rows != 50) {
            throw new IllegalStateException("the baseline found " + rows + " rows");
          }
        }
        System.out.printf(
            Locale.ROOT,
            "round %d: queue listing (index) p50 %.2f ms p95 %.2f ms p99 %.2f ms;"
                + " baseline (SPARQL over the graph) p50 %.1f ms p95 %.1f ms%n",
            round,
            ms(listing, 0.50),
            ms(listing, 0.95),
            ms(listing, 0.99),
            ms(naive, 0.50),
            ms(naive, 0.95));
      }
      work(app, reviewers, verdicts);
      var records = new io.arbiter.graph.prov.ProvReviewRecords(graph.store, TestStore.IRIS);
      long a0 = System.nanoTime();
      AtomicInteger assignments = new AtomicInteger();
      records.forEachAssignment(a -> assignments.incrementAndGet());
      long a1 = System.nanoTime();
      AtomicInteger events = new AtomicInteger();
      records.forEachEvent(e -> events.incrementAndGet());
      long a2 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "rebuild reads: %d assignments in %.2f s, %d review events in %.2f s%n",
          assignments.get(),
          (a1 - a0) / 1e9,
          events.get(),
          (a2 - a1) / 1e9);
      long t0 = System.nanoTime();
      TestApp rebuilt = TestApp.demo(graph);
      System.out.printf(
          Locale.ROOT,
          "restart: models, policies, decision index and %d tasks rebuilt in %.2f s%n",
          allTasks(rebuilt).size(),
          (System.nanoTime() - t0) / 1e9);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Reviewers racing for the same queue: claim the first free task listed, give the verdict. */
  private static void work(TestApp app, int reviewers, int target) throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> decided = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int r = 0; r < reviewers; r++) {
      Caller me = new Caller("reviewer-" + r, Set.of(Roles.REVIEWER)::contains);
      Thread thread =
          new Thread(
              () -> {
                while (done.get() < target) {
                  ReviewPage page = app.reviews.list(filter(), me);
                  for (ReviewTask task : page.items()) {
                    if (done.get() >= target) {
                      break;
                    }
                    long t0 = System.nanoTime();
                    try {
                      app.reviews.claim(task.id(), me);
                      app.reviews.verdict(
                          task.id(),
                          me,
                          new VerdictRequest(
                              Outcome.APPROVE, "checked", List.of("default"), Optional.empty()));
                      roundTrips.add(System.nanoTime() - t0);
                      decided.add(task.id());
                      done.incrementAndGet();
                      break;
                    } catch (ProblemException e) {
                      conflicts.incrementAndGet(); // someone else got it first
                    }
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<Long> times = new ArrayList<>(roundTrips);
    // Lost or double-claimed? Every task decided once, with exactly one verdict, and settled.
    Set<String> unique = new java.util.HashSet<>(decided);
    long wrong =
        allTasks(app).stream()
            .filter(t -> unique.contains(t.id()))
            .filter(t -> t.verdicts().size() != 1 || t.state() != TaskState.SETTLED)
            .count();
    if (unique.size() != decided.size() || wrong != 0) {
      throw new IllegalStateException(
          "double-decided or lost: " + (decided.size() - unique.size()) + " / " + wrong);
    }
    System.out.printf(
        Locale.ROOT,
        "%d reviewers: %d claim+verdict round trips in %.1f s (%.0f/s), p50 %.1f ms p95 %.1f ms"
            + " p99 %.1f ms; %d lost races (409), 0 tasks lost or decided twice%n",
        reviewers,
        times.size(),
        seconds,
        times.size() / seconds,
        ms(times, 0.50),
        ms(times, 0.95),
        ms(times, 0.99),
        conflicts.get());
  }

  private static ReviewFilter filter() {
    return new ReviewFilter(
        Optional.of("general"),
        Optional.of(TaskState.OPEN),
        Optional.empty(),
        false,
        Optional.empty(),
        50);
  }

  /** Every task, page by page. */
  private static List<ReviewTask> allTasks(TestApp app) {
    List<ReviewTask> tasks = new ArrayList<>();
    Optional<io.arbiter.review.ReviewCursor> after = Optional.empty();
    do {
      ReviewPage page =
          app.reviews.list(
              new ReviewFilter(
                  Optional.empty(), Optional.empty(), Optional.empty(), false, after, 500),
              overseer());
      tasks.addAll(page.items());
      after = page.next();
    } while (after.isPresent());
    return tasks;
  }

  private static Caller overseer() {
    return new Caller("auditor", Set.of(Roles.AUDITOR)::contains);
  }

  /** N decisions, a third to each of three queues, from many threads (full group commits). */
  private static void record(TestApp app, int n) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < 256; c++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                  var request =
                      switch (i % 3) {
                        case 0 -> Fixtures.request(10_000, 200_000, 0.1, "approve", 0.5);
                        case 1 -> Fixtures.request(60_000, 200_000, 0.1, "approve", 0.9);
                        default ->
                            Fixtures.request(
                                30_000, 40_000, 0.5, "approve", 0.6 + (i % 40) / 100.0);
                      };
                  app.decisions.submit(request, "bench", Optional.empty());
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static double ms(List<Long> nanos, double quantile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(quantile * sorted.size());
    return sorted.get(Math.max(0, rank - 1)) / 1e6;
  }
}
