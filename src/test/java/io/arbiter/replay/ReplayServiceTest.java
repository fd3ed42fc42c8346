package io.arbiter.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.jobs.Progress;
import io.arbiter.policy.PolicyTransition;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay, backtest, shadow report and coverage over a known history in a real store: seven
 * decisions whose routes under version 1 (large amounts above 50000 go to review) and version 2
 * (above 30000) are worked out by hand below.
 */
class ReplayServiceTest {

  private static final String POLICY = "demo-credit-policy";
  private static final double INCOME = 200_000; // every amount here is affordable

  /** amount, confidence → v1 route, v2 route. */
  private static final List<double[]> HISTORY =
      List.of(
          new double[] {10000, 0.9}, // approve, approve (affordable-low-risk)
          new double[] {20000, 0.9}, // approve, approve
          new double[] {35000, 0.9}, // approve, review (large-amount in v2)
          new double[] {45000, 0.9}, // approve, review
          new double[] {60000, 0.9}, // review, review (large-amount)
          new double[] {70000, 0.9}, // review, review
          new double[] {10000, 0.5}); // review, review (low-confidence guardrail)

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app = TestApp.demo(graph);
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private List<RecordedDecision> submitHistory() {
    List<RecordedDecision> recorded = new ArrayList<>();
    for (double[] row : HISTORY) {
      recorded.add(
          app.decisions
              .submit(
                  Fixtures.request(row[0], INCOME, 0.1, "approve", row[1]),
                  "alice",
                  Optional.empty())
              .recorded());
    }
    return recorded;
  }

  private void step(String version, PolicyTransition transition) {
    app.policies.transition(POLICY, version, transition, "bob", Optional.empty());
  }

  private void registerVersion2() {
    app.policies.register(Fixtures.demoPolicyText("2", 30000), "alice");
    step("2", PolicyTransition.APPROVE);
  }

  @Test
  void everyDecisionReplays_withItsPinnedVersion_evenAfterTheActiveVersionChanged() {
    List<RecordedDecision> underV1 = submitHistory();
    registerVersion2();
    step("2", PolicyTransition.ACTIVATE);
    List<RecordedDecision> underV2 = submitHistory();

    for (RecordedDecision recorded : underV1) {
      Replay replay = app.replays.replay(reload(recorded));
      assertTrue(replay.matches(), replay.differences().toString());
      assertEquals("1", recorded.decision().policy().orElseThrow().version());
    }
    for (RecordedDecision recorded : underV2) {
      Replay replay = app.replays.replay(reload(recorded));
      assertTrue(replay.matches(), replay.differences().toString());
    }
    assertEquals(Route.APPROVE, underV1.get(2).decision().evaluation().route());
    assertEquals(Route.REVIEW, underV2.get(2).decision().evaluation().route());
  }

  @Test
  void replay_reportsWhatDiffers_whenTheRecordingWasChangedBehindItsBack() {
    RecordedDecision approved = submitHistory().get(0);
    String routing = TestStore.IRIS.decision(approved.decision().id().value()) + "/routing";
    graph.settle(); // what the journal holds is in TDB2 before it is changed there
    var tdb = DatabaseMgr.connectDatasetGraph(dir.toString());
    Txn.executeWrite(
        tdb,
        () -> {
          Node graphName = NodeFactory.createURI(approved.bundleIri());
          Node subject = NodeFactory.createURI(routing);
          tdb.delete(graphName, subject, Vocab.route.asNode(), Vocab.RouteApprove.asNode());
          tdb.add(graphName, subject, Vocab.route.asNode(), Vocab.RouteReject.asNode());
        });
    // The index still holds the summary it built at intake; read the decision back fresh.
    Replay replay = app.replays.replay(app.decisions.find(approved.decision().id()).orElseThrow());
    assertFalse(replay.matches());
    assertEquals(List.of("route: recorded reject, replayed approve"), replay.differences());
  }

  @Test
  void backtest_countsExactlyTheDecisionsTheCandidateChanges() {
    submitHistory();
    registerVersion2();
    BacktestReport report =
        app.replays.backtest(POLICY, "2", Optional.empty(), Optional.empty(), 0, 1, Progress.NONE);

    assertEquals(7, report.evaluated());
    assertEquals(2, report.changed());
    assertEquals(Map.of("approve→review", 2L), report.changedByRoutePair());
    assertEquals(Map.of("large-amount", 2L), report.changedByRule());
    assertEquals(3.0 / 7, report.escalationBefore(), 1e-9);
    assertEquals(5.0 / 7, report.escalationAfter(), 1e-9);
    assertEquals(1, report.changes().size());
    assertEquals(Optional.of(1L), report.nextOffset());

    BacktestReport second =
        app.replays.backtest(POLICY, "2", Optional.empty(), Optional.empty(), 1, 1, Progress.NONE);
    assertEquals(Optional.empty(), second.nextOffset());
    var amounts =
        List.of(report.changes().get(0).decisionId(), second.changes().get(0).decisionId());
    assertEquals(2, amounts.stream().distinct().count(), "pages do not overlap");
    assertEquals(Route.APPROVE, second.changes().get(0).recordedRoute());
    assertEquals(Optional.of("affordable-low-risk"), second.changes().get(0).recordedRule());
    assertEquals(Optional.of("large-amount"), second.changes().get(0).candidateRule());
  }

