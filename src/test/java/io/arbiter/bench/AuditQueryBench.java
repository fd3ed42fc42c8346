package io.arbiter.bench;

import io.arbiter.audit.AuditQuery;
import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.api.AuditQueryRunner;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.graph.prov.DatasetImpact;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.graph.prov.Lineage;
import io.arbiter.graph.store.SparqlProvStore;
import io.arbiter.graph.store.TestFuseki;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.Route;
import io.arbiter.registry.DataEntries;
import io.arbiter.registry.ModelVersion;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The audit library, lineage and dataset impact over a large history in a real TDB2 store: N
 * decisions (default 100,000) recorded through the real write path over a simulated month, half by
 * a model version trained on a registered dataset, a policy revision activated half-way, a thousand
 * reviews. Each query runs with typical values; the figures are per query: rows, median, p95 and
 * max milliseconds, with the result cap the API uses (10,000 rows).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.AuditQueryBench
 *   --n 100000 --runs 20 [--fuseki false] [--only lineage --warmup 20]</pre>
 *
 * Then the same queries run against a Fuseki serving the same TDB2 database over HTTP on loopback,
 * through {@link SparqlProvStore} as {@code arbiter.store=sparql} runs ({@code --fuseki false}
 * skips it).
 */
public final class AuditQueryBench {

  private AuditQueryBench() {}

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Measure only what is named with one of these comma-separated texts ({@code --only
   * lineage,who-decided}); all when empty.
   */
  private static String only = "";

  /**
   * Runs before measuring: with {@code --only}, fewer queries run before the chosen ones, so the
   * JIT is colder unless this is raised.
   */
  private static int warmups = 2;

  /** Held so they stay configured: Fuseki and Jetty log every request at INFO otherwise. */
  private static final List<java.util.logging.Logger> QUIET =
      List.of(
          java.util.logging.Logger.getLogger("org.apache.jena.fuseki"),
          java.util.logging.Logger.getLogger("org.eclipse.jetty"));

