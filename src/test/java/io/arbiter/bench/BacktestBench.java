package io.arbiter.bench;

import io.arbiter.decision.DecisionQuery;
import io.arbiter.jobs.Progress;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.replay.BacktestReport;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backtest over a recorded history in a real TDB2 store: a candidate version of the demo policy
 * evaluated over N decisions, beside a baseline in the same run that rebuilds each whole decision
 * from its bundle (how backtests read history before facts were pinned whole) and evaluates its
 * facts. The backtest runs twice per round: pages read on the calling thread, and on a pool with a
 * thread per core.
 *
 * <pre>mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.BacktestBench -Dexec.args="--n 20000"
 * </pre>
 */
public final class BacktestBench {

  private BacktestBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "20000"));
    // The whole-decision baseline takes about a minute at 100,000 decisions: --baseline false
    // skips it.
    boolean withBaseline = Boolean.parseBoolean(IntakeBench.option(args, "--baseline", "true"));
    Path dir = Files.createTempDirectory("arbiter-backtest");
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = TestApp.demo(graph);
      long started = System.nanoTime();
      record(app, n);
      System.out.printf(
          Locale.ROOT, "recorded %d decisions in %.1f s%n", n, (System.nanoTime() - started) / 1e9);
      app.policies.register(Fixtures.demoPolicyText("2", 30000), "alice");
      app.policies.transition(
          "demo-credit-policy", "2", PolicyTransition.APPROVE, "bob", Optional.empty());
      int readers = Runtime.getRuntime().availableProcessors();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(readers);
      try {
        for (int round = 1; round <= 2; round++) {
          // Pages read on this thread (as before), then on a pool with a thread per core.
          app.decisions.loadWith(Runnable::run);
          long t0 = System.nanoTime();
          BacktestReport sequential = backtest(app);
          double oneThread = (System.nanoTime() - t0) / 1e9;
          app.decisions.loadWith(pool);
          long t1 = System.nanoTime();
          BacktestReport report = backtest(app);
          double pooled = (System.nanoTime() - t1) / 1e9;
          if (!sequential.equals(report)) {
            throw new IllegalStateException("the two backtests disagree");
          }
          double baseline = Double.NaN;
          if (withBaseline) {
            long t2 = System.nanoTime();
            long baselineChanged = baseline(app);
            baseline = (System.nanoTime() - t2) / 1e9;
            if (baselineChanged != report.changed()) {
              throw new IllegalStateException(
                  "backtest and baseline disagree: " + report.changed() + " vs " + baselineChanged);
            }
          }
          System.out.printf(
              Locale.ROOT,
              "round %d: backtest %d decisions (%d changed): pages read on one thread %.2f s ="
                  + " %.0f/s; on %d threads %.2f s = %.0f/s; baseline (whole decisions)"
                  + " %.2f s%n",
              round,
              report.evaluated(),
              report.changed(),
              oneThread,
              report.evaluated() / oneThread,
              readers,
              pooled,
              report.evaluated() / pooled,
              baseline);
        }
      } finally {
        pool.shutdown();
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static BacktestReport backtest(TestApp app) {
    return app.replays.backtest(
        "demo-credit-policy", "2", Optional.empty(), Optional.empty(), 0, 50, Progress.NONE);
  }

  /** N decisions from many threads, so the writer commits full batches. */
  private static void record(TestApp app, int n) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < 512; c++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                  app.decisions.submit(
                      Fixtures.request(
                          1000 + (i % 100) * 1000, 200_000, (i % 10) / 10.0, "approve", 0.9),
                      "bench",
                      Optional.empty());
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static long baseline(TestApp app) {
    var candidate = app.policies.version("demo-credit-policy", "2").orElseThrow().policy();
    AtomicLong changed = new AtomicLong();
    app.decisions.forEachSummary(
        DecisionQuery.scoped(
            Optional.of("demo-credit"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        summary -> {
          var decision = app.decisions.load(summary).orElseThrow().decision();
          if (!candidate.evaluate(decision.facts()).route().equals(decision.evaluation().route())) {
            changed.incrementAndGet();
          }
        });
    return changed.get();
  }
}