  /** Counts what a report tells it; cancels the job after {@code stopAfter} units. */
  private static final class Watching implements Progress {
    final long stopAfter;
    long total = -1;
    long done;

    Watching(long stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public void total(long units) {
      total = units;
    }

    @Override
    public void advance(long units) {
      if (done >= stopAfter) {
        throw new java.util.concurrent.CancellationException("cancelled");
      }
      done += units;
    }
  }

  @Test
  void backtest_tellsItsProgressOfTheDecisionsInRange_andStopsWhenCancelled() {
    submitHistory();
    registerVersion2();
    Watching watched = new Watching(Long.MAX_VALUE);
    BacktestReport report =
        app.replays.backtest(POLICY, "2", Optional.empty(), Optional.empty(), 0, 1, watched);
    assertEquals(7, watched.total, "counted before it starts");
    assertEquals(7, watched.done);
    assertEquals(7, report.evaluated());

    Watching cancelled = new Watching(3);
    assertThrows(
        java.util.concurrent.CancellationException.class,
        () ->
            app.replays.backtest(POLICY, "2", Optional.empty(), Optional.empty(), 0, 1, cancelled));
    assertEquals(3, cancelled.done, "no decision evaluated after the cancellation");
  }

  @Test
  void shadowReportAndCoverage_tellTheirProgress() {
    registerVersion2();
    step("2", PolicyTransition.SHADOW);
    submitHistory();
    Watching shadow = new Watching(Long.MAX_VALUE);
    app.replays.shadowReport(POLICY, "2", 0, 50, shadow);
    assertEquals(7, shadow.done);
    Watching coverage = new Watching(Long.MAX_VALUE);
    app.replays.coverage(POLICY, "1", coverage, io.arbiter.decision.TenantScope.GLOBAL);
    assertEquals(1, coverage.total);
    assertEquals(1, coverage.done);
    assertThrows(
        java.util.concurrent.CancellationException.class,
        () -> app.replays.shadowReport(POLICY, "2", 0, 50, new Watching(2)));
  }

  @Test
  void backtest_onlyLooksInsideTheTimeRange() {
    List<RecordedDecision> first = submitHistory();
    var boundary = first.get(first.size() - 1).decision().submittedAt().plusMillis(1);
    // The second history starts after the boundary on the system clock, however fast intake is.
    while (!java.time.Instant.now().isAfter(boundary)) {
      Thread.onSpinWait();
    }
    submitHistory();
    registerVersion2();
    var before =
        app.replays.backtest(
            POLICY, "2", Optional.empty(), Optional.of(boundary), 0, 10, Progress.NONE);
    var all =
        app.replays.backtest(POLICY, "2", Optional.empty(), Optional.empty(), 0, 10, Progress.NONE);
    assertEquals(7, before.evaluated());
    assertEquals(14, all.evaluated());
    assertEquals(4, all.changed());
  }

  @Test
  void shadowVersion_isRecordedBesideTheActiveOne_andReportedOn() {
    registerVersion2();
    step("2", PolicyTransition.SHADOW);
    List<RecordedDecision> recorded = submitHistory();

    Decision third = recorded.get(2).decision();
    assertEquals(Route.APPROVE, third.evaluation().route(), "the shadow is not applied");
    assertEquals(Route.REVIEW, third.shadows().get(0).evaluation().route());
    Decision reloaded = reload(recorded.get(2)).decision();
    assertEquals(third.shadows(), reloaded.shadows(), "the shadow routing is in the graph");

    ShadowReport report = app.replays.shadowReport(POLICY, "2", 0, 50, Progress.NONE);
    assertEquals(7, report.compared());
    assertEquals(5, report.agreed());
    assertEquals(
        Map.of("approve→approve", 2L, "approve→review", 2L, "review→review", 3L),
        report.byRoutePair());
    assertEquals(2, report.disagreements().size());
    var disagreement = report.disagreements().get(0);
    assertEquals(Optional.of("affordable-low-risk"), disagreement.ruleId());
    assertEquals(Optional.of("large-amount"), disagreement.shadowRuleId());

    // A caller bound to a tenant compares on its tenant's decisions: these have none.
    var bound = io.arbiter.decision.TenantScope.bound(java.util.Set.of("acme"));
    ShadowReport narrowed = app.replays.shadowReport(POLICY, "2", 0, 50, Progress.NONE, bound);
    assertEquals(0, narrowed.compared());
    assertEquals(Map.of(), narrowed.byRoutePair());
    assertEquals(List.of(), narrowed.disagreements());
  }

