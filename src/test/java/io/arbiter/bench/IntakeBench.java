package io.arbiter.bench;

import io.arbiter.decision.DecisionService;
import io.arbiter.graph.verify.LedgerVerifier;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.NoteKey;
import io.arbiter.ledger.TileStore;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process intake benchmark: decisions through the real service, policy, PROV mapping, RDFC
 * digest, ledger entry and TDB2 commit — everything but HTTP — with group commit on and off in the
 * same run, and disk per decision before and after compaction. {@link IntakeOverheadBench} runs the
 * same intake with its observers (metrics) on and off.
 *
 * <pre>mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.IntakeBench -Dexec.args="--n 4000"</pre>
 *
 * <p>With {@code --verify-rounds R} it only records N decisions once and times the full
 * verification R times over them.
 */
public final class IntakeBench {

  private IntakeBench() {}

  record Result(
      String label,
      double perSecond,
      double p50,
      double p99,
      long bytes,
      long compactedBytes,
      double verifiedPerSecond,
      int n) {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(option(args, "--n", "4000"));
    int verifyRounds = Integer.parseInt(option(args, "--verify-rounds", "0"));
    if (verifyRounds > 0) {
      verifyOnly(n, verifyRounds);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "Arbiter intake, in process: %d decisions per run; %d cores, Java %s%n",
        n,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    List<Result> results = new ArrayList<>();
    results.add(
        run("one transaction per decision (batch-max 1), 16 clients", 1, 16, Math.min(n, 1500)));
    results.add(run("group commit (batch-max 256), 16 clients", 256, 16, n));
    results.add(run("group commit (batch-max 256), 64 clients", 256, 64, n));
    // Enough clients that every batch is full: what the store itself sustains for our bundles.
    results.add(
        run("store ceiling (batch-max 1024), 1024 clients", 1024, 1024, Math.max(n, 10_000)));
    System.out.printf(
        Locale.ROOT,
        "%n%-58s %9s %8s %8s %12s %12s %12s%n",
        "run",
        "dec/s",
        "p50 ms",
        "p99 ms",
        "KB/decision",
        "compacted",
        "verified/s");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-58s %9.0f %8.2f %8.2f %12.1f %12.1f %12.0f%n",
          r.label,
          r.perSecond,
          r.p50,
          r.p99,
          r.bytes / 1024.0 / r.n,
          r.compactedBytes / 1024.0 / r.n,
          r.verifiedPerSecond);
    }
    System.out.printf(
        Locale.ROOT,
        "group commit (16 clients) is %.1fx one transaction per decision%n",
        results.get(1).perSecond / results.get(0).perSecond);
  }

  static Result run(String label, int batchMax, int clients, int n) throws Exception {
    Path dir = Files.createTempDirectory("arbiter-bench");
    Path ledger = Files.createTempDirectory("arbiter-bench-ledger");
    try (TestStore graph = new TestStore(dir, TestStore.journalBatch(batchMax))) {
      DecisionService service = TestApp.demo(graph).decisions;
      for (int i = 0; i < 200; i++) { // warm-up
        service.submit(
            Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "bench", Optional.empty());
      }
      long[] latencies = new long[n];
      long started = System.nanoTime();
      submit(service, clients, latencies);
      double seconds = (System.nanoTime() - started) / 1e9;
      long bytes = graph.provStore.diskBytes();
      double verifiedPerSecond = verify(graph, ledger);
      graph.settle();
      graph.runtime.compactor().compactNow();
      long compacted = graph.provStore.diskBytes();
      Arrays.sort(latencies);
      Result result =
          new Result(
              label,
              n / seconds,
              latencies[n / 2] / 1e6,
              latencies[(int) (n * 0.99)] / 1e6,
              bytes,
              compacted,
              verifiedPerSecond,
              n);
      System.out.printf(Locale.ROOT, "%s: %.0f decisions/s%n", label, result.perSecond);
      return result;
    } finally {
      delete(dir);
      delete(ledger);
    }
  }

  /** Submits {@code latencies.length} decisions from {@code clients} threads; records each time. */
  static void submit(DecisionService service, int clients, long[] latencies)
      throws InterruptedException {
    int n = latencies.length;
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                  var request =
                      Fixtures.request(1000 + i % 90_000, 56000, (i % 30) / 100.0, "approve", 0.9);
                  long t0 = System.nanoTime();
                  service.submit(request, "bench", Optional.empty());
                  latencies[i] = System.nanoTime() - t0;
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /**
   * {@code --verify-rounds R}: one store of N decisions recorded as the store-ceiling run records
   * them, then the full verification R times on it (the first round includes JIT warm-up).
   */
  static void verifyOnly(int n, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("arbiter-bench");
    try (TestStore graph = new TestStore(dir)) {
      long started = System.nanoTime();
      submit(TestApp.demo(graph).decisions, 1024, new long[n]);
      System.out.printf(
          Locale.ROOT,
          "recorded %d decisions in %.0f s; store %.1f GB%n",
          n,
          (System.nanoTime() - started) / 1e9,
          graph.provStore.diskBytes() / 1e9);
      for (int round = 1; round <= rounds; round++) {
        Path ledger = Files.createTempDirectory("arbiter-bench-ledger");
        try {
          System.out.printf(
              Locale.ROOT, "verification round %d: %.0f entries/s%n", round, verify(graph, ledger));
        } finally {
          delete(ledger);
        }
      }
    } finally {
      delete(dir);
    }
  }

  static void delete(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Signs a checkpoint over the whole log and times the full verification the verifier command
   * runs: every entry, every bundle digest recomputed from the store, the tree and the signature.
   */
  static double verify(TestStore graph, Path dir) throws Exception {
    String origin = "arbiter.bench/ledger";
    NoteKey key = NoteKey.generate(origin, new SecureRandom());
    var publisher =
        new CheckpointPublisher(
            graph.tree,
            key,
            origin,
            dir.resolve("checkpoint"),
            new TileStore(dir.resolve("tiles"), new JournalLedgerEntries(graph.journal)));
    publisher.start();
    graph.settle();
    long started = System.nanoTime();
    var report =
        new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.empty())
            .verify(
                graph.journal,
                Optional.of(graph.provStore),
                key.verifierKey(),
                publisher.latestNote().orElseThrow(),
                List.of());
    double seconds = (System.nanoTime() - started) / 1e9;
    if (!report.ok()) {
      throw new IllegalStateException("the benchmark's own log does not verify: " + report);
    }
    return report.entries() / seconds;
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
