package io.arbiter.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionRequest;
import io.arbiter.decision.DecisionScope;
import io.arbiter.graph.prov.Sparql;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review service over a real TDB2 store and the demo policy (with reason codes): tasks, claims,
 * verdicts, four-eyes with adjudication, separation of duties, SLAs, and the rebuild from the
 * graph.
 */
class ReviewServiceTest {

  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final String POLICY =
      Fixtures.resource("demo/policies/demo-credit.yaml")
          + "reasonCodes: [income-verified, risk-too-high, policy-exception]\n";

  @TempDir Path dir;
  private final TestClock clock = new TestClock(START);
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app = app(POLICY);
  }

  private TestApp app(String policy) throws Exception {
    return new TestApp(
        graph,
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
        List.of(new SeedFile("demo-policy", policy)),
        clock);
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private static Caller reviewer(String name) {
    return new Caller(name, Set.of(Roles.REVIEWER)::contains);
  }

  private static Caller lead(String name) {
    return new Caller(name, Set.of(Roles.REVIEWER, Roles.LEAD_REVIEWER)::contains);
  }

  private Decision submit(DecisionRequest request) {
    return app.decisions.submit(request, "integrator", Optional.empty()).recorded().decision();
  }

  /** Low confidence: guardrail low-confidence, one reviewer, SLA 8 hours, not blind. */
  private Decision lowConfidence(String label) {
    return submit(Fixtures.request(10_000, 200_000, 0.1, label, 0.5));
  }

  /** A large amount: rule large-amount, two blind reviewers, SLA 24 hours. */
  private Decision largeAmount() {
    return submit(Fixtures.request(60_000, 200_000, 0.1, "approve", 0.9));
  }

  private static VerdictRequest verdict(Outcome outcome, String justification) {
    return new VerdictRequest(
        outcome, "income-verified", List.of("low-confidence"), Optional.ofNullable(justification));
  }

  private ProblemException refused(ProblemType type, Runnable step) {
    ProblemException e = assertThrows(ProblemException.class, step::run);
    assertEquals(type, e.type(), e.getMessage());
    return e;
  }

  private boolean ask(String where) {
    return graph.store.query(
        Sparql.prepare("ASK { " + where + " }").asQuery(),
        Duration.ofSeconds(10),
        execution -> execution.execAsk());
  }

  @Test
  void anEscalatedDecisionOpensATaskWithItsRulesSettings() {
    Decision decision = lowConfidence("approve");
    ReviewTask task = app.reviews.require(decision.id().value(), reviewer("rita"));
    var a = task.assignment();
    assertEquals(TaskKind.ESCALATION, a.kind());
    assertEquals("low-confidence", task.queue());
    assertEquals(1, a.reviewers());
    assertFalse(a.blind());
    assertEquals(50, a.priority());
    assertEquals(decision.submittedAt().plus(Duration.ofHours(8)), a.deadline());
    assertEquals(Optional.of("low-confidence"), a.ruleId());
    assertEquals(TaskState.OPEN, task.state());
    assertTrue(
        ask(
            "?t a arb:ReviewTask ; arb:reviewOf ?d ; arb:reviewQueue 'low-confidence' ;"
                + " prov:wasGeneratedBy ?r . ?d arb:routedBy ?r"));
    // An automated decision opens none (the policy does not sample for QA).
    Decision automated = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.9));
    refused(ProblemType.NOT_FOUND, () -> app.reviews.require(automated.id().value(), lead("lena")));
  }

  @Test
  void anAgreeingVerdictSettlesTheTaskAndIsRecordedAsARevisionOfTheDecision() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    ReviewTask settled = app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null));
    assertEquals(TaskState.SETTLED, settled.state());
    Settlement settlement = settled.settlement().orElseThrow();
    assertEquals(Outcome.APPROVE, settlement.outcome());
    assertEquals(Settlement.Basis.CONSENSUS, settlement.basis());
    assertFalse(settlement.overridesRecommendation());
    assertTrue(
        ask(
            "?new a arb:ReviewedDecision ; prov:wasRevisionOf ?d ; arb:route arb:RouteApprove ;"
                + " arb:overridesRecommendation false ; prov:wasGeneratedBy ?review ."
                + " ?review a arb:Review ; prov:qualifiedAssociation [ prov:agent ?rita ;"
                + " prov:hadRole arb:ReviewerRole ] ; arb:sawRecommendation true ;"
                + " arb:reasonCode 'income-verified' ; arb:reliedOnRule ?rule ."
                + " ?rita a prov:Person ; dcterms:identifier 'rita' ."
                + " ?rule dcterms:identifier 'low-confidence'"));
    refused(ProblemType.STATE_CONFLICT, () -> app.reviews.claim(id, reviewer("rob")));
  }

  @Test
  void goingAgainstTheModelNeedsAJustification() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    ProblemException e =
        refused(
            ProblemType.INVALID_REQUEST,
            () -> app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.REJECT, "  ")));
    assertEquals("justification", e.errors().get(0).field());
    ReviewTask settled =
        app.reviews.verdict(
            id, reviewer("rita"), verdict(Outcome.REJECT, "Income could not be verified."));
    assertTrue(settled.settlement().orElseThrow().overridesRecommendation());
    assertTrue(
        ask(
            "?new prov:wasRevisionOf ?d ; arb:route arb:RouteReject ;"
                + " arb:overridesRecommendation true ; prov:wasGeneratedBy ?review ."
                + " ?review arb:justification 'Income could not be verified.'"));
  }

  @Test
  void reasonCodesAndRulesMustBeThePolicyVersions() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    ProblemException e =
        refused(
            ProblemType.INVALID_REQUEST,
            () ->
                app.reviews.verdict(
                    id,
                    reviewer("rita"),
                    new VerdictRequest(
                        Outcome.APPROVE,
                        "looks-fine",
                        List.of("low-confidence", "no-such-rule"),
                        Optional.empty())));
    assertEquals(
        List.of("reasonCode", "rules[1]"), e.errors().stream().map(f -> f.field()).toList());
    assertEquals(
        List.of("income-verified", "policy-exception", "risk-too-high"),
        app.reviews.reasonCodes(app.reviews.require(id, reviewer("rita"))).stream()
            .sorted()
            .toList());
    assertEquals(TaskState.OPEN, app.reviews.require(id, reviewer("rita")).state());
  }

  @Test
  void theSubmitterNeverReviewsTheirOwnDecision() {
    String id = lowConfidence("approve").id().value();
    refused(ProblemType.SEPARATION_OF_DUTIES, () -> app.reviews.claim(id, lead("integrator")));
  }

  @Test
  void blindFourEyesDisagreementGoesToALeadWhoGaveNoneOfTheVerdicts() {
    String id = largeAmount().id().value();
    ReviewTask task = app.reviews.require(id, reviewer("rita"));
    assertEquals("senior-credit", task.queue());
    assertEquals(2, task.assignment().reviewers());
    assertTrue(task.assignment().blind());

    app.reviews.claim(id, reviewer("rita"));
    app.reviews.claim(id, lead("lena"));
    refused(ProblemType.STATE_CONFLICT, () -> app.reviews.claim(id, reviewer("rob")));
    // Blind: a justification is needed whatever the verdict, so asking reveals nothing.
    refused(
        ProblemType.INVALID_REQUEST,
        () -> app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null)));
    ReviewTask one =
        app.reviews.verdict(
            id, reviewer("rita"), largeVerdict(id, Outcome.APPROVE, "Income covers it."));
    assertEquals(TaskState.OPEN, one.state());
    // One person cannot give two of the verdicts.
    refused(ProblemType.SEPARATION_OF_DUTIES, () -> app.reviews.claim(id, reviewer("rita")));
    ReviewTask two =
        app.reviews.verdict(
            id, lead("lena"), largeVerdict(id, Outcome.REJECT, "Too large for the file."));
    assertEquals(TaskState.ADJUDICATION, two.state());
    assertTrue(two.settlement().isEmpty());
    assertFalse(two.verdicts().get(0).sawRecommendation());

    // Only a lead rules, and not one who gave a verdict.
    refused(
        ProblemType.FORBIDDEN,
        () -> app.reviews.adjudicate(id, reviewer("rob"), largeVerdict(id, Outcome.REJECT, "x")));
    refused(
        ProblemType.SEPARATION_OF_DUTIES,
        () -> app.reviews.adjudicate(id, lead("lena"), largeVerdict(id, Outcome.REJECT, "mine")));
    ReviewTask ruled =
        app.reviews.adjudicate(
            id, lead("leo"), largeVerdict(id, Outcome.REJECT, "Exposure too high."));
    assertEquals(TaskState.SETTLED, ruled.state());
    assertEquals(Settlement.Basis.ADJUDICATION, ruled.settlement().orElseThrow().basis());
    assertEquals(Outcome.REJECT, ruled.settlement().orElseThrow().outcome());
    assertTrue(
        ask(
            "?a a arb:Adjudication ; prov:qualifiedAssociation [ prov:agent [ dcterms:identifier"
                + " 'leo' ] ; prov:hadRole arb:AdjudicatorRole ] ."
                + " ?new prov:wasGeneratedBy ?a ; arb:settledBy 'adjudication' ;"
                + " arb:route arb:RouteReject"));
  }

  /**
   * A verdict on the large-amount task {@code id}: blind, so it cites the rule by its alias, the
   * one drawn for the task.
   */
  private VerdictRequest largeVerdict(String id, Outcome outcome, String justification) {
    return new VerdictRequest(
        outcome, "risk-too-high", aliasesIn(id, "large-amount"), Optional.of(justification));
  }

  /** The aliases of {@code rules} in the blind task {@code id}. */
  private List<String> aliasesIn(String id, String... rules) {
    return app.reviews.aliases(app.reviews.require(id, reviewer("rita"))).aliases(List.of(rules));
  }

  @Test
  void verdict_blindTaskCitingAliases_isRecordedAsTheRealRules() {
    String id = largeAmount().id().value();
    ReviewTask task = app.reviews.require(id, reviewer("rita"));
    assertEquals(
        List.of("rule-1", "rule-2", "rule-3", "rule-4", "rule-5", "rule-6"),
        app.reviews.aliases(task).aliases());
    app.reviews.claim(id, reviewer("rita"));
    ReviewTask one =
        app.reviews.verdict(
            id,
            reviewer("rita"),
            new VerdictRequest(
                Outcome.APPROVE,
                "income-verified",
                aliasesIn(id, "large-amount", "default"),
                Optional.of("ok")));
    assertEquals(List.of("large-amount", "default"), one.verdicts().get(0).rules());
    assertTrue(ask("?v arb:reliedOnRule ?r . FILTER(STRENDS(STR(?r), 'large-amount'))"));
  }

  @Test
  void verdict_blindTaskCitingARealRuleId_isRefusedNamingOnlyAliases() {
    String id = largeAmount().id().value();
    app.reviews.claim(id, reviewer("rita"));
    ProblemException e =
        refused(
            ProblemType.INVALID_REQUEST,
            () ->
                app.reviews.verdict(
                    id,
                    reviewer("rita"),
                    new VerdictRequest(
                        Outcome.APPROVE,
                        "income-verified",
                        List.of("large-amount", "low-confidence"),
                        Optional.empty())));
    assertEquals(
        List.of("rules[0]", "rules[1]", "justification"),
        e.errors().stream().map(f -> f.field()).toList());
    String messages = e.errors().toString() + e.getMessage();
    for (String rule :
        List.of("large-amount", "low-confidence", "unknown-label", "affordable", "high-risk")) {
      assertFalse(messages.contains(rule), messages);
    }
    assertFalse(messages.contains("recommendation"), messages);
    assertTrue(messages.contains("rule-6"), messages);
  }

  @Test
  void verdict_sightedTaskCitingAnAlias_isRefused() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    ProblemException e =
        refused(
            ProblemType.INVALID_REQUEST,
            () ->
                app.reviews.verdict(
                    id,
                    reviewer("rita"),
                    new VerdictRequest(
                        Outcome.APPROVE, "income-verified", List.of("rule-1"), Optional.empty())));
    assertEquals(List.of("rules[0]"), e.errors().stream().map(f -> f.field()).toList());
  }

  @Test
  void priority_anyConfidence_comesFromHowTheTaskCameAbout_evenAfterARestart() throws Exception {
    String sure = largeAmount().id().value(); // confidence 0.9
    String unsure = submit(Fixtures.request(60_000, 200_000, 0.1, "approve", 0.2)).id().value();
    String failedSafe =
        submit(
                io.arbiter.decision.DecisionRequestParser.parse(
                    Fixtures.requestJson(60_000, 200_000, 0.1, "approve", 0.9)
                        .replace(", \"income\": 200000.0", "")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .id()
            .value();
    Caller auditor = new Caller("auditor", Set.of(Roles.AUDITOR)::contains);
    for (int round = 0; round < 2; round++) {
      assertEquals(50, app.reviews.require(sure, auditor).assignment().priority());
      assertEquals(50, app.reviews.require(unsure, auditor).assignment().priority());
      ReviewTask failSafe = app.reviews.require(failedSafe, auditor);
      assertTrue(failSafe.assignment().failSafe(), failSafe.toString());
      assertEquals(100, failSafe.assignment().priority());
      graph.close();
      graph = new TestStore(dir);
      app = app(POLICY);
    }
  }

  @Test
  void aClaimExpiresAndFreesItsSlot() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    refused(ProblemType.STATE_CONFLICT, () -> app.reviews.claim(id, reviewer("rob")));
    clock.advance(Duration.ofMinutes(31)); // claims in this queue last 30 minutes
    refused(
        ProblemType.STATE_CONFLICT,
        () -> app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null)));
    app.reviews.claim(id, reviewer("rob"));
    refused(ProblemType.STATE_CONFLICT, () -> app.reviews.claim(id, reviewer("rita")));
    app.reviews.release(id, reviewer("rob"));
    app.reviews.claim(id, reviewer("rita"));
    assertEquals(
        TaskState.SETTLED,
        app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null)).state());
  }

  @Test
  void ofTwentyReviewersRacingForTheLastSlotExactlyOneGetsIt() throws Exception {
    String id = lowConfidence("approve").id().value();
    int racers = 20;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String name = "racer-" + i;
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  app.reviews.claim(id, reviewer(name));
                  return true;
                } catch (ProblemException e) {
                  assertEquals(ProblemType.STATE_CONFLICT, e.type());
                  return false;
                }
              }));
    }
    go.countDown();
    int winners = 0;
    for (Future<Boolean> result : results) {
      winners += result.get() ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, winners);
    assertEquals(1, app.reviews.require(id, reviewer("x")).claims().size());
  }

  @Test
  void theSlaEscalatesThenFailsSafeToReject_evenAcrossARestart() throws Exception {
    String id = lowConfidence("approve").id().value();
    assertTrue(app.reviews.sweep().isEmpty());
    clock.advance(Duration.ofHours(6)); // 75% of the 8-hour SLA
    List<ReviewEvent> escalated = app.reviews.sweep();
    assertEquals(1, escalated.size());
    assertEquals("leads", app.reviews.require(id, lead("lena")).queue());
    // A reviewer without the lead role no longer sees it.
    refused(ProblemType.NOT_FOUND, () -> app.reviews.require(id, reviewer("rita")));
    assertTrue(app.reviews.sweep().isEmpty());

    graph.close();
    graph = new TestStore(dir);
    app = app(POLICY);
    assertEquals("leads", app.reviews.require(id, lead("lena")).queue());

    clock.advance(Duration.ofHours(2));
    List<ReviewEvent> timedOut = app.reviews.sweep();
    assertEquals(1, timedOut.size());
    ReviewTask task = app.reviews.require(id, lead("lena"));
    assertEquals(TaskState.TIMED_OUT, task.state());
    Settlement settlement = task.settlement().orElseThrow();
    assertEquals(Outcome.REJECT, settlement.outcome());
    assertEquals(Settlement.Basis.TIMEOUT, settlement.basis());
    assertTrue(
        ask(
            "?new prov:wasRevisionOf ?d ; arb:failSafe true ; arb:settledBy 'timeout' ;"
                + " arb:route arb:RouteReject ; prov:wasGeneratedBy ?t ."
                + " ?t a arb:ReviewTimeout ; prov:wasAssociatedWith [ a prov:SoftwareAgent ]"));
    assertFalse(ask("?x a arb:ReviewedDecision ; arb:route arb:RouteApprove"));
    var resolution = app.decisions.resolutionOf(task.assignment().decision()).orElseThrow();
    assertTrue(resolution.failSafe());
    assertEquals(io.arbiter.policy.Route.REJECT, resolution.outcome());
  }

  @Test
  void tasksRebuiltFromTheGraphEqualTheLiveOnes() throws Exception {
    String settled = lowConfidence("approve").id().value();
    app.reviews.claim(settled, reviewer("rita"));
    app.reviews.verdict(settled, reviewer("rita"), verdict(Outcome.REJECT, "Not convinced."));
    String disputed = largeAmount().id().value();
    app.reviews.claim(disputed, reviewer("rita"));
    app.reviews.claim(disputed, reviewer("rob"));
    app.reviews.verdict(
        disputed, reviewer("rita"), largeVerdict(disputed, Outcome.APPROVE, "Fine."));
    app.reviews.verdict(
        disputed, reviewer("rob"), largeVerdict(disputed, Outcome.REJECT, "Not fine."));
    app.reviews.adjudicate(
        disputed, lead("leo"), largeVerdict(disputed, Outcome.APPROVE, "Fine, really."));
    String claimed = lowConfidence("reject").id().value();
    app.reviews.claim(claimed, reviewer("rob"));
    String released = largeAmount().id().value();
    app.reviews.claim(released, reviewer("rob"));
    app.reviews.release(released, reviewer("rob"));
    clock.advance(Duration.ofHours(7));
    app.reviews.sweep(); // escalates the open low-confidence task
    List<ReviewTask> live = all(app);

    var settledResolution = app.decisions.resolutionOf(live.get(0).assignment().decision());

    graph.close();
    graph = new TestStore(dir);
    app = app(POLICY);
    assertEquals(4, live.size());
    assertEquals(live, all(app));
    // The decisions know how they were settled again, and lists filter by it.
    assertEquals(
        settledResolution, app.decisions.resolutionOf(live.get(0).assignment().decision()));
    assertEquals(
        List.of(settled, disputed).stream().sorted().toList(),
        app
            .decisions
            .list(
                new io.arbiter.decision.DecisionQuery(
                    Optional.empty(),
                    Optional.of(io.arbiter.decision.DecisionStatus.SETTLED),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    100))
            .items()
            .stream()
            .map(d -> d.id().value())
            .sorted()
            .toList());
  }

  private static List<ReviewTask> all(TestApp app) {
    return app
        .reviews
        .list(
            new ReviewFilter(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                ReviewFilter.MAX_LIMIT),
            new Caller("auditor", Set.of(Roles.AUDITOR)::contains))
        .items()
        .stream()
        .sorted(Comparator.comparing(ReviewTask::id))
        .toList();
  }

  @Test
  void aQaSampledAutomatedDecisionGetsAnIndependentReviewThatChangesNothing() throws Exception {
    graph.close();
    graph = new TestStore(dir.resolve("qa"));
    app = app(POLICY + "qaSampling: 1\n");
    Decision automated = submit(Fixtures.request(10_000, 200_000, 0.1, "approve", 0.9));
    assertTrue(automated.qaSampled());
    String id = ReviewAssignment.qaTaskId(automated.id());
    ReviewTask task = app.reviews.require(id, reviewer("rita"));
    assertEquals(TaskKind.QA, task.assignment().kind());
    assertEquals("qa", task.queue());
    assertEquals("approve", task.assignment().recommendation());
    assertEquals(0, task.assignment().priority());
    app.reviews.claim(id, reviewer("rita"));
    ReviewTask done =
        app.reviews.verdict(
            id,
            reviewer("rita"),
            new VerdictRequest(
                Outcome.REJECT,
                "risk-too-high",
                aliasesIn(id, "affordable-low-risk"), // a QA review is blind
                Optional.of("Should not have been automated.")));
    assertTrue(done.settlement().orElseThrow().overridesRecommendation());
    assertTrue(ask("?f a arb:QaFinding ; prov:wasDerivedFrom ?d ; arb:route arb:RouteReject"));
    assertFalse(ask("?x a arb:ReviewedDecision"));
  }

  /** Records what the decision should have been: reject. */
  private void shouldHaveRejected(String decisionId) {
    var summary = app.decisions.requireVisible(decisionId, "integrator", true);
    app.decisions.recordTruth(
        summary,
        new io.arbiter.decision.GroundTruth(
            io.arbiter.policy.Route.REJECT,
            Optional.of("defaulted"),
            clock.instant(),
            "integrator",
            clock.instant()),
        Optional.empty());
  }

  /**
   * Four tasks worked by hand; every figure below is computed in the comments from what they did.
   */
  @Test
  void reviewMetricsOverAHandWorkedHistory() throws Exception {
    String t1 = lowConfidence("approve").id().value(); // k=1, sighted
    String t2 = largeAmount().id().value(); // k=2, blind
    String t3 = largeAmount().id().value(); // k=2, blind
    String t4 = lowConfidence("reject").id().value(); // nobody works it
    app.reviews.claim(t1, reviewer("rita"));
    clock.advance(Duration.ofMinutes(10));
    app.reviews.verdict(t1, reviewer("rita"), verdict(Outcome.APPROVE, null)); // settles at 600 s
    app.reviews.claim(t2, reviewer("rita"));
    app.reviews.claim(t2, reviewer("rob"));
    clock.advance(Duration.ofMinutes(10));
    app.reviews.verdict(t2, reviewer("rita"), largeVerdict(t2, Outcome.APPROVE, "ok"));
    app.reviews.verdict(t2, reviewer("rob"), largeVerdict(t2, Outcome.REJECT, "no"));
    clock.advance(Duration.ofMinutes(10));
    app.reviews.adjudicate(t2, lead("leo"), largeVerdict(t2, Outcome.REJECT, "no")); // 1800 s
    app.reviews.claim(t3, reviewer("rita"));
    app.reviews.claim(t3, reviewer("rob"));
    clock.advance(Duration.ofMinutes(10));
    app.reviews.verdict(t3, reviewer("rita"), largeVerdict(t3, Outcome.REJECT, "no"));
    app.reviews.verdict(t3, reviewer("rob"), largeVerdict(t3, Outcome.REJECT, "no")); // 2400 s
    shouldHaveRejected(t1);
    shouldHaveRejected(t2);
    refused(ProblemType.STATE_CONFLICT, () -> shouldHaveRejected(t2)); // evidence is kept
    clock.advance(Duration.ofHours(6));
    app.reviews.sweep(); // t4 escalates to leads
    clock.advance(Duration.ofHours(2));
    app.reviews.sweep(); // t4 times out
    assertEquals(TaskState.TIMED_OUT, app.reviews.require(t4, lead("x")).state());

    // The outcomes survive a restart, and so do the figures.
    graph.close();
    graph = new TestStore(dir);
    app = app(POLICY);
    ReviewMetrics m =
        app.reviews.metrics(
            START.minus(Duration.ofHours(1)), START.plus(Duration.ofDays(1)), DecisionScope.ALL);
    ReviewMetrics.Group all = m.overall();
    assertEquals(4, all.tasks());
    assertEquals(3, all.settled());
    assertEquals(1, all.timedOut());
    assertEquals(1, all.slaBreaches());
    assertEquals(1800L, all.medianSecondsToSettle()); // of 600, 1800, 2400
    assertEquals(2400L, all.p95SecondsToSettle());
    // Verdicts and rulings: t1 rita A; t2 rita A, rob R, leo R; t3 rita R, rob R. The model said A.
    assertEquals(6, all.verdicts());
    assertEquals(4 / 6.0, all.overrideRate(), 1e-9);
    // t2 and t3 had two reviewers; t2 disagreed. Fleiss: P̄ = (0 + 1)/2, p = (1/4, 3/4),
    // P̄e = 0.625, κ = (0.5 − 0.625)/0.375 = −1/3.
    assertEquals(2, all.multiReviewerTasks());
    assertEquals(0.5, all.disagreementRate(), 1e-9);
    assertEquals(-1 / 3.0, all.fleissKappa(), 1e-9);
    // Outcomes (reject) for t1 and t2: rita A wrong, rita A wrong, rob R right, leo R right.
    assertEquals(4, all.verdictsWithOutcome());
    assertEquals(0.5, all.accuracy(), 1e-9);
    // Blind: t2's three and t3's two, of which only rita's approve agrees with the model.
    assertEquals(5, all.bias().blindVerdicts());
    assertEquals(0.2, all.bias().blindAgreementWithModel(), 1e-9);
    assertEquals(1, all.bias().sightedVerdicts());
    assertEquals(1.0, all.bias().sightedAgreementWithModel(), 1e-9);
    assertEquals(600L, all.bias().sightedMedianSecondsOnTask());
    assertEquals(Set.of("leads", "low-confidence", "senior-credit"), m.byQueue().keySet());
    assertEquals(1, m.byQueue().get("leads").timedOut());
    // rita and rob: (A, R) and (R, R): agreement 0.5; rita A/R half each, rob always R, so chance
    // agreement is 0.5 and Cohen's κ is 0.
    ReviewMetrics.Pair pair = m.pairs().get(0);
    assertEquals(List.of("rita", "rob", 2), List.of(pair.first(), pair.second(), pair.tasks()));
    assertEquals(0.5, pair.agreement(), 1e-9);
    assertEquals(0.0, pair.cohensKappa(), 1e-9);
    ReviewMetrics.Reviewer rita = m.byReviewer().get("rita");
    assertEquals(3, rita.verdicts());
    assertEquals(1 / 3.0, rita.overrideRate(), 1e-9);
    assertEquals(0.0, rita.accuracy(), 1e-9);
    assertEquals(0.5, rita.agreementWithPeers(), 1e-9);
    assertEquals(1.0, m.byReviewer().get("leo").accuracy(), 1e-9);
    // A window that holds none of it measures nothing, rather than zeros.
    ReviewMetrics.Group none =
        app.reviews
            .metrics(
                START.plus(Duration.ofDays(1)), START.plus(Duration.ofDays(2)), DecisionScope.ALL)
            .overall();
    assertEquals(0, none.tasks());
    assertEquals(null, none.overrideRate());
    assertEquals(null, none.fleissKappa());
  }

  @Test
  void aRulesOwnReasonCodesComeBackFromTheGraph() throws Exception {
    String policy =
        POLICY.replace(
            "review: {queue: low-confidence, reviewers: 1, sla: PT8H}",
            "review: {queue: low-confidence, reviewers: 1, sla: PT8H,"
                + " reasonCodes: [risk-too-high, income-verified]}");
    assertTrue(policy.contains("reasonCodes: [risk-too-high"), "the fixture edit applied");
    graph.close();
    graph = new TestStore(dir.resolve("codes"));
    app = app(policy);
    String one = lowConfidence("approve").id().value();
    String two = lowConfidence("reject").id().value();
    String other = largeAmount().id().value();
    graph.close();
    graph = new TestStore(dir.resolve("codes"));
    app = app(policy);
    List<String> expected = List.of("income-verified", "risk-too-high");
    assertEquals(expected, app.reviews.require(one, reviewer("r")).assignment().reasonCodes());
    assertEquals(expected, app.reviews.require(two, reviewer("r")).assignment().reasonCodes());
    assertEquals(List.of(), app.reviews.require(other, reviewer("r")).assignment().reasonCodes());
    assertEquals(expected, app.reviews.reasonCodes(app.reviews.require(one, reviewer("r"))));
  }

  @Test
  void pastTheDeadlineNoVerdictIsTaken_evenBeforeTheSweepRecordsTheFailSafe() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    clock.advance(Duration.ofHours(8));
    refused(
        ProblemType.STATE_CONFLICT,
        () -> app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null)));
    assertEquals(1, app.reviews.sweep().size());
    assertEquals(TaskState.TIMED_OUT, app.reviews.require(id, lead("lena")).state());
  }

  @Test
  void anEscalationFreesTheOldQueuesClaims_soTheLeadsCanTakeIt() {
    String id = lowConfidence("approve").id().value();
    clock.advance(Duration.ofHours(5).plusMinutes(50));
    app.reviews.claim(id, reviewer("rita")); // held until 6:20
    clock.advance(Duration.ofMinutes(10)); // 6:00, 75% of the SLA
    app.reviews.sweep();
    ReviewTask moved = app.reviews.require(id, lead("lena"));
    assertEquals("leads", moved.queue());
    assertTrue(moved.claims().isEmpty());
    app.reviews.claim(id, lead("lena"));
    assertEquals(
        TaskState.SETTLED,
        app.reviews.verdict(id, lead("lena"), verdict(Outcome.APPROVE, null)).state());
  }

  @Test
  void claimingAgainExtendsTheClaimButKeepsWhenTheWorkStarted() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    clock.advance(Duration.ofMinutes(20));
    ReviewTask extended = app.reviews.claim(id, reviewer("rita"));
    assertEquals(START, extended.claims().get(0).at());
    assertEquals(START.plus(Duration.ofMinutes(50)), extended.claims().get(0).expiresAt());
    clock.advance(Duration.ofMinutes(20));
    Verdict given =
        app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.APPROVE, null)).verdicts().get(0);
    assertEquals(Duration.ofMinutes(40), Duration.between(given.startedAt(), given.at()));
  }

  @Test
  void whoCanReadModelOutputsElsewhereCannotReviewBlind() {
    String id = largeAmount().id().value();
    Caller auditingReviewer = new Caller("ada", Set.of(Roles.REVIEWER, Roles.AUDITOR)::contains);
    Caller authoringReviewer =
        new Caller("pat", Set.of(Roles.REVIEWER, Roles.POLICY_AUTHOR)::contains);
    refused(ProblemType.SEPARATION_OF_DUTIES, () -> app.reviews.claim(id, auditingReviewer));
    refused(ProblemType.SEPARATION_OF_DUTIES, () -> app.reviews.claim(id, authoringReviewer));
    // Not blind: they may.
    String sighted = lowConfidence("approve").id().value();
    app.reviews.claim(sighted, auditingReviewer);
  }

  /** On the hour, so the window's figures come from the tallies kept per hour. */
  @Test
  void metricsCountAVerdictOnlyOnceItsTaskIsFinished() {
    String id = largeAmount().id().value();
    app.reviews.claim(id, reviewer("rita"));
    app.reviews.verdict(id, reviewer("rita"), largeVerdict(id, Outcome.REJECT, "no"));
    ReviewMetrics open =
        app.reviews.metrics(START, START.plus(Duration.ofDays(1)), DecisionScope.ALL);
    assertEquals(0, open.overall().verdicts());
    assertEquals(null, open.overall().overrideRate());
    assertTrue(open.byReviewer().isEmpty(), "rita's verdict is not told before the task settles");
    app.reviews.claim(id, reviewer("rob"));
    app.reviews.verdict(id, reviewer("rob"), largeVerdict(id, Outcome.REJECT, "no"));
    ReviewMetrics settled =
        app.reviews.metrics(START, START.plus(Duration.ofDays(1)), DecisionScope.ALL);
    assertEquals(2, settled.overall().verdicts());
    assertEquals(1.0, settled.byReviewer().get("rita").overrideRate(), 1e-9);
    assertEquals(0, settled.overall().verdictsWithOutcome());
    // The hour's figures were counted and kept; the outcome arriving later counts them anew.
    shouldHaveRejected(id);
    ReviewMetrics judged =
        app.reviews.metrics(START, START.plus(Duration.ofDays(1)), DecisionScope.ALL);
    assertEquals(2, judged.overall().verdictsWithOutcome());
    assertEquals(1.0, judged.overall().accuracy(), 1e-9);
  }

  @Test
  void aPolicyMayNameItsOwnFailSafeOutcome_recordedAsAFailSafe() throws Exception {
    graph.close();
    graph = new TestStore(dir.resolve("approve-on-timeout"));
    app = app(POLICY + "onReviewTimeout: approve\n");
    String id = lowConfidence("approve").id().value();
    clock.advance(Duration.ofHours(8));
    assertEquals(1, app.reviews.sweep().size());
    Settlement settled = app.reviews.require(id, lead("lena")).settlement().orElseThrow();
    assertEquals(Outcome.APPROVE, settled.outcome());
    assertEquals(Settlement.Basis.TIMEOUT, settled.basis());
    assertTrue(
        app.decisions
            .resolutionOf(app.reviews.require(id, lead("l")).assignment().decision())
            .orElseThrow()
            .failSafe());
    assertTrue(
        ask(
            "?new arb:settledBy 'timeout' ; arb:failSafe true ; arb:route arb:RouteApprove ;"
                + " prov:wasRevisionOf/arb:routedBy/prov:qualifiedAssociation/prov:hadPlan"
                + " [ arb:onReviewTimeout arb:RouteApprove ]"));
    // The shapes accept the approval because the policy version says so.
    var union =
        graph.store.query(
            org.apache.jena.query.QueryFactory.create("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
            Duration.ofMinutes(1),
            execution -> execution.execConstruct());
    var report =
        org.apache.jena.shacl.ShaclValidator.get()
            .validate(
                org.apache.jena.shacl.Shapes.parse(
                    org.apache.jena.riot.RDFDataMgr.loadGraph("ontology/shapes.ttl")),
                union.getGraph());
    assertTrue(report.conforms(), () -> report.getEntries().toString());
  }

  @Test
  void similarCasesAreSettledOnesOfTheSameRule_newestFirst_withTheirGroundTruth() {
    String first = lowConfidence("approve").id().value();
    app.reviews.claim(first, reviewer("rita"));
    app.reviews.verdict(first, reviewer("rita"), verdict(Outcome.APPROVE, null));
    shouldHaveRejected(first);
    clock.advance(Duration.ofMinutes(1));
    String second = lowConfidence("reject").id().value();
    app.reviews.claim(second, reviewer("rita"));
    app.reviews.verdict(second, reviewer("rita"), verdict(Outcome.REJECT, null));
    largeAmount(); // another rule: not similar
    String open = lowConfidence("approve").id().value();
    // Kept as tasks settle: no waiting for the graph's projection.
    List<SimilarCase> similar =
        app.reviews.similar(app.reviews.require(open, reviewer("rob")), reviewer("rob"));
    assertEquals(List.of(second, first), similar.stream().map(c -> c.decisionId()).toList());
    assertEquals(Optional.empty(), similar.get(0).groundTruth());
    assertEquals(Optional.of(Outcome.REJECT), similar.get(1).groundTruth());
    assertEquals(Outcome.APPROVE, similar.get(1).outcome());
    assertEquals("approve", similar.get(1).modelLabel());
    assertEquals(Optional.of("income-verified"), similar.get(1).reasonCode());
  }

  @Test
  void similarCases_afterARestartAndManySettlements_showTheFiveNewestAndNeverTheViewedTask()
      throws Exception {
    List<String> settled = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = lowConfidence(i % 2 == 0 ? "approve" : "reject").id().value();
      app.reviews.claim(id, reviewer("rita"));
      app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.REJECT, "Not enough."));
      settled.add(id);
      clock.advance(Duration.ofMinutes(1));
    }
    String open = lowConfidence("approve").id().value();
    graph.settle();
    graph.close();
    graph = new TestStore(dir);
    app = app(POLICY); // rebuilt from the graph

    List<String> newestFirst = new ArrayList<>(settled);
    java.util.Collections.reverse(newestFirst);
    assertEquals(
        newestFirst.subList(0, 5),
        app.reviews.similar(app.reviews.require(open, reviewer("rob")), reviewer("rob")).stream()
            .map(SimilarCase::decisionId)
            .toList());
    String newest = newestFirst.get(0);
    assertEquals(
        newestFirst.subList(1, 6),
        app.reviews.similar(app.reviews.require(newest, reviewer("rob")), reviewer("rob")).stream()
            .map(SimilarCase::decisionId)
            .toList());
    // A settlement after the restart comes first at once.
    app.reviews.claim(open, reviewer("rita"));
    app.reviews.verdict(open, reviewer("rita"), verdict(Outcome.APPROVE, null));
    String next = lowConfidence("approve").id().value();
    assertEquals(
        open,
        app.reviews
            .similar(app.reviews.require(next, reviewer("rob")), reviewer("rob"))
            .get(0)
            .decisionId());
  }

  @Test
  void aDecisionsProvenanceTellsItsWholeStory_reviewStepsAndOutcomeIncluded() {
    String id = lowConfidence("approve").id().value();
    app.reviews.claim(id, reviewer("rita"));
    app.reviews.verdict(id, reviewer("rita"), verdict(Outcome.REJECT, "No."));
    shouldHaveRejected(id);
    var story =
        new io.arbiter.graph.store.ProvenanceReader(graph.runtime.currentReads())
            .bundlesAboutDecision(TestStore.IRIS.decision(id));
    List<String> types = new ArrayList<>();
    story
        .listModelNames()
        .forEachRemaining(
            name ->
                types.add(
                    story
                        .getNamedModel(name)
                        .getProperty(name, io.arbiter.graph.prov.Vocab.eventType)
                        .getString()));
    assertEquals(
        Set.of("decision.submitted", "review.claimed", "review.verdict", "decision.outcome"),
        Set.copyOf(types));
    assertEquals(4, types.size());
  }
}
