package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.GroundTruth;
import io.arbiter.policy.Abstention;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.Route;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HITL figures over six decisions recorded through the real services, worked out by hand. */
class HitlMetricsTest {

  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(START);
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app =
        new TestApp(
            graph,
            List.of(new SeedFile("m", Fixtures.resource("demo/models/demo-credit.yaml"))),
            List.of(new SeedFile("p", Fixtures.resource("demo/policies/demo-credit.yaml"))),
            clock);
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private String submit(DecisionRequest request) {
    return app.decisions
        .submit(request, "integrator", Optional.empty())
        .recorded()
        .decision()
        .id()
        .value();
  }

  private void truth(String id, Route correct) {
    app.decisions.recordTruth(
        app.decisions.requireVisible(id, "integrator", true),
        new GroundTruth(correct, Optional.empty(), clock.instant(), "integrator", clock.instant()),
        Optional.empty());
  }

  private void decide(String id, Outcome outcome, String justification) {
    Caller rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    app.reviews.claim(id, rita);
    app.reviews.verdict(
        id,
        rita,
        new VerdictRequest(
            outcome, "checked", List.of("low-confidence"), Optional.ofNullable(justification)));
  }

  @Test
  void figuresOverAHandWorkedWindow() {
    String approvedRightly = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.9));
    String approvedWrongly = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.9));
    String rejectedWrongly = submit(Fixtures.request(10_000, 200_000, 0.95, "reject", 0.9));
    String agreed = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.5));
    String overridden = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.5));
    String timedOut = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.5));
    clock.advance(Duration.ofMinutes(10));
    decide(agreed, Outcome.APPROVE, null); // waited 600 s
    clock.advance(Duration.ofMinutes(10));
    decide(overridden, Outcome.REJECT, "Income not verified."); // 1200 s
    clock.advance(Duration.ofHours(8).minusMinutes(20));
    app.reviews.sweep(); // the third times out at 8 h: 28800 s
    truth(approvedRightly, Route.APPROVE);
    truth(approvedWrongly, Route.REJECT);
    truth(rejectedWrongly, Route.APPROVE);
    truth(agreed, Route.APPROVE);
    truth(overridden, Route.REJECT);

    List<DecisionSummary> all = new ArrayList<>();
    app.decisions.forEachSummary(DecisionQuery.all(), all::add);
    // A floor of 0.6: the three at confidence 0.5 count as abstained.
    HitlMetrics m =
        HitlMetrics.of(
            START,
            START.plus(Duration.ofDays(1)),
            Optional.empty(),
            Optional.empty(),
            all,
            d ->
                new HitlMetrics.PolicyTerms(
                    new Abstention(List.of("abstain"), Optional.of(0.6)),
                    OutcomeVocabulary.DEFAULT));
    assertEquals(6, m.decisions());
    assertEquals(3, m.abstained());
    assertEquals(0.5, m.abstentionRate(), 1e-9);
    // The test clock stands still during intake: every decision took 0 ms of machine time.
    assertEquals(6, m.machineTimed());
    assertEquals(0L, m.medianMachineMillis());
    assertEquals(0L, m.p95MachineMillis());
    assertEquals(3, m.automated());
    assertEquals(0.5, m.automationRate(), 1e-9);
    assertEquals(0.5, m.escalationRate(), 1e-9);
    assertEquals(0.0, m.failSafeRate(), 1e-9);
    assertEquals(0.0, m.defaultRouteShare(), 1e-9);
    assertEquals(
        Map.of("affordable-low-risk", 2, "high-risk-reject", 1, "low-confidence", 3), m.byRule());
    assertEquals(3, m.settled());
    assertEquals(1, m.timedOut());
    assertEquals(0.5, m.overrideRate(), 1e-9); // one of the two human settlements
    assertEquals(1200L, m.medianHumanWaitSeconds()); // of 600, 1200, 28800
    assertEquals(28800L, m.p95HumanWaitSeconds());
    // Automated (decided, true): (A, A), (A, R), (R, A): 1 of 3 right; 1 of 2 approvals right;
    // 1 of the 2 that deserved approval approved.
    assertEquals(3, m.automatedAgainstOutcomes().withOutcome());
    assertEquals(1 / 3.0, m.automatedAgainstOutcomes().accuracy(), 1e-9);
    assertEquals(0.5, m.automatedAgainstOutcomes().precision(), 1e-9);
    assertEquals(0.5, m.automatedAgainstOutcomes().recall(), 1e-9);
    // Reviewed: (A, A) and (R, R); the timed-out one has no outcome.
    assertEquals(2, m.reviewedAgainstOutcomes().withOutcome());
    assertEquals(1.0, m.reviewedAgainstOutcomes().accuracy(), 1e-9);
    assertEquals(1.0, m.reviewedAgainstOutcomes().precision(), 1e-9);
    assertEquals(1.0, m.reviewedAgainstOutcomes().recall(), 1e-9);

    HitlMetrics otherPolicy =
        HitlMetrics.of(
            START,
            START.plus(Duration.ofDays(1)),
            Optional.empty(),
            Optional.of("none"),
            all,
            d -> HitlMetrics.PolicyTerms.DEFAULT);
    assertEquals(0, otherPolicy.decisions());
    assertEquals(null, otherPolicy.automationRate());
    assertEquals(null, otherPolicy.abstentionRate());

    // Without a floor only the label counts, and no label here is "abstain".
    assertEquals(
        0,
        HitlMetrics.of(
                START,
                START.plus(Duration.ofDays(1)),
                Optional.empty(),
                Optional.empty(),
                all,
                d -> HitlMetrics.PolicyTerms.DEFAULT)
            .abstained());
  }
}