  private static final Duration STEP = Duration.ofSeconds(5);

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "100000"));
    int runs = Integer.parseInt(IntakeBench.option(args, "--runs", "20"));
    boolean withFuseki = Boolean.parseBoolean(IntakeBench.option(args, "--fuseki", "true"));
    QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
    only = IntakeBench.option(args, "--only", "");
    warmups = Integer.parseInt(IntakeBench.option(args, "--warmup", "2"));
    Path dir = Files.createTempDirectory("arbiter-audit-bench");
    try (TestStore graph = new TestStore(dir)) {
      TestClock clock = new TestClock(START);
      TestApp app =
          new TestApp(
              graph,
              List.of(
                  new io.arbiter.config.SeedFile(
                      "demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
              List.of(
                  new io.arbiter.config.SeedFile(
                      "demo-policy", Fixtures.resource("demo/policies/demo-credit.yaml"))),
              clock,
              false);
      long started = System.nanoTime();
      History history = record(app, clock, n);
      System.out.printf(
          Locale.ROOT,
          "recorded %d decisions and %d reviews in %.1f s, over %s of simulated time%n",
          n,
          history.reviewed().size(),
          (System.nanoTime() - started) / 1e9,
          Duration.between(START, clock.instant()));
      graph.settle();
      graph.runtime.compactor().compactNow();
      System.out.printf(
          Locale.ROOT,
          "TDB2 on disk (compacted): %.1f MB; %d quads%n",
          graph.provStore.diskBytes() / 1e6,
          quads(graph.store));
      System.out.println();
      System.out.println("TDB2 (embedded)");
      measure(graph.store, history, runs);
      if (withFuseki) {
        // The same TDB2 database served by a Fuseki on loopback, read over HTTP as
        // arbiter.store=sparql reads it: the same data, so the figures compare the access paths.
        try (TestFuseki fuseki = TestFuseki.tdb2(dir);
            SparqlProvStore remote = fuseki.connect()) {
          System.out.println();
          System.out.println("Fuseki (the same TDB2 database, SPARQL over HTTP on loopback)");
          measure(remote, history, runs);
        }
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** What the queries are asked about. */
  record History(
      List<String> reviewed, String modelVersion, String dataset, Instant middle, Instant end) {}

  private static JsonObject json(String text) {
    return Jsonp.STRICT_READERS.createReader(new StringReader(text)).readObject();
  }

  static History record(TestApp app, TestClock clock, int n) throws Exception {
    var data = app.registry.data();
    data.register(
        DataEntries.source(
            json(
                "{\"id\": \"bureau\", \"title\": \"Bureau\", \"fields\": [{\"name\": \"score\"}]}")),
        "steward");
    data.register(
        DataEntries.source(json("{\"id\": \"applications\", \"title\": \"Applications\"}")),
        "steward");
    data.register(
        DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loans\"}")), "steward");
    data.register(
        DataEntries.datasetVersion(
            json(
                "{\"dataset\": \"loans\", \"version\": \"1\", \"contentHash\": \"sha256:"
                    + "ab".repeat(32)
                    + "\", \"derivedFrom\": [\"bureau\", \"applications\"]}")),
        "steward");
    app.registry.register(
        ModelVersion.parse(
            json(
                "{\"name\": \"demo-credit\", \"version\": \"2\", \"trainedOn\": [{\"dataset\":"
                    + " \"loans\", \"version\": \"1\"}], \"training\": {\"by\": \"trainer\"}}")),
        "steward");
    app.registry.approve(
        new io.arbiter.registry.ModelVersionRef("demo-credit", "2"), "paula", Optional.empty());

    // Chunks of decisions from many threads (so the writer commits full batches); after each, the
    // newest of its low-confidence escalations are reviewed while their SLA still runs, and
    // half-way the policy's revision is activated.
    int chunk = Math.max(1, Math.min(5000, n / 2));
    int reviewsPerChunk = Math.max(1, 1000 / Math.max(1, n / chunk));
    List<String> reviewed = new ArrayList<>();
    Instant middle = null;
    AtomicInteger next = new AtomicInteger();
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      if (middle == null && from >= n / 2) {
        app.policies.register(Fixtures.demoPolicyText("2", 30000), "alice");
        app.policies.transition(
            "demo-credit-policy", "2", PolicyTransition.APPROVE, "bob", Optional.empty());
        app.policies.transition(
            "demo-credit-policy", "2", PolicyTransition.ACTIVATE, "bob", Optional.empty());
        middle = clock.instant();
      }
      List<String> escalated = Collections.synchronizedList(new ArrayList<>());
      next.set(from);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < 256; c++) {
        Thread thread =
            new Thread(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < to; ) {
                    clock.advance(STEP);
                    submit(app, i, escalated);
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      escalated.sort(Comparator.reverseOrder()); // ids are time-ordered: newest first
      for (String task : escalated.subList(0, Math.min(reviewsPerChunk, escalated.size()))) {
        int k = reviewed.size();
        var reviewer =
            new Caller(
                String.format(Locale.ROOT, "racer%02d", 1 + k % 5),
                Set.of(Roles.REVIEWER)::contains);
        app.reviews.claim(task, reviewer);
        app.reviews.verdict(
            task,
            reviewer,
            new VerdictRequest(
                k % 2 == 0 ? Outcome.REJECT : Outcome.APPROVE,
                "income-unverified",
                List.of("low-confidence"),
                Optional.of("checked")));
        reviewed.add(task);
      }
    }
    // As the server's periodic run would have: every hour over by now is tallied.
    long tallyStart = System.nanoTime();
    int tallies = app.decisions.tallyClosedHours();
    System.out.printf(
        Locale.ROOT,
        "tallied %d closed hours in %.1f s%n",
        tallies,
        (System.nanoTime() - tallyStart) / 1e9);
    return new History(
        reviewed,
        TestStore.IRIS.modelVersion("demo-credit", "2"),
        TestStore.IRIS.dataset("loans"),
        middle,
        clock.instant());
  }

  private static void submit(TestApp app, int i, List<String> escalated) {
    double confidence = i % 20 == 0 ? 0.5 : 0.9;
    String body =
        Fixtures.requestJson(
                1000 + (i % 100) * 1000, 200_000, (i % 10) / 10.0, "approve", confidence)
            .replace("\"version\": \"1\"", "\"version\": \"" + (i % 2 == 0 ? "1" : "2") + "\"");
    Decision d =
        app.decisions
            .submit(
                DecisionRequestParser.parse(body.getBytes(StandardCharsets.UTF_8)),
                "bench",
                Optional.empty())
            .recorded()
            .decision();
    if (Route.REVIEW.equals(d.evaluation().route())
        && d.evaluation().ruleId().equals(Optional.of("low-confidence"))) {
      escalated.add(d.id().value());
    }
  }

  private static long quads(GraphReads store) {
    return store.query(
        io.arbiter.graph.prov.Sparql.prepare("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
            .asQuery(),
        Duration.ofMinutes(5),
        e -> e.execSelect().next().getLiteral("n").getLong());
  }

  /** Every library query with typical values, then lineage and impact, on one store. */
  static void measure(GraphReads store, History h, int runs) {
    var sparql = new SparqlService(store, Duration.ofSeconds(60), 10_000);
    var runner = new AuditQueryRunner(sparql);
    var library = AuditQueryLibrary.bundled();
    var iris = TestStore.IRIS;
    String decision = iris.decision(h.reviewed().get(h.reviewed().size() / 2));
    Instant dayStart = h.middle().minus(Duration.ofHours(12));
    String day =
        "\"from\": \"" + dayStart + "\", \"to\": \"" + dayStart.plus(Duration.ofDays(1)) + "\"";
    // An hour in the middle of the history: listings are paged window by window.
    Instant hourStart = h.middle().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    String hour =
        ", \"from\": \""
            + hourStart
            + "\", \"to\": \""
            + hourStart.plus(Duration.ofHours(1))
            + "\"";
    String modelVersion = "\"modelVersion\": \"" + h.modelVersion() + "\"";
    String rule =
        "\"policyVersion\": \""
            + iris.policyVersion("demo-credit-policy", "1")
            + "\", \"ruleId\": \"low-confidence\"";
    String dataset = "\"dataset\": \"" + h.dataset() + "\"";
    String policy = "\"policy\": \"" + iris.policy("demo-credit-policy") + "\"";
    // label -> {query, values}; a listing is measured over the whole history and over one hour.
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put(
        "decision-lineage",
        new String[] {"decision-lineage", "{\"decision\": \"" + decision + "\"}"});
    cases.put(
        "decisions-by-model-version",
        new String[] {"decisions-by-model-version", "{" + modelVersion + "}"});
    cases.put(
        "decisions-by-model-version, 1 h",
        new String[] {"decisions-by-model-version", "{" + modelVersion + hour + "}"});
    cases.put("decisions-by-rule", new String[] {"decisions-by-rule", "{" + rule + "}"});
    cases.put(
        "decisions-by-rule, 1 h", new String[] {"decisions-by-rule", "{" + rule + hour + "}"});
    cases.put(
        "policy-version-active-at",
        new String[] {"policy-version-active-at", "{" + policy + ", \"at\": \"" + h.end() + "\"}"});
    cases.put(
        "decisions-during-drift",
        new String[] {"decisions-during-drift", "{" + modelVersion + "}"});
    cases.put("who-decided", new String[] {"who-decided", "{\"decision\": \"" + decision + "\"}"});
    cases.put("fail-safe-decisions", new String[] {"fail-safe-decisions", "{" + day + "}"});
    cases.put(
        "escalation-by-policy-version",
        new String[] {"escalation-by-policy-version", "{" + day + "}"});
    Instant alignedDay = dayStart.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    cases.put(
        "escalation-by-policy-version, day on the hour",
        new String[] {
          "escalation-by-policy-version",
          "{\"from\": \""
              + alignedDay
              + "\", \"to\": \""
              + alignedDay.plus(Duration.ofDays(1))
              + "\"}"
        });
    cases.put(
        "escalation-by-policy-version, 1 h",
        new String[] {"escalation-by-policy-version", "{" + hour.substring(2) + "}"});
    cases.put(
        "verdicts-blind-or-sighted", new String[] {"verdicts-blind-or-sighted", "{" + day + "}"});
    cases.put("overrides-by-reviewer", new String[] {"overrides-by-reviewer", "{" + day + "}"});
    cases.put("drift-alarms", new String[] {"drift-alarms", "{" + modelVersion + "}"});
    cases.put(
        "slo-breaches",
        new String[] {"slo-breaches", "{\"objective\": \"" + iris.slo("escalation-band") + "\"}"});
    cases.put(
        "decisions-trained-on-dataset",
        new String[] {"decisions-trained-on-dataset", "{" + dataset + "}"});
    cases.put(
        "decisions-trained-on-dataset, 1 h",
        new String[] {"decisions-trained-on-dataset", "{" + dataset + hour + "}"});
    cases.put(
        "decisions-by-changed-rule",
        new String[] {"decisions-by-changed-rule", "{" + policy + "}"});
    cases.put(
        "decisions-by-changed-rule, 1 h",
        new String[] {"decisions-by-changed-rule", "{" + policy + hour + "}"});
    cases.put(
        "model-versions-in-production-at",
        new String[] {"model-versions-in-production-at", "{\"at\": \"" + h.middle() + "\"}"});
    for (AuditQuery query : library.all()) {
      if (cases.values().stream().noneMatch(c -> c[0].equals(query.name()))) {
        throw new IllegalStateException("no values for " + query.name());
      }
    }
    System.out.printf(
        Locale.ROOT, "%-46s %8s %9s %9s %9s%n", "query", "rows", "median", "p95", "max");
    for (var entry : cases.entrySet()) {
      AuditQuery query = library.find(entry.getValue()[0]).orElseThrow();
      var bound = runner.bind(query, json(entry.getValue()[1]));
      report(
          entry.getKey(),
          runs,
          () -> {
            var result = sparql.execute(bound);
            if (result instanceof SparqlService.Table table) {
              return (long) table.rows().size() + (table.capped() ? 1_000_000_000L : 0);
            }
            return 1L;
          });
    }
    Lineage lineage = new Lineage(store, TestStore.IRIS);
    report(
        "lineage upstream depth 5 (decision)",
        runs,
        () -> (long) lineage.walk(decision, Lineage.Direction.UPSTREAM, 5, 500).nodes().size());
    report(
        "lineage both depth 5 (decision)",
        runs,
        () -> (long) lineage.walk(decision, Lineage.Direction.BOTH, 5, 500).nodes().size());
    report(
        "lineage downstream depth 5 (dataset)",
        runs,
        () ->
            (long) lineage.walk(h.dataset(), Lineage.Direction.DOWNSTREAM, 5, 500).nodes().size());
    DatasetImpact impact = new DatasetImpact(store);
    report("impact (dataset)", runs, () -> impact.of(h.dataset()).orElseThrow().decisions());
  }

  /** Runs {@code work} to warm up ({@code --warmup}), then {@code runs} times; prints figures. */
  private static void report(String name, int runs, Supplier<Long> work) {
    if (!only.isEmpty() && Arrays.stream(only.split(",")).noneMatch(name::contains)) {
      return;
    }
    long rows = 0;
    for (int i = 0; i < warmups; i++) {
      rows = work.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    boolean capped = rows >= 1_000_000_000L;
    System.out.printf(
        Locale.ROOT,
        "%-46s %8s %9.1f %9.1f %9.1f%n",
        name,
        capped ? (rows - 1_000_000_000L) + "+" : Long.toString(rows),
        ms[runs / 2],
        ms[Math.min(runs - 1, (int) Math.ceil(runs * 0.95) - 1)],
        ms[runs - 1]);
  }
}
