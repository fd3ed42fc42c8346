package io.arbiter.bench;

import io.arbiter.drift.Distribution;
import io.arbiter.drift.ReferenceProfile;
import io.arbiter.monitor.MetricListeners;
import io.arbiter.policy.DriftFacts;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.slo.ObjectivesParser;
import io.arbiter.slo.SloMonitor;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestMetrics;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * What observing intake costs: in-process intake (as {@link IntakeBench}: the real service, policy,
 * PROV mapping, digest, ledger entry and TDB2 group commit, no HTTP) with the hot-path observers
 * attached ("on") and without them ("off"), alternating on fresh stores in one run. The target
 * (issue 7): "on" sustains at least 95% of "off".
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.IntakeOverheadBench \
 *     --n 4000 --clients 64 --rounds 8
 * </pre>
 *
 * <p>"On" runs feed a real MicroProfile Metrics registry — SmallRye Metrics over Micrometer's
 * Prometheus registry, the implementation Liberty runs ({@link TestMetrics}) — through the same
 * {@link MetricListeners} that {@code OperationalMetrics} wires in the server, and a scraper
 * renders the Prometheus text every {@code --scrape-ms} meanwhile, as Liberty would for a scraper.
 * Rounds alternate the order (off then on, then on then off, ...) so that a drift in the machine's
 * speed during the run does not favour either side; one round of each, not counted, warms the JIT
 * first.
 */
public final class IntakeOverheadBench {

  private IntakeOverheadBench() {}

  /** What an observer is attached to on an "on" run. */
  record Wiring(
      TestApp app,
      TestStore graph,
      MetricRegistry registry,
      Clock clock,
      List<Runnable> periodic) {}

  /** One thing Arbiter runs on the intake path to observe it, and how to attach it. */
  record Observer(String name, Consumer<Wiring> attach) {}

  /**
   * Everything "on" adds to intake; "off" runs have none of it. Another observer of intake (a
   * further {@code onRecorded} or {@code onCommitted} listener) belongs in this list; "off" runs
   * leave the drift monitor unconnected ({@code TestApp.demo(graph, false)}).
   */
  static final List<Observer> HOT_PATH =
      List.of(
          new Observer(
              "metrics: decisions by route, intake and policy evaluation timers, queue gauges,"
                  + " store commit timer and batch size",
              w -> {
                MetricListeners listeners = new MetricListeners(w.registry(), w.clock());
                listeners.decisions(w.app().decisions, listeners.queueGauges(w.app().reviews));
                listeners.writePath(w.graph().runtime);
              }),
          new Observer(
              "drift: windows of amount, income, riskScore and score (10 bins each) fed at"
                  + " intake, drift facts read at intake, assessed every scrape interval",
              w -> {
                w.app().watchDrift();
                Fixtures.referenceInForce(w.app().drift, demoReference(), "bench");
                w.periodic().add(w.app().drift::assess);
              }),
          new Observer(
              "SLOs: the bundled objectives counted at intake and settlement, evaluated every"
                  + " scrape interval; their gauges",
              w -> {
                SloMonitor slo =
                    new SloMonitor(
                        ObjectivesParser.parse(
                            "bundled", Fixtures.resource("demo/slo/objectives.yaml")),
                        w.graph().writer,
                        w.clock(),
                        TestStore.IRIS);
                w.app().decisions.onRecorded(d -> slo.onRecorded(d, w.clock().instant()));
                w.app()
                    .decisions
                    .onResolved(
                        (d, r) -> slo.onSettled(d.model(), d.tenant(), java.util.Map::of, r));
                new MetricListeners(w.registry(), w.clock()).objectives(slo);
                w.periodic().add(slo::evaluate);
              }));

  /** Ten equal bins over the ranges the benchmark's decisions use. */
  private static ReferenceProfile demoReference() {
    return new ReferenceProfile(
        new ModelVersionRef("demo-credit", "1"),
        Map.of(
            "amount",
            bins(0, 100000),
            "income",
            bins(0, 200000),
            "riskScore",
            bins(0, 1),
            DriftFacts.SCORE,
            bins(0, 1)));
  }

