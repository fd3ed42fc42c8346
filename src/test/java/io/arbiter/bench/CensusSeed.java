package io.arbiter.bench;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequestParser;
import io.arbiter.decision.GroundTruth;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.Route;
import io.arbiter.registry.DataEntries;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.ReviewTask;
import io.arbiter.review.TaskState;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The census's history, written through the real write path (intake, journal, projector, TDB2) into
 * a data directory a server then opens as its own: {@code n} decisions over 30 simulated days that
 * end a day before now, by two versions of demo-credit and a second model (credit-lite), for four
 * tenants and none, under three policy versions (the demo's, a revision activated on day 10 whose
 * reviews have a 90-day SLA, and a shadow from day 20); 30 % of them escalated.
 *
 * <p>Escalations of the first 20 days are worked by the server's demo reviewers (reviewer,
 * reviewer2, lead-reviewer): a verdict each, two blind verdicts for large amounts, one in ten of
 * those disagreeing and ruled by a lead; one in twenty of the first days' escalations is left to
 * time out. Later escalations stay open, so that at 100,000 decisions about 10,000 tasks are open
 * and 20,000 settled. Outcomes are recorded for a fifth of the decisions, and hours are tallied as
 * the server does.
 */
final class CensusSeed {

  /** The base IRI the seeded data is written under; the census's server is started with it. */
  static final String BASE_IRI = TestStore.IRIS.base();

  static final String[] TENANTS = {"retail", "retail-eu", "us-retail", "eu-retail", null};
  private static final Duration SPAN = Duration.ofDays(30);

  /** Reviews are worked after each chunk: its oldest task must still be within its 8-hour SLA. */
  private static final Duration CHUNK_SPAN = Duration.ofHours(4);

  private CensusSeed() {}

  /** What the seed made that the census needs to know. */
  record Seeded(Instant start, Instant end, int decisions) {}

