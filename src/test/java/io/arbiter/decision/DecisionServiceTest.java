package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.jobs.Progress;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision use cases over the real TDB2 store and writer (no server). */
class DecisionServiceTest {

  @TempDir Path dir;
  private TestStore graph;

  private DecisionService start() throws Exception {
    graph = new TestStore(dir);
    return TestApp.demo(graph).decisions;
  }

  @AfterEach
  void close() {
    if (graph != null) {
      graph.close();
    }
  }

  @Test
  void submit_routesRecordsAndReadsBack() throws Exception {
    DecisionService service = start();
    Submission s =
        service.submit(
            Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
    Decision decision = s.recorded().decision();
    assertEquals(Route.APPROVE, decision.evaluation().route());
    assertEquals("affordable-low-risk", decision.evaluation().ruleId().orElseThrow());
    assertEquals(
        4,
        s.recorded().sequence(),
        "bundles 0 to 3 hold the model, the policy version, its activation and the decision's"
            + " hour");
    RecordedDecision loaded = service.find(decision.id()).orElseThrow();
    assertEquals(decision, loaded.decision());
    assertEquals(s.recorded(), loaded);
  }

  @Test
  void submit_whileArbiterCannotRecordOrProve_isRefusedAndKeepsNothing() throws Exception {
    DecisionService service = start();
    service.readiness(() -> Optional.of("the ledger signer is failing: disk full"));
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service.submit(
                    Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
                    "alice",
                    Optional.empty()));
    assertEquals(ProblemType.NOT_READY, e.type());
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertEquals(0, service.list(DecisionQuery.all()).items().size());
    service.readiness(Optional::empty);
    service.submit(Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
    assertEquals(1, service.list(DecisionQuery.all()).items().size());
  }

  @Test
  void submit_anObserverThatThrows_failsNeitherTheReceiptNorTheOtherObservers() throws Exception {
    DecisionService service = start();
    java.util.concurrent.atomic.AtomicInteger heard =
        new java.util.concurrent.atomic.AtomicInteger();
    service.onEvaluated(
        nanos -> {
          throw new IllegalStateException("broken evaluation observer");
        });
    service.onRecorded(
        decision -> {
          throw new IllegalStateException("broken decision observer");
        });
    service.onRecorded(decision -> heard.incrementAndGet());
    Submission s =
        service.submit(
            Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
    assertEquals(1, heard.get());
    assertTrue(service.find(s.recorded().decision().id()).isPresent());
  }

  @Test
  void forEachPinned_readingPagesAhead_givesEveryDecisionOnceNewestFirst_withItsFacts()
      throws Exception {
    DecisionService service = start();
    int n = 3 * DecisionQuery.MAX_LIMIT + 37; // four pages, the last one short
    // From many threads, so that the writer commits full batches and the test stays quick.
    ExecutorService clients = Executors.newFixedThreadPool(32);
    List<Future<Submission>> submitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      var request = Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9);
      submitted.add(clients.submit(() -> service.submit(request, "alice", Optional.empty())));
    }
    for (Future<Submission> s : submitted) {
      s.get();
    }
    clients.shutdown();
    DecisionQuery all = DecisionQuery.all();
    java.util.List<DecisionId> expected = new java.util.ArrayList<>();
    service.forEachSummary(all, summary -> expected.add(summary.id()));
    assertEquals(n, expected.size());
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      service.loadWith(pool);
      java.util.List<DecisionId> read = new java.util.ArrayList<>();
      Thread caller = Thread.currentThread();
      java.util.Map<DecisionId, io.arbiter.policy.Facts> facts = new java.util.HashMap<>();
      service.forEachPinned(
          all,
          summary -> true,
          pinned -> {
            assertEquals(caller, Thread.currentThread(), "the sink runs on the caller's thread");
            read.add(pinned.summary().id());
            facts.put(pinned.summary().id(), pinned.facts());
          });
      assertEquals(expected, read);
      for (Future<Submission> s : submitted) {
        Decision decision = s.get().recorded().decision();
        assertEquals(decision.facts(), facts.get(decision.id()));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void forEachSummary_withAContextMatch_keepsTheMatchingOnesNewestFirst_acrossPages()
      throws Exception {
    DecisionService service = start();
    int n = 2 * DecisionQuery.MAX_LIMIT + 113;
    ExecutorService clients = Executors.newFixedThreadPool(32);
    List<Future<Submission>> submitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String region = i % 3 == 0 ? "NA" : "EU";
      var request =
          DecisionRequestParser.parse(
              Fixtures.requestJson(1000 + i, 56000, 0.1, "approve", 0.9)
                  .replace("\"region\": \"EU\"", "\"region\": \"" + region + "\"")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      submitted.add(clients.submit(() -> service.submit(request, "alice", Optional.empty())));
    }
    java.util.Set<DecisionId> inNa = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      DecisionId id = submitted.get(i).get().recorded().decision().id();
      if (i % 3 == 0) {
        inNa.add(id);
      }
    }
    clients.shutdown();
    List<DecisionId> newestFirst = new ArrayList<>();
    service.forEachSummary(DecisionQuery.all(), summary -> newestFirst.add(summary.id()));
    // Every other decision left out by the summary test, so pages are filled after it.
    java.util.Set<DecisionId> excluded = new java.util.HashSet<>();
    for (int i = 0; i < newestFirst.size(); i += 2) {
      excluded.add(newestFirst.get(i));
    }

    List<DecisionId> matched = new ArrayList<>();
    service.forEachSummary(
        DecisionQuery.all(),
        summary -> !excluded.contains(summary.id()),
        Optional.of(new ContextMatch("region", "NA")),
        summary -> matched.add(summary.id()));
    List<DecisionId> expected =
        newestFirst.stream().filter(id -> inNa.contains(id) && !excluded.contains(id)).toList();
    assertTrue(
        newestFirst.size() - excluded.size() > DecisionQuery.MAX_LIMIT,
        "the included decisions fill a page of contexts and start another");
    assertEquals(expected, matched);

    List<DecisionId> unmatched = new ArrayList<>();
    service.forEachSummary(
        DecisionQuery.all(),
        summary -> !excluded.contains(summary.id()),
        Optional.empty(),
        summary -> unmatched.add(summary.id()));
    assertEquals(
        newestFirst.stream().filter(id -> !excluded.contains(id)).toList(),
        unmatched,
        "without a match, the summary test alone");
  }

  @Test
  void submit_withATenant_isRoutedByItsTenantsPolicy_andTheTenantIsRecorded() throws Exception {
    graph = new TestStore(dir);
    TestApp app = TestApp.demo(graph);
    app.policies.register(
        Fixtures.demoPolicyText("1", 1000)
            .replace("id: demo-credit-policy", "id: retail-policy")
            .replace("models: [demo-credit]", "models: [demo-credit]\n  tenants: [retail]"),
        "alice");
    app.policies.transition(
        "retail-policy", "1", io.arbiter.policy.PolicyTransition.APPROVE, "bob", Optional.empty());
    app.policies.transition(
        "retail-policy", "1", io.arbiter.policy.PolicyTransition.ACTIVATE, "bob", Optional.empty());
    String body =
        Fixtures.requestJson(12000, 56000, 0.1, "approve", 0.9)
            .replaceFirst("\\{", "{\"tenant\": \"retail\", ");
    DecisionRequest retail =
        DecisionRequestParser.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Decision routed =
        app.decisions.submit(retail, "integrator", Optional.empty()).recorded().decision();
    assertEquals("retail-policy", routed.policy().orElseThrow().id());
    assertEquals(Route.REVIEW, routed.evaluation().route(), "above 1,000 under retail's policy");
    Decision reread = app.decisions.find(routed.id()).orElseThrow().decision();
    assertEquals(Optional.of("retail"), reread.request().tenant());
    assertEquals(
        List.of(), app.replays.replay(app.decisions.find(routed.id()).orElseThrow()).differences());

    Decision other =
        app.decisions
            .submit(Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded()
            .decision();
    assertEquals("demo-credit-policy", other.policy().orElseThrow().id());
    assertEquals(Route.APPROVE, other.evaluation().route());
    assertEquals(
        1,
        app.replays
            .backtest(
                "retail-policy", "1", Optional.empty(), Optional.empty(), 0, 10, Progress.NONE)
            .evaluated(),
        "a tenant's candidate is backtested on that tenant's decisions only");
    app.policies.register(Fixtures.demoPolicyText("2", 30000), "alice");
    app.policies.transition(
        "demo-credit-policy",
        "2",
        io.arbiter.policy.PolicyTransition.APPROVE,
        "bob",
        Optional.empty());
    assertEquals(
        1,
        app.replays
            .backtest(
                "demo-credit-policy", "2", Optional.empty(), Optional.empty(), 0, 10, Progress.NONE)
            .evaluated(),
        "a candidate for every tenant is not backtested on retail's decisions: retail's own"
            + " version would still route them");

    ProblemException bad =
        assertThrows(
            ProblemException.class,
            () ->
                DecisionRequestParser.parse(
                    body.replace("\"retail\"", "\"no spaces\"")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals("tenant", bad.errors().get(0).field());
  }

  private static DecisionRequest withTenant(String tenant) {
    String body =
        Fixtures.requestJson(12000, 56000, 0.1, "approve", 0.9)
            .replaceFirst("\\{", "{\"tenant\": \"" + tenant + "\", ");
    return DecisionRequestParser.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void submit_tenantNotGranted_isRefusedBeforeAnythingIsWrittenOrClaimed() throws Exception {
    DecisionService service = start();
    long leaves = graph.tree.size();
    var key = Optional.of(new Decision.Idempotency("key-1", "sha256:aa"));

    // The demo grants give integrator retail and others, not globex; alice is granted nothing.
    for (var refused :
        List.of(
            (org.junit.jupiter.api.function.Executable)
                () -> service.submit(withTenant("globex"), "integrator", key),
            () -> service.submit(withTenant("retail"), "alice", key))) {
      ProblemException e = assertThrows(ProblemException.class, refused);
      assertEquals(ProblemType.TENANT_NOT_GRANTED, e.type());
      assertEquals(403, e.type().status());
      assertEquals(List.of("tenant"), e.errors().stream().map(f -> f.field()).toList());
    }

    assertEquals(leaves, graph.tree.size(), "no bundle and no ledger entry was written");
    assertTrue(service.list(DecisionQuery.all()).items().isEmpty());
    // The key is unused: another body with it is a new decision, not a conflict or a replay.
    Submission later =
        service.submit(
            Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
            "integrator",
            Optional.of(new Decision.Idempotency("key-1", "sha256:bb")));
    assertFalse(later.replayed());
    assertEquals(
        4, later.recorded().sequence(), "the refusals used no sequence number (3 is the hour)");
    Submission granted = service.submit(withTenant("retail"), "integrator", Optional.empty());
    assertEquals(Optional.of("retail"), granted.recorded().decision().request().tenant());
  }

  @Test
  void submit_sameKeySameBody_returnsTheFirstDecisionAndRecordsOnce() throws Exception {
    DecisionService service = start();
    var request = Fixtures.request(72000, 56000, 0.2, "approve", 0.9);
    var key = Optional.of(new Decision.Idempotency("key-1", "sha256:aa"));
    Submission first = service.submit(request, "alice", key);
    Submission again = service.submit(request, "alice", key);
    assertFalse(first.replayed());
    assertTrue(again.replayed());
    assertEquals(first.recorded(), again.recorded());
    assertEquals(1, service.list(DecisionQuery.all()).items().size());
  }

  @Test
  void submit_sameKeyOtherBody_isRefusedAndRecordsNothing() throws Exception {
    DecisionService service = start();
    service.submit(
        Fixtures.request(1000, 56000, 0.2, "approve", 0.9),
        "alice",
        Optional.of(new Decision.Idempotency("key-1", "sha256:aa")));
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service.submit(
                    Fixtures.request(2000, 56000, 0.2, "approve", 0.9),
                    "alice",
                    Optional.of(new Decision.Idempotency("key-1", "sha256:bb"))));
    assertEquals(ProblemType.IDEMPOTENCY_CONFLICT, e.type());
    assertEquals(1, service.list(DecisionQuery.all()).items().size());
  }

  @Test
  void submit_concurrentRetriesWithOneKey_recordOneDecision() throws Exception {
    DecisionService service = start();
    var request = Fixtures.request(72000, 56000, 0.2, "approve", 0.9);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Submission>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(
          pool.submit(
              () ->
                  service.submit(
                      request,
                      "alice",
                      Optional.of(new Decision.Idempotency("same", "sha256:aa")))));
    }
    var ids = new java.util.HashSet<DecisionId>();
    for (Future<Submission> answer : answers) {
      ids.add(answer.get().recorded().decision().id());
    }
    pool.shutdown();
    assertEquals(1, ids.size());
    assertEquals(1, service.list(DecisionQuery.all()).items().size());
  }

  @Test
  void submit_unregisteredModelVersion_failsSafeToReviewAndReplaysSoAfterItsRegistration()
      throws Exception {
    graph = new TestStore(dir);
    TestApp app = TestApp.demo(graph);
    // A request the policy would otherwise approve automatically (affordable-low-risk).
    var request =
        DecisionRequestParser.parse(
            Fixtures.requestJson(1000, 56000, 0.1, "approve", 0.9)
                .replace("\"version\": \"1\"", "\"version\": \"9\"")
                .getBytes());
    Decision decision =
        app.decisions.submit(request, "alice", Optional.empty()).recorded().decision();
    assertEquals(Route.REVIEW, decision.evaluation().route());
    assertEquals(RuleKind.FAIL_SAFE, decision.evaluation().kind());
    assertEquals(
        "model demo-credit version 9 is not registered",
        decision.evaluation().failure().orElseThrow());
    assertFalse(decision.modelRegistered());
    Decision read = app.decisions.find(decision.id()).orElseThrow().decision();
    assertEquals(decision, read, "read back with its registration status");

    // Registering the version later does not change what replay of this decision gives.
    app.registry.register(
        new io.arbiter.registry.ModelVersion(
            new io.arbiter.registry.ModelVersionRef("demo-credit", "9"),
            Optional.empty(),
            Optional.empty()),
        "steward");
    assertEquals(
        decision.evaluation(),
        DecisionService.evaluate(app.policies.forModel("demo-credit"), read.facts()));
    Decision next = app.decisions.submit(request, "alice", Optional.empty()).recorded().decision();
    assertEquals(Route.APPROVE, next.evaluation().route(), "registered now: the rules apply");
  }

  @Test
  void submit_versionAwaitingRequiredApproval_failsSafeAndReplaysSoAfterItsApproval()
      throws Exception {
    graph = new TestStore(dir);
    TestApp app = TestApp.demo(graph);
    var ref = new io.arbiter.registry.ModelVersionRef("demo-credit", "7");
    app.registry.register(
        io.arbiter.registry.ModelVersion.parse(
            io.arbiter.event.Jsonp.PROVIDER
                .createObjectBuilder()
                .add("name", "demo-credit")
                .add("version", "7")
                .add("approvalRequired", true)
                .build()),
        "steward");
    // A request the policy would otherwise approve automatically (affordable-low-risk).
    String json =
        Fixtures.requestJson(1000, 56000, 0.1, "approve", 0.9)
            .replace("\"version\": \"1\"", "\"version\": \"7\"");
    Decision decision =
        app.decisions
            .submit(DecisionRequestParser.parse(json.getBytes()), "alice", Optional.empty())
            .recorded()
            .decision();
    assertEquals(Route.REVIEW, decision.evaluation().route());
    assertEquals(RuleKind.FAIL_SAFE, decision.evaluation().kind());
    assertEquals(
        "model demo-credit version 7 is not approved, and the registry requires approval before"
            + " its decisions are automated",
        decision.evaluation().failure().orElseThrow());
    assertTrue(decision.modelUnapproved());
    Decision read = app.decisions.find(decision.id()).orElseThrow().decision();
    assertEquals(decision, read, "read back with its approval status");

    // Approval lets the rules apply from now on; replay of the earlier decision still fails safe.
    app.registry.approve(ref, "paula", Optional.empty());
    assertEquals(
        decision.evaluation(),
        DecisionService.evaluate(app.policies.forModel("demo-credit"), read.facts()));
    Decision next =
        app.decisions
            .submit(DecisionRequestParser.parse(json.getBytes()), "alice", Optional.empty())
            .recorded()
            .decision();
    assertEquals(Route.APPROVE, next.evaluation().route(), "approved now: the rules apply");
    assertFalse(next.modelUnapproved());
  }

  @Test
  void submit_versionNotRequiringApproval_isAutomatedUnapproved() throws Exception {
    DecisionService service = start();
    Decision decision =
        service
            .submit(Fixtures.request(1000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded()
            .decision();
    assertEquals(Route.APPROVE, decision.evaluation().route(), "the demo keeps approval optional");
    assertFalse(decision.modelUnapproved());
  }

  @Test
  void submit_missingRequiredInput_isRecordedAsFailSafeReviewNamingIt() throws Exception {
    DecisionService service = start();
    var request =
        DecisionRequestParser.parse(
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "s", "input": {"amount": 10},
         "output": {"label": "approve", "score": 1, "confidence": 0.9}}"""
                .getBytes());
    Decision decision = service.submit(request, "alice", Optional.empty()).recorded().decision();
    assertEquals(Route.REVIEW, decision.evaluation().route());
    assertEquals(RuleKind.FAIL_SAFE, decision.evaluation().kind());
    assertEquals(
        "declared inputs missing from the request: input.income, input.riskScore",
        decision.evaluation().failure().orElseThrow());
    assertEquals(decision, service.find(decision.id()).orElseThrow().decision());
  }

  @Test
  void submit_storeDown_isUnavailableAndRecordsNothing() throws Exception {
    DecisionService service = start();
    graph.journal.close();
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service.submit(
                    Fixtures.request(1000, 56000, 0.2, "approve", 0.9), "alice", Optional.empty()));
    assertEquals(ProblemType.STORE_UNAVAILABLE, e.type());
    assertEquals(0, service.list(DecisionQuery.all()).items().size());
  }

  @Test
  void start_rebuildsIndexFromTheGraph() throws Exception {
    DecisionService service = start();
    Decision decision =
        service
            .submit(
                Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
                "alice",
                Optional.of(new Decision.Idempotency("k", "sha256:aa")))
            .recorded()
            .decision();
    graph.close();
    DecisionService restarted = start();
    assertEquals(
        List.of(decision.id()),
        restarted.list(DecisionQuery.all()).items().stream().map(DecisionSummary::id).toList());
    Submission replay =
        restarted.submit(
            Fixtures.request(12000, 56000, 0.1, "approve", 0.9),
            "alice",
            Optional.of(new Decision.Idempotency("k", "sha256:aa")));
    assertTrue(replay.replayed());
    assertEquals(decision, replay.recorded().decision());
    assertEquals(
        5,
        graph.size(),
        "model, policy version, its activation, the decision's hour and the decision; nothing"
            + " recorded again");
  }

  @Test
  void submit_undeclaredInputUnderTheDefaultPolicy_isDroppedWithAWarning() throws Exception {
    DecisionService service = start();
    DecisionRequest plain = Fixtures.request(12000, 56000, 0.1, "approve", 0.9);
    var input = new java.util.LinkedHashMap<>(plain.input());
    input.put("patient_age", new FeatureValue(new java.math.BigDecimal("61"), Optional.empty()));
    DecisionRequest extra =
        new DecisionRequest(
            plain.model(), plain.subject(), input, plain.output(), plain.context(), plain.tenant());
    Submission s = service.submit(extra, "alice", Optional.empty());
    assertEquals(
        List.of(
            "input.patient_age is not declared by policy demo-credit-policy version 1 and was not"
                + " recorded"),
        s.warnings());
    assertEquals(Route.APPROVE, s.recorded().decision().evaluation().route());
    RecordedDecision loaded = service.find(s.recorded().decision().id()).orElseThrow();
    assertEquals(plain.input().keySet(), loaded.decision().request().input().keySet());
    assertEquals(
        List.of(),
        service.submit(plain, "alice", Optional.empty()).warnings(),
        "declared inputs alone: no warning");
  }

  private static GroundTruth truth(Route correct, java.time.Instant observedAt) {
    return new GroundTruth(correct, Optional.empty(), observedAt, "alice", observedAt);
  }

  @Test
  void recordTruth_correction_revisesWithItsReasonAndTheLatestStandsAfterARestart()
      throws Exception {
    DecisionService service = start();
    Decision decision =
        service
            .submit(Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded()
            .decision();
    DecisionSummary summary = service.requireVisible(decision.id().value(), "alice", false);
    java.time.Instant at = decision.submittedAt().plusSeconds(60);
    service.recordTruth(summary, truth(Route.REJECT, at), Optional.empty());

    ProblemException again =
        assertThrows(
            ProblemException.class,
            () -> service.recordTruth(summary, truth(Route.APPROVE, at), Optional.empty()));
    assertEquals(ProblemType.STATE_CONFLICT, again.type());
    assertEquals("reason", again.errors().get(0).field());
    ProblemException earlier =
        assertThrows(
            ProblemException.class,
            () ->
                service.recordTruth(
                    summary, truth(Route.APPROVE, at.minusSeconds(1)), Optional.of("why")));
    assertEquals("observedAt", earlier.errors().get(0).field());

    GroundTruth corrected =
        service.recordTruth(summary, truth(Route.APPROVE, at), Optional.of("bank error"));
    assertEquals(2, corrected.revision());
    assertEquals(Optional.of("bank error"), corrected.reason());
    GroundTruth third =
        service.recordTruth(
            summary, truth(Route.REJECT, at.plusSeconds(5)), Optional.of("error was not"));
    assertEquals(3, third.revision());
    assertEquals(Optional.of(third), service.truthOf(decision.id()));

    graph.close();
    DecisionService restarted = start();
    assertEquals(
        Optional.of(third),
        restarted.truthOf(decision.id()),
        "the index rebuilt from the graph holds the latest revision");
  }

  @Test
  void recordTruth_reasonWithoutAnOutcomeToCorrect_isRefusedNamingReason() throws Exception {
    DecisionService service = start();
    Decision decision =
        service
            .submit(Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded()
            .decision();
    DecisionSummary summary = service.requireVisible(decision.id().value(), "alice", false);
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                service.recordTruth(
                    summary, truth(Route.REJECT, decision.submittedAt()), Optional.of("why")));
    assertEquals(ProblemType.INVALID_REQUEST, e.type());
    assertEquals("reason", e.errors().get(0).field());
    assertEquals(Optional.empty(), service.truthOf(decision.id()));
  }

  private static DecisionQuery forTenant(String tenant) {
    DecisionQuery all = DecisionQuery.all();
    return new DecisionQuery(
        all.route(),
        all.status(),
        all.model(),
        all.modelVersion(),
        all.from(),
        all.to(),
        Optional.of(tenant),
        all.subject(),
        all.rule(),
        all.submittedBy(),
        all.after(),
        all.limit());
  }

  @Test
  void list_byTenant_selectsItsDecisions_asRecordedAndAsRebuiltFromTheGraph() throws Exception {
    DecisionService service = start();
    Decision retail =
        service.submit(withTenant("retail"), "integrator", Optional.empty()).recorded().decision();
    service.submit(withTenant("us-retail"), "integrator", Optional.empty());
    service.submit(
        Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "integrator", Optional.empty());
    List<DecisionSummary> before = service.list(DecisionQuery.all()).items();

    graph.close();
    DecisionService restarted = start();

    assertEquals(
        before.stream().map(DecisionSummary::tenant).toList(),
        restarted.list(DecisionQuery.all()).items().stream().map(DecisionSummary::tenant).toList(),
        "the index rebuilt from the graph knows each decision's tenant, or that it has none");
    for (DecisionService s : List.of(service, restarted)) {
      assertEquals(
          List.of(retail.id()),
          s.list(forTenant("retail")).items().stream().map(DecisionSummary::id).toList());
      List<DecisionId> walked = new ArrayList<>();
      s.forEachSummary(forTenant("retail"), summary -> walked.add(summary.id()));
      assertEquals(List.of(retail.id()), walked, "walks keep the tenant filter");
      assertTrue(s.list(forTenant("eu-retail")).items().isEmpty());
    }
  }

  @Test
  void visibleTo_integratorSeesOnlyOwnDecisions() throws Exception {
    DecisionService service = start();
    DecisionId id =
        service
            .submit(Fixtures.request(12000, 56000, 0.1, "approve", 0.9), "alice", Optional.empty())
            .recorded()
            .decision()
            .id();
    assertTrue(service.visibleTo(id, "alice", false).isPresent());
    assertTrue(service.visibleTo(id, "bob", false).isEmpty());
    assertTrue(service.visibleTo(id, "auditor", true).isPresent());
  }
}