  private static Distribution bins(double low, double high) {
    List<Double> edges = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      edges.add(low + (high - low) * i / 10);
      if (i < 10) {
        counts.add(1.0);
      }
    }
    return new Distribution.Histogram(edges, counts);
  }

  record Run(int round, boolean on, double perSecond, double p50, double p99) {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "4000"));
    int clients = Integer.parseInt(IntakeBench.option(args, "--clients", "64"));
    int batchMax = Integer.parseInt(IntakeBench.option(args, "--batch-max", "256"));
    int rounds = Integer.parseInt(IntakeBench.option(args, "--rounds", "8"));
    long scrapeMillis = Long.parseLong(IntakeBench.option(args, "--scrape-ms", "1000"));
    // A/A control: "on" runs attach nothing and scrape nothing, so their spread against "off" is
    // what the machine alone contributes.
    boolean control = Arrays.asList(args).contains("--control");
    System.out.printf(
        Locale.ROOT,
        "Intake with observers on and off: %d decisions per run, %d clients, batch-max %d,"
            + " %d rounds, scrape every %d ms; %d cores, Java %s%n",
        n,
        clients,
        batchMax,
        rounds,
        scrapeMillis,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    List<Observer> observers = control ? List.of() : HOT_PATH;
    if (control) {
      System.out.println("control (A/A): \"on\" runs attach nothing");
    }
    observers.forEach(o -> System.out.println("on = " + o.name()));
    Settings settings = new Settings(clients, batchMax, scrapeMillis, observers);
    run(0, false, Math.max(n / 4, 500), settings); // warm-up, not counted
    run(0, true, Math.max(n / 4, 500), settings);
    List<Run> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      boolean onFirst = round % 2 == 0;
      runs.add(run(round, onFirst, n, settings));
      runs.add(run(round, !onFirst, n, settings));
    }
    report(runs);
  }

  record Settings(int clients, int batchMax, long scrapeMillis, List<Observer> observers) {}

  static Run run(int round, boolean on, int n, Settings settings) throws Exception {
    Path dir = Files.createTempDirectory("arbiter-overhead");
    try (TestStore graph = new TestStore(dir, TestStore.journalBatch(settings.batchMax()))) {
      TestApp app = TestApp.demo(graph, false);
      MetricRegistry registry = TestMetrics.registry();
      List<Runnable> periodic = new java.util.concurrent.CopyOnWriteArrayList<>();
      if (on) {
        Wiring wiring = new Wiring(app, graph, registry, Clock.systemUTC(), periodic);
        settings.observers().forEach(observer -> observer.attach().accept(wiring));
      }
      for (int i = 0; i < 200; i++) { // warm-up on this store
        app.decisions.submit(
            Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "bench", Optional.empty());
      }
      boolean observed = on && !settings.observers().isEmpty();
      Thread scraper =
          observed && settings.scrapeMillis() > 0
              ? scraper(registry, periodic, settings.scrapeMillis())
              : null;
      long[] latencies = new long[n];
      long started = System.nanoTime();
      IntakeBench.submit(app.decisions, settings.clients(), latencies);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (scraper != null) {
        scraper.interrupt();
        scraper.join();
      }
      if (observed) {
        checkFed(registry, n + 200);
      }
      Arrays.sort(latencies);
      Run result =
          new Run(
              round, on, n / seconds, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
      System.out.printf(
          Locale.ROOT,
          "round %d, observers %-3s: %7.1f decisions/s (p50 %.1f ms, p99 %.1f ms)%s%n",
          round,
          on ? "on" : "off",
          result.perSecond(),
          result.p50(),
          result.p99(),
          round == 0 ? ", warm-up" : "");
      return result;
    } finally {
      IntakeBench.delete(dir);
    }
  }

  /**
   * Renders the Prometheus text every {@code millis}, as a scraper would make Liberty do, and runs
   * the observers' periodic work (drift assessment, SLO evaluation), as the server's scheduler
   * does.
   */
  private static Thread scraper(MetricRegistry registry, List<Runnable> periodic, long millis) {
    Thread thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(millis);
                  periodic.forEach(Runnable::run);
                  TestMetrics.scrape(registry);
                }
              } catch (InterruptedException stop) {
                // asked to stop
              }
            },
            "bench-scraper");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** An "on" run whose metrics were not fed measured nothing: refuse its figure. */
  private static void checkFed(MetricRegistry registry, long decisions) {
    long counted =
        registry
            .getCounters((id, metric) -> id.getName().equals("arbiter_decisions"))
            .values()
            .stream()
            .mapToLong(c -> c.getCount())
            .sum();
    long evaluated = registry.timer("arbiter_policy_evaluation").getCount();
    if (counted != decisions || evaluated != decisions) {
      throw new IllegalStateException(
          "metrics counted " + counted + " and timed " + evaluated + " of " + decisions);
    }
  }

  /**
   * Per round and overall. The verdict is on the ratio of mean throughputs; the median of the
   * per-round ratios and the lowest one show how much a single pair can mislead.
   */
  private static void report(List<Run> runs) {
    System.out.printf(
        Locale.ROOT, "%n%-6s %12s %12s %8s%n", "round", "off dec/s", "on dec/s", "on/off");
    int rounds = runs.size() / 2;
    double[] ratios = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      double off = rate(runs, round, false);
      double on = rate(runs, round, true);
      ratios[round - 1] = on / off;
      System.out.printf(Locale.ROOT, "%-6d %12.1f %12.1f %8.3f%n", round, off, on, on / off);
    }
    Arrays.sort(ratios);
    double median =
        rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
    double meanOff =
        runs.stream().filter(r -> !r.on()).mapToDouble(Run::perSecond).average().orElseThrow();
    double meanOn =
        runs.stream().filter(Run::on).mapToDouble(Run::perSecond).average().orElseThrow();
    double ratio = meanOn / meanOff;
    System.out.printf(
        Locale.ROOT,
        "mean   %12.1f %12.1f %8.3f   (median of rounds %.3f, lowest %.3f);"
            + " target on/off >= 0.95: %s%n",
        meanOff,
        meanOn,
        ratio,
        median,
        ratios[0],
        ratio >= 0.95 ? "met" : "NOT met");
  }

  private static double rate(List<Run> runs, int round, boolean on) {
    return runs.stream()
        .filter(r -> r.round() == round && r.on() == on)
        .mapToDouble(Run::perSecond)
        .findFirst()
        .orElseThrow();
  }
}
