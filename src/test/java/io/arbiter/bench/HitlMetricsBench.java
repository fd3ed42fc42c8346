package io.arbiter.bench;

import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.decision.PolicyRef;
import io.arbiter.decision.Resolution;
import io.arbiter.monitor.HitlMetrics;
import io.arbiter.policy.Abstention;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The HITL figures ({@link HitlMetrics#of}) over a census-sized month in process: N decisions
 * (default 100,000) by three model versions under three policy versions, 30 % escalated and most of
 * those settled (a few by the SLA's fail-safe), ground truth for a fifth. It times the 30-day
 * window (every decision), as {@code GET /api/v1/metrics/hitl} computes it after walking the index,
 * without HTTP and JSON; the policy terms are looked up in a map, as the resource asks the policy
 * catalogue.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.HitlMetricsBench
 * </pre>
 */
public final class HitlMetricsBench {

  private HitlMetricsBench() {}

  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  public static void main(String[] args) {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "100000"));
    int runs = Integer.parseInt(IntakeBench.option(args, "--runs", "200"));
    Random random = new Random(17);
    List<PolicyRef> policies =
        List.of(
            new PolicyRef("demo-credit-policy", "1"),
            new PolicyRef("demo-credit-policy", "2"),
            new PolicyRef("lite-policy", "1"));
    Map<PolicyRef, HitlMetrics.PolicyTerms> catalogue =
        Map.of(
            policies.get(0), HitlMetrics.PolicyTerms.DEFAULT,
            policies.get(1),
                new HitlMetrics.PolicyTerms(
                    new Abstention(List.of("abstain"), Optional.of(0.55)),
                    OutcomeVocabulary.DEFAULT),
            policies.get(2), HitlMetrics.PolicyTerms.DEFAULT);
    List<DecisionSummary> month = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      month.add(decision(i, n, random, policies));
    }
    Instant end = START.plus(Duration.ofDays(30));
    java.util.function.Supplier<HitlMetrics> month30 =
        () ->
            HitlMetrics.of(
                START,
                end,
                Optional.empty(),
                Optional.empty(),
                month,
                d -> d.policy().map(catalogue::get).orElse(HitlMetrics.PolicyTerms.DEFAULT));
    System.out.printf(Locale.ROOT, "%d decisions, %d runs each%n", n, runs);
    for (int round = 1; round <= 2; round++) {
      long[] nanos = new long[runs];
      for (int r = 0; r < runs; r++) {
        long began = System.nanoTime();
        month30.get();
        nanos[r] = System.nanoTime() - began;
      }
      java.util.Arrays.sort(nanos);
      System.out.printf(
          Locale.ROOT,
          "round %d, 30 days: p50 %.1f ms, p95 %.1f ms%n",
          round,
          nanos[runs / 2] / 1e6,
          nanos[(int) Math.ceil(runs * 0.95) - 1] / 1e6);
    }
    HitlMetrics figures = month30.get();
    System.out.printf(
        Locale.ROOT,
        "check: %d decisions, escalation %.4f, override %.4f, abstained %d, automated accuracy"
            + " %.4f, human wait p95 %d s%n",
        figures.decisions(),
        figures.escalationRate(),
        figures.overrideRate(),
        figures.abstained(),
        figures.automatedAgainstOutcomes().accuracy(),
        figures.p95HumanWaitSeconds());
  }

  private static DecisionSummary decision(int i, int n, Random random, List<PolicyRef> policies) {
    Instant at = START.plusSeconds((long) i * 30 * 86_400 / n);
    boolean escalated = random.nextInt(10) < 3;
    double confidence = 0.5 + random.nextDouble() / 2;
    Route route = escalated ? Route.REVIEW : random.nextInt(4) == 0 ? Route.REJECT : Route.APPROVE;
    Optional<Resolution> resolution = Optional.empty();
    if (escalated && random.nextInt(3) > 0) {
      boolean timedOut = random.nextInt(40) == 0;
      Route outcome = random.nextInt(10) < 7 ? Route.APPROVE : Route.REJECT;
      resolution =
          Optional.of(
              new Resolution(
                  outcome,
                  timedOut ? Resolution.TIMEOUT : "consensus",
                  at.plusSeconds(600 + random.nextInt(28_800)),
                  outcome.equals(Route.REJECT)));
    }
    Optional<GroundTruth> truth =
        random.nextInt(5) == 0
            ? Optional.of(
                new GroundTruth(
                    random.nextInt(10) < 8 ? Route.APPROVE : Route.REJECT,
                    Optional.empty(),
                    at.plus(Duration.ofDays(1)),
                    "bench",
                    at.plus(Duration.ofDays(1)),
                    1,
                    Optional.empty()))
            : Optional.empty();
    return new DecisionSummary(
        DecisionId.next(at),
        "subject-" + i,
        new ModelVersionRef(i % 3 == 2 ? "credit-lite" : "demo-credit", i % 3 == 0 ? "1" : "2"),
        Optional.empty(),
        route,
        RuleKind.RULE,
        Optional.of(escalated ? "low-confidence" : "confident-" + route.wireName()),
        random.nextBoolean() ? "approve" : "reject",
        confidence,
        Optional.of(policies.get(i % 3)),
        "integrator",
        at,
        Optional.empty(),
        i,
        "bundle-" + i,
        Optional.of(Duration.ofMillis(2 + random.nextInt(30))),
        resolution,
        truth);
  }
}