  @Test
  void coverage_countsDecisionsPerRule_andNamesRulesThatNeverMatched() {
    submitHistory();
    submitHistory();
    Coverage coverage =
        app.replays.coverage(POLICY, "1", Progress.NONE, io.arbiter.decision.TenantScope.GLOBAL);
    assertEquals(14, coverage.decisions());
    assertEquals(
        Map.of(
            "low-confidence", 2L,
            "unknown-label", 0L,
            "high-risk-reject", 0L,
            "large-amount", 4L,
            "affordable-low-risk", 8L),
        coverage.matched());
    assertEquals(List.of("unknown-label", "high-risk-reject"), coverage.neverMatched());
    assertEquals(0, coverage.reachedDefault());
    assertEquals(0, coverage.failedSafe());
  }

  /** Bound to retail, coverage counts retail's decisions only; a global caller counts them all. */
  @Test
  void coverage_forACallerBoundToATenant_countsThatTenantsDecisionsOnly() {
    submitHistory();
    for (double amount : new double[] {1000, 2000, 90000}) {
      String body =
          Fixtures.requestJson(amount, INCOME, 0.1, "approve", 0.9)
              .replace("\"subject\":", "\"tenant\": \"retail\", \"subject\":");
      app.decisions.submit(
          io.arbiter.decision.DecisionRequestParser.parse(
              body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "integrator",
          Optional.empty());
    }
    var retail = io.arbiter.decision.TenantScope.bound(java.util.Set.of("retail"));
    Coverage narrowed = app.replays.coverage(POLICY, "1", Progress.NONE, retail);
    assertEquals(3, narrowed.decisions());
    assertEquals(2L, narrowed.matched().get("affordable-low-risk"));
    assertEquals(1L, narrowed.matched().get("large-amount"));
    assertEquals(0L, narrowed.matched().get("low-confidence"));
    Coverage usRetail =
        app.replays.coverage(
            POLICY,
            "1",
            Progress.NONE,
            io.arbiter.decision.TenantScope.bound(java.util.Set.of("us-retail")));
    assertEquals(0, usRetail.decisions());
    assertEquals(
        HISTORY.size() + 3,
        app.replays
            .coverage(POLICY, "1", Progress.NONE, io.arbiter.decision.TenantScope.GLOBAL)
            .decisions());
  }

  @Test
  void withNoActivePolicy_decisionsFailSafeToHumans_andReplayThatWay() {
    step("1", PolicyTransition.RETIRE);
    RecordedDecision recorded =
        app.decisions
            .submit(Fixtures.request(10000, INCOME, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded();
    var evaluation = recorded.decision().evaluation();
    assertEquals(Route.REVIEW, evaluation.route());
    assertEquals(RuleKind.FAIL_SAFE, evaluation.kind());
    assertTrue(evaluation.failure().orElseThrow().contains("no policy governs"));
    assertTrue(app.replays.replay(reload(recorded)).matches());
  }

  @Test
  void qaSampling_picksAboutTheRate_ofAutomatedDecisionsOnly_andReplaysIdentically() {
    String sampled =
        Fixtures.demoPolicyText("2", 50000)
            .replace("\nversion: 2\n", "\nversion: 2\nqaSampling: 0.5\nreasonCodes: [a, b]\n")
            .replace("blind: true}", "blind: true, reasonCodes: [b]}");
    app.policies.register(sampled, "alice");
    step("2", PolicyTransition.APPROVE);
    step("2", PolicyTransition.ACTIVATE);
    int picked = 0;
    for (int i = 0; i < 100; i++) {
      RecordedDecision automated =
          app.decisions
              .submit(
                  Fixtures.request(10000 + i, INCOME, 0.1, "approve", 0.9),
                  "alice",
                  Optional.empty())
              .recorded();
      picked += automated.decision().qaSampled() ? 1 : 0;
      if (i % 10 == 0) {
        Replay replay = app.replays.replay(reload(automated));
        assertTrue(replay.matches(), replay.differences().toString());
        assertEquals(automated.decision().qaSampled(), replay.qaSampled());
      }
    }
    // Binomial(100, 0.5): outside 25..75 has probability below 1e-6.
    assertTrue(picked >= 25 && picked <= 75, "picked " + picked + " of 100");
    RecordedDecision reviewed =
        app.decisions
            .submit(Fixtures.request(90000, INCOME, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded();
    assertFalse(reviewed.decision().qaSampled(), "only automated decisions are sampled");
    assertEquals(
        List.of("b"),
        reload(reviewed).decision().evaluation().review().orElseThrow().reasonCodes());
    assertTrue(app.replays.replay(reload(reviewed)).matches());
  }

  private RecordedDecision reload(RecordedDecision recorded) {
    return app.decisions.find(recorded.decision().id()).orElseThrow();
  }
}