  static Seeded seed(Path data, int n) throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
    Instant start = end.minus(SPAN);
    Duration step = SPAN.dividedBy(n);
    TestClock clock = new TestClock(start);
    try (TestStore graph =
        new TestStore(
            Tdb2ProvStore.open(data.resolve("tdb2"), TestStore.IRIS), data.resolve("journal"))) {
      TestApp app =
          new TestApp(
              graph,
              List.of(
                  new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
              List.of(
                  new SeedFile("demo-policy", Fixtures.resource("demo/policies/demo-credit.yaml"))),
              clock,
              true);
      registry(app);
      long began = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      int settled = 0;
      int chunkSize = (int) Math.max(1, Math.min(500, CHUNK_SPAN.toNanos() / step.toNanos()));
      int reported = 0;
      for (int from = 0; from < n; from += chunkSize) {
        int to = Math.min(n, from + chunkSize);
        double day = (double) from / n * 30;
        if (day >= 10 && app.policies.version("demo-credit-policy", "2").isEmpty()) {
          revise(app, "2", "P90D", 40_000, PolicyTransition.ACTIVATE);
        }
        if (day >= 20 && app.policies.version("demo-credit-policy", "3").isEmpty()) {
          revise(app, "3", "P90D", 30_000, PolicyTransition.SHADOW);
        }
        List<Decision> chunk = Collections.synchronizedList(new ArrayList<>());
        next.set(from);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    for (int i; (i = next.getAndIncrement()) < to; ) {
                      clock.advance(step);
                      chunk.add(submit(app, i));
                    }
                  });
          threads.add(thread);
          thread.start();
        }
        for (Thread thread : threads) {
          thread.join();
        }
        if (day < 20) {
          settled += work(app, chunk, clock);
        }
        app.reviews.sweep();
        truths(app, chunk, clock);
        if (to / 10_000 > reported) {
          reported = to / 10_000;
          System.out.printf(
              Locale.ROOT,
              "seeded %,d decisions, %,d tasks settled, %.0f s%n",
              to,
              settled,
              (System.nanoTime() - began) / 1e9);
        }
      }
      int tallied = app.decisions.tallyClosedHours();
      System.out.printf(
          Locale.ROOT,
          "seeded %,d decisions (%,d tasks settled by people, %d hours tallied) in %.0f s;"
              + " waiting for the projection%n",
          n,
          settled,
          tallied,
          (System.nanoTime() - began) / 1e9);
      while (!graph.runtime.projector().await(graph.journal.size(), Duration.ofMinutes(1))) {
        System.out.printf(
            Locale.ROOT,
            "projected %,d of %,d events%n",
            graph.runtime.projector().projected(),
            graph.journal.size());
      }
      graph.runtime.compactor().compactNow();
      System.out.printf(
          Locale.ROOT, "projected and compacted: %.0f s%n", (System.nanoTime() - began) / 1e9);
    }
    return new Seeded(start, end, n);
  }

  private static void registry(TestApp app) throws Exception {
    var data = app.registry.data();
    data.register(
        DataEntries.source(
            json(
                "{\"id\": \"bureau\", \"title\": \"Bureau\", \"fields\": [{\"name\": \"score\"}]}")),
        "data-steward");
    data.register(
        DataEntries.source(json("{\"id\": \"applications\", \"title\": \"Applications\"}")),
        "data-steward");
    data.register(
        DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loans\"}")), "data-steward");
    data.register(
        DataEntries.datasetVersion(
            json(
                "{\"dataset\": \"loans\", \"version\": \"1\", \"contentHash\": \"sha256:"
                    + "ab".repeat(32)
                    + "\", \"derivedFrom\": [\"bureau\", \"applications\"]}")),
        "data-steward");
    app.registry.register(
        ModelVersion.parse(
            json(
                "{\"name\": \"demo-credit\", \"version\": \"2\", \"trainedOn\": [{\"dataset\":"
                    + " \"loans\", \"version\": \"1\"}], \"training\": {\"by\": \"trainer\"}}")),
        "data-steward");
    app.registry.approve(
        new ModelVersionRef("demo-credit", "2"), "policy-approver", Optional.empty());
    app.registry.register(
        ModelVersion.parse(json("{\"name\": \"credit-lite\", \"version\": \"1\"}")),
        "data-steward");
    String lite =
        Fixtures.resource("demo/policies/demo-credit.yaml")
            .replace("id: demo-credit-policy", "id: credit-lite-policy")
            .replace("models: [demo-credit]", "models: [credit-lite]");
    app.policies.register(lite, "policy-author");
    app.policies.transition(
        "credit-lite-policy", "1", PolicyTransition.APPROVE, "policy-approver", Optional.empty());
    app.policies.transition(
        "credit-lite-policy", "1", PolicyTransition.ACTIVATE, "policy-approver", Optional.empty());
  }

  /** A revision of the demo policy: reviews with {@code sla}, large amounts above {@code limit}. */
  private static void revise(
      TestApp app, String version, String sla, long limit, PolicyTransition last) {
    String text =
        Fixtures.demoPolicyText(version, limit)
            .replace("sla: PT8H", "sla: " + sla)
            .replace("sla: PT24H", "sla: " + sla);
    app.policies.register(text, "policy-author");
    app.policies.transition(
        "demo-credit-policy",
        version,
        PolicyTransition.APPROVE,
        "policy-approver",
        Optional.empty());
    app.policies.transition(
        "demo-credit-policy", version, last, "policy-approver", Optional.empty());
  }

  /**
   * Decision {@code i}: in every hundred, 10 unsure (one reviewer), 5 large (two blind reviewers),
   * 15 matching no rule (one reviewer), 5 rejected and 65 approved by rules.
   */
  static String body(int i) {
    int r = i % 100;
    double amount = 5_000;
    double income = 100_000;
    double risk = 0.1;
    String label = "approve";
    double confidence = 0.9;
    if (r < 10) {
      confidence = 0.5;
    } else if (r < 15) {
      amount = 60_000;
      income = 300_000;
    } else if (r < 30) {
      amount = 30_000;
      income = 50_000;
      risk = 0.5;
    } else if (r < 35) {
      risk = 0.95;
      label = "reject";
    }
    String model = i % 10 == 9 ? "credit-lite" : "demo-credit";
    String version = model.equals("credit-lite") ? "1" : i % 3 == 0 ? "1" : "2";
    String tenant = TENANTS[i % TENANTS.length];
    return """
        {"model": {"name": "%s", "version": "%s"}, "subject": "applicant-%d",%s
         "input": {"amount": %s, "income": %s, "riskScore": %s},
         "output": {"label": "%s", "score": %s, "confidence": %s},
         "context": {"region": "%s", "channel": "%s"}}"""
        .formatted(
            model,
            version,
            i,
            tenant == null ? "" : " \"tenant\": \"" + tenant + "\",",
            (long) amount,
            (long) income,
            risk,
            label,
            confidence,
            confidence,
            i % 2 == 0 ? "EU" : "US",
            i % 3 == 0 ? "web" : "branch");
  }

  private static Decision submit(TestApp app, int i) {
    return app.decisions
        .submit(
            DecisionRequestParser.parse(body(i).getBytes(StandardCharsets.UTF_8)),
            "integrator",
            Optional.empty())
        .recorded()
        .decision();
  }

  private static final Caller REVIEWER = caller("reviewer", Roles.REVIEWER);
  private static final Caller REVIEWER2 = caller("reviewer2", Roles.REVIEWER);
  private static final Caller LEAD = caller("lead-reviewer", Roles.REVIEWER, Roles.LEAD_REVIEWER);

  private static Caller caller(String name, String... roles) {
    return new Caller(name, Set.of(roles)::contains);
  }

  /** Works the chunk's escalations as reviewers would; returns how many it settled. */
  private static int work(TestApp app, List<Decision> chunk, TestClock clock) {
    int settled = 0;
    int k = 0;
    for (Decision decision : chunk) {
      if (decision.evaluation().route().automated()) {
        continue;
      }
      k++;
      if (k % 20 == 0) {
        continue; // left to time out
      }
      String id = decision.id().value();
      ReviewTask task = app.reviews.require(id, LEAD);
      Outcome first = k % 3 == 0 ? Outcome.REJECT : Outcome.APPROVE;
      give(app, id, REVIEWER, first);
      if (task.assignment().reviewers() > 1) {
        boolean disagree = k % 10 == 1;
        give(app, id, REVIEWER2, disagree ? opposite(first) : first);
        if (app.reviews.require(id, LEAD).state() == TaskState.ADJUDICATION) {
          app.reviews.adjudicate(id, LEAD, verdict(first));
        }
      }
      settled++;
    }
    return settled;
  }

  private static void give(TestApp app, String id, Caller reviewer, Outcome outcome) {
    app.reviews.claim(id, reviewer);
    app.reviews.verdict(id, reviewer, verdict(outcome));
  }

  private static VerdictRequest verdict(Outcome outcome) {
    return new VerdictRequest(
        outcome,
        Outcome.APPROVE.equals(outcome) ? "income-verified" : "income-unverified",
        List.of(),
        Optional.of("Checked against the documents."));
  }

  private static Outcome opposite(Outcome outcome) {
    return Outcome.APPROVE.equals(outcome) ? Outcome.REJECT : Outcome.APPROVE;
  }

  /** Outcomes for one decision in five, observed when the chunk ends. */
  private static void truths(TestApp app, List<Decision> chunk, TestClock clock) {
    for (Decision decision : chunk) {
      if (decision.id().value().hashCode() % 5 != 0) {
        continue;
      }
      var summary = app.decisions.requireVisible(decision.id().value(), "integrator", true);
      Route correct =
          decision.request().output().label().equals("reject") ? Route.REJECT : Route.APPROVE;
      app.decisions.recordTruth(
          summary,
          new GroundTruth(
              correct, Optional.of("observed"), clock.instant(), "integrator", clock.instant()),
          Optional.empty());
    }
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }
}
