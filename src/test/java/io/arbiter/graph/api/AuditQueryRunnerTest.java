package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.audit.AuditQuery;
import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.decision.Decision;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.query.QuerySolution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's queries bound by type and run over a real store with known answers. */
class AuditQueryRunnerTest {

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;
  private AuditQueryRunner runner;
  private final AuditQueryLibrary library = AuditQueryLibrary.bundled();

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app = TestApp.demo(graph);
    runner = new AuditQueryRunner(new SparqlService(graph.store, Duration.ofSeconds(30), 1000));
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private Decision submit(double amount, double risk, String label) {
    return submit(Fixtures.request(amount, 200000, risk, label, 0.9));
  }

  private Decision submit(io.arbiter.decision.DecisionRequest request) {
    return app.decisions.submit(request, "alice", Optional.empty()).recorded().decision();
  }

  private List<QuerySolution> run(String name, String json) {
    AuditQuery query = library.find(name).orElseThrow();
    JsonObject values;
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
      values = reader.readObject();
    }
    var table = (SparqlService.Table) runner.sparql().execute(runner.bind(query, values));
    List<QuerySolution> rows = new ArrayList<>();
    table.rows().forEachRemaining(rows::add);
    return rows;
  }

  /**
   * A listing's ids, after checking that its two plans agree: without a window, and through the
   * submission hours with a window holding everything; a window before everything holds nothing.
   *
   * @param json the values, without the window, as a JSON object
   */
  private Set<String> listed(String name, String json) {
    List<QuerySolution> rows = run(name, json);
    Set<String> all = ids(rows);
    assertEquals(all.size(), rows.size(), name + " lists each decision once");
    String open = json.substring(0, json.lastIndexOf('}'));
    assertEquals(
        all,
        ids(run(name, open + ", \"from\": \"2000-01-01T00:00:00Z\"}")),
        name + " over a window holding everything");
    assertEquals(
        Set.of(),
        ids(run(name, open + ", \"to\": \"2000-01-01T00:00:00Z\"}")),
        name + " over a window before everything");
    return all;
  }

  private static Set<String> ids(List<QuerySolution> rows) {
    Set<String> ids = new TreeSet<>();
    rows.forEach(row -> ids.add(row.getLiteral("id").getLexicalForm()));
    return ids;
  }

  @Test
  void theLibrarysQueriesAnswerWhatWasRecorded() {
    Decision large = submit(90000, 0.2, "approve"); // large-amount: review
    Decision rejected = submit(10000, 0.95, "reject"); // high-risk-reject
    Decision approved = submit(10000, 0.1, "approve"); // affordable-low-risk
    String version = TestStore.IRIS.policyVersion("demo-credit-policy", "1");
    String model = TestStore.IRIS.modelVersion("demo-credit", "1");

    assertEquals(
        Set.of(large.id().value()),
        listed(
            "decisions-by-rule",
            "{\"policyVersion\": \"" + version + "\", \"ruleId\": \"large-amount\"}"));
    assertEquals(
        Set.of(large.id().value(), rejected.id().value(), approved.id().value()),
        listed("decisions-by-model-version", "{\"modelVersion\": \"" + model + "\"}"));
    List<QuerySolution> active =
        run(
            "policy-version-active-at",
            "{\"policy\": \""
                + TestStore.IRIS.policy("demo-credit-policy")
                + "\", \"at\": \""
                + Instant.now().plusSeconds(60)
                + "\"}");
    assertEquals(1, active.size());
    assertEquals("1", active.get(0).getLiteral("version").getLexicalForm());
    assertTrue(
        run(
                "policy-version-active-at",
                "{\"policy\": \""
                    + TestStore.IRIS.policy("demo-credit-policy")
                    + "\", \"at\": \"2000-01-01T00:00:00Z\"}")
            .isEmpty(),
        "nothing was active before the seed");
    Set<String> steps = new TreeSet<>();
    run(
            "decision-lineage",
            "{\"decision\": \"" + TestStore.IRIS.decision(large.id().value()) + "\"}")
        .forEach(row -> steps.add(row.getLiteral("step").getLexicalForm()));
    // Every step of the lineage reaches the triples describing it, wherever they were recorded.
    assertTrue(
        steps.containsAll(
            Set.of(
                "decision",
                "inference",
                "input",
                "data-source",
                "context",
                "model-version",
                "model",
                "routing",
                "plan",
                "policy",
                "rule",
                "submitter",
                "routing-agent",
                "bundle",
                "model-version-bundle",
                "plan-bundle")),
        steps.toString());
    assertEquals(List.of(), run("decisions-during-drift", "{\"modelVersion\": \"" + model + "\"}"));
  }

  @Test
  void theAuditorsQuestionsAnswerWhatWasRecorded() {
    String from = "\"from\": \"2000-01-01T00:00:00Z\"";
    String to = "\"to\": \"" + Instant.now().plusSeconds(3600) + "\"";
    String window = "{" + from + ", " + to + "}";
    List<Decision> all = new ArrayList<>();

    // An escalation a reviewer overrides, with a justification.
    Decision escalated =
        app.decisions
            .submit(Fixtures.request(10000, 200000, 0.1, "approve", 0.5), "alice", Optional.empty())
            .recorded()
            .decision();
    all.add(escalated);
    var rita =
        new io.arbiter.review.Caller("rita", Set.of(io.arbiter.security.Roles.REVIEWER)::contains);
    app.reviews.claim(escalated.id().value(), rita);
    app.reviews.verdict(
        escalated.id().value(),
        rita,
        new io.arbiter.review.VerdictRequest(
            io.arbiter.review.Outcome.REJECT,
            "income-unverified",
            List.of("low-confidence"),
            Optional.of("Income not verified.")));

    // A decision without its risk score: the policy cannot be evaluated, so it fails safe.
    Decision failSafe =
        app.decisions
            .submit(
                io.arbiter.decision.DecisionRequestParser.parse(
                    """
                    {"model": {"name": "demo-credit", "version": "1"}, "subject": "no-risk",
                     "input": {"amount": 10}, "output": {"label": "approve", "score": 1, "confidence": 0.9}}"""
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "alice",
                Optional.empty())
            .recorded()
            .decision();
    all.add(failSafe);

    // Automated although the model was unsure: confidence 0.7 passes the demo's guardrail (0.6).
    Decision unsure = submit(Fixtures.request(1000, 200000, 0.1, "approve", 0.7));
    all.add(unsure);

    // Drift: high-risk rejections against a reference expecting risk spread evenly.
    var model = new io.arbiter.registry.ModelVersionRef("demo-credit", "1");
    Fixtures.referenceInForce(
        app.drift,
        new io.arbiter.drift.ReferenceProfile(
            model,
            java.util.Map.of(
                "riskScore",
                new io.arbiter.drift.Distribution.Histogram(
                    List.of(0.0, 0.5, 1.0), List.of(1.0, 1.0)))),
        "carol");
    for (int i = 0; i < TestApp.DRIFT.minSamples(); i++) {
      all.add(submit(10000, 0.95, "reject"));
    }
    var raised = (io.arbiter.drift.DriftAlarm.Raised) app.drift.assess().get(0);

    // An objective wanting half the decisions escalated, met by none: a breach.
    var slo =
        new io.arbiter.slo.SloMonitor(
            io.arbiter.slo.ObjectivesParser.parse(
                "test",
                "objectives: [{id: band, kind: escalation-rate, band: {min: 0.5, max: 1},"
                    + " window: PT1H, minEvents: 1}]"),
            graph.writer,
            java.time.Clock.systemUTC(),
            TestStore.IRIS);
    slo.onRecorded(all.get(all.size() - 1), Instant.now());
    slo.evaluate();

    List<QuerySolution> who =
        run(
            "who-decided",
            "{\"decision\": \"" + TestStore.IRIS.decision(escalated.id().value()) + "\"}");
    List<String> roles = who.stream().map(r -> r.getLiteral("as").getLexicalForm()).toList();
    assertEquals(List.of("reviewer", "routing", "settled by consensus").size(), roles.size());
    assertTrue(
        roles.containsAll(List.of("routing", "reviewer", "settled by consensus")),
        roles.toString());
    QuerySolution verdict =
        who.stream()
            .filter(r -> r.getLiteral("as").getLexicalForm().equals("reviewer"))
            .findFirst()
            .orElseThrow();
    assertEquals("rita", verdict.getLiteral("who").getLexicalForm());
    assertEquals("Income not verified.", verdict.getLiteral("why").getLexicalForm());
    assertEquals("low-confidence", verdict.getLiteral("rule").getLexicalForm());

    List<QuerySolution> failed = run("fail-safe-decisions", window);
    assertEquals(Set.of(failSafe.id().value()), ids(failed));
    assertTrue(failed.get(0).getLiteral("failure").getLexicalForm().contains("riskScore"));

    List<QuerySolution> unsureAutomated =
        run("automated-below-confidence", "{\"threshold\": 0.8, " + from + ", " + to + "}");
    assertEquals(Set.of(unsure.id().value()), ids(unsureAutomated));
    assertEquals(0.7, unsureAutomated.get(0).getLiteral("confidence").getDouble());
    assertEquals("affordable-low-risk", unsureAutomated.get(0).getLiteral("rule").getLexicalForm());
    assertEquals(
        TestStore.IRIS.policyVersion("demo-credit-policy", "1"),
        unsureAutomated.get(0).getResource("policyVersion").getURI());
    // Below 0.95 the high-risk rejections (confidence 0.9) join it, lowest confidence first; the
    // decisions that went to review (0.5, and 0.9 failed safe) never do.
    List<QuerySolution> below95 =
        run("automated-below-confidence", "{\"threshold\": 0.95, " + from + ", " + to + "}");
    assertEquals(1 + TestApp.DRIFT.minSamples(), below95.size());
    assertEquals(unsure.id().value(), below95.get(0).getLiteral("id").getLexicalForm());
    assertFalse(ids(below95).contains(failSafe.id().value()));
    assertFalse(ids(below95).contains(escalated.id().value()));

    List<QuerySolution> sighted = run("verdicts-blind-or-sighted", window);
    assertEquals(1, sighted.size());
    assertEquals(true, sighted.get(0).getLiteral("saw").getBoolean());
    assertEquals(true, sighted.get(0).getLiteral("against").getBoolean());
    assertEquals("approve", sighted.get(0).getLiteral("recommendation").getLexicalForm());

    List<QuerySolution> overrides = run("overrides-by-reviewer", window);
    assertEquals(1, overrides.size());
    assertEquals("income-unverified", overrides.get(0).getLiteral("reasonCode").getLexicalForm());
    assertEquals(1, overrides.get(0).getLiteral("verdicts").getInt());
    assertEquals(1, overrides.get(0).getLiteral("overrides").getInt());

    long escalations =
        all.stream()
            .filter(d -> io.arbiter.policy.Route.REVIEW.equals(d.evaluation().route()))
            .count();
    List<QuerySolution> byVersion = run("escalation-by-policy-version", window);
    assertEquals(1, byVersion.size(), "one version, one month");
    assertEquals(
        TestStore.IRIS.policyVersion("demo-credit-policy", "1"),
        byVersion.get(0).getResource("policyVersion").getURI());
    assertEquals(all.size(), byVersion.get(0).getLiteral("decisions").getInt());
    assertEquals(escalations, byVersion.get(0).getLiteral("escalated").getLong());
    assertEquals(2, escalations, "the overridden one and the fail-safe one");

    List<QuerySolution> alarms =
        run(
            "drift-alarms",
            "{\"modelVersion\": \"" + TestStore.IRIS.modelVersion("demo-credit", "1") + "\"}");
    assertTrue(!alarms.isEmpty());
    assertTrue(
        alarms.stream()
            .allMatch(
                r ->
                    r.getResource("alarm")
                            .getURI()
                            .equals(TestStore.IRIS.driftAlarm(raised.alarmId()))
                        && r.getLiteral("input").getLexicalForm().equals("riskScore")
                        && r.getLiteral("value").getDouble()
                            >= r.getLiteral("threshold").getDouble()));

    List<QuerySolution> breaches =
        run("slo-breaches", "{\"objective\": \"" + TestStore.IRIS.slo("band") + "\"}");
    assertEquals(1, breaches.size());
    assertEquals(0.0, breaches.get(0).getLiteral("sli").getDouble());
    assertTrue(!breaches.get(0).contains("ended") && !breaches.get(0).contains("burnRate"));
  }

  private static JsonObject json(String text) {
    return Jsonp.STRICT_READERS.createReader(new StringReader(text)).readObject();
  }

  @Test
  void theRegistryQueriesAnswerWhatWasRecorded() throws Exception {
    var data = app.registry.data();
    data.register(
        io.arbiter.registry.DataEntries.source(json("{\"id\": \"bureau\", \"title\": \"B\"}")),
        "steward");
    data.register(
        io.arbiter.registry.DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"L\"}")),
        "steward");
    for (String v : List.of("1", "2")) {
      data.register(
          io.arbiter.registry.DataEntries.datasetVersion(
              json(
                  "{\"dataset\": \"loans\", \"version\": \"%s\", \"contentHash\": \"sha256:%s\", \"derivedFrom\": [\"bureau\"]}"
                      .formatted(v, v.repeat(64)))),
          "steward");
    }
    for (String[] mv : List.of(new String[] {"2", "1"}, new String[] {"3", "2"})) {
      app.registry.register(
          io.arbiter.registry.ModelVersion.parse(
              json(
                  "{\"name\": \"demo-credit\", \"version\": \"%s\", \"trainedOn\": [{\"dataset\": \"loans\", \"version\": \"%s\"}]}"
                      .formatted(mv[0], mv[1]))),
          "steward");
    }
    app.registry.approve(
        new io.arbiter.registry.ModelVersionRef("demo-credit", "2"), "paula", Optional.empty());

    Decision byThreeEarly = Fixtures.submitForVersion(app, "3", 10000, 0.1, 0.9);
    Decision byTwoLargeAmount =
        Fixtures.submitForVersion(app, "2", 90000, 0.2, 0.9); // large-amount: review (version 1)
    Thread.sleep(5);
    Instant between = Instant.now();
    Thread.sleep(5);
    Decision byTwoApproved =
        Fixtures.submitForVersion(
            app, "2", 10000, 0.1, 0.9); // affordable-low-risk (unchanged below)
    Decision byOne = Fixtures.submitForVersion(app, "1", 10000, 0.1, 0.9);

    assertEquals(
        Set.of(
            byThreeEarly.id().value(), byTwoLargeAmount.id().value(), byTwoApproved.id().value()),
        listed(
            "decisions-trained-on-dataset",
            "{\"dataset\": \"" + TestStore.IRIS.dataset("loans") + "\"}"),
        "every version of the dataset, not version 1 of the model");
    assertEquals(
        Set.of(byTwoLargeAmount.id().value(), byTwoApproved.id().value()),
        ids(
            run(
                "decisions-trained-on-dataset",
                "{\"dataset\": \"" + TestStore.IRIS.datasetVersion("loans", "1") + "\"}")));
    assertEquals(
        Set.of(byTwoApproved.id().value()),
        ids(
            run(
                "decisions-trained-on-dataset",
                "{\"dataset\": \"%s\", \"from\": \"%s\"}"
                    .formatted(TestStore.IRIS.dataset("loans"), between))),
        "the window's plan: from the hours to the decisions, then to what they were trained on");

    // In production at `between`: what had taken decisions by then (in the day before), as of
    // then: version 1's decision came after, and version 2 had made one of its two.
    List<QuerySolution> inService =
        run("model-versions-in-production-at", "{\"at\": \"" + between + "\"}");
    assertEquals(2, inService.size(), inService.toString());
    assertEquals("demo-credit/2", inService.get(0).getLiteral("modelVersion").getLexicalForm());
    assertEquals("paula", inService.get(0).getLiteral("approvedBy").getLexicalForm());
    assertEquals(1, inService.get(0).getLiteral("decisions").getInt());
    assertEquals("demo-credit/3", inService.get(1).getLiteral("modelVersion").getLexicalForm());
    assertTrue(
        run(
                "model-versions-in-production-at",
                "{\"at\": \"" + Instant.now().plus(java.time.Duration.ofDays(2)) + "\"}")
            .isEmpty(),
        "nothing took a decision in the day before two days from now");

    // Version 2 of the policy raises the large-amount threshold: the decision it routed under
    // version 1 was routed by a rule that has since changed; the approval rule is unchanged.
    String policy = "demo-credit-policy";
    assertTrue(
        run("decisions-by-changed-rule", "{\"policy\": \"" + TestStore.IRIS.policy(policy) + "\"}")
            .isEmpty(),
        "nothing has changed yet");
    app.policies.register(Fixtures.demoPolicyText("2", 30000), "alice");
    app.policies.transition(
        policy, "2", io.arbiter.policy.PolicyTransition.APPROVE, "bob", Optional.empty());
    app.policies.transition(
        policy, "2", io.arbiter.policy.PolicyTransition.ACTIVATE, "bob", Optional.empty());
    List<QuerySolution> changed =
        run("decisions-by-changed-rule", "{\"policy\": \"" + TestStore.IRIS.policy(policy) + "\"}");
    assertEquals(Set.of(byTwoLargeAmount.id().value()), ids(changed), changed.toString());
    assertEquals(
        ids(changed),
        listed(
            "decisions-by-changed-rule",
            "{\"policy\": \"" + TestStore.IRIS.policy(policy) + "\"}"));
    QuerySolution row = changed.get(0);
    assertEquals("large-amount", row.getLiteral("rule").getLexicalForm());
    assertEquals("condition", row.getLiteral("change").getLexicalForm());
    assertEquals("1", row.getLiteral("routedBy").getLexicalForm());
    assertEquals("2", row.getLiteral("activeNow").getLexicalForm());
    assertTrue(io.arbiter.policy.Route.APPROVE.equals(byOne.evaluation().route()));
  }

  @Test
  void valuesAreBoundByType_andEachMistakeIsNamed() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                run(
                    "decisions-by-rule",
                    "{\"policyVersion\": \"not an iri\", \"ruleId\": 7, \"extra\": true}"));
    assertEquals(
        List.of(
            new FieldError("extra", "not a parameter of decisions-by-rule"),
            new FieldError("policyVersion", "must be an absolute IRI"),
            new FieldError("ruleId", "must be a string")),
        e.errors());
    ProblemException missing =
        assertThrows(ProblemException.class, () -> run("policy-version-active-at", "{}"));
    assertEquals(
        List.of(
            new FieldError("policy", "required: iri"), new FieldError("at", "required: dateTime")),
        missing.errors());
    ProblemException when =
        assertThrows(
            ProblemException.class,
            () ->
                run(
                    "policy-version-active-at",
                    "{\"policy\": \"http://x/p\", \"at\": \"yesterday\"}"));
    assertEquals("at", when.errors().get(0).field());
    // Hash IRIs (a SKOS concept, arb:RouteReview) are absolute enough to bind.
    assertEquals(
        List.of(),
        run(
            "decisions-by-rule",
            "{\"policyVersion\": \"https://example.org/ns#v\", \"ruleId\": \"x\"}"));
    // A string that looks like SPARQL stays a string: no row, no error, nothing injected.
    assertEquals(
        List.of(),
        run(
            "decisions-by-rule",
            "{\"policyVersion\": \"http://x/p\", \"ruleId\": \"x\\\" } UNION { ?a ?b ?c . #\"}"));
  }

  @Test
  void bind_numberWithAnAbsurdExponent_isRefusedNamingTheParameter() {
    AuditQuery query =
        io.arbiter.audit.AuditQueryParser.parse(
            "amounts-above.rq",
            """
            # Name: amounts-above
            # Question: Which amounts are above this one?
            # Parameters: ?threshold (decimal) the amount
            #             ?count (integer) how many
            # Columns: ?x
            SELECT ?x WHERE { BIND(?threshold AS ?x) BIND(?count AS ?y) }
            """);
    for (String absurd : List.of("1e999999999", "1e-999999999", "1" + "0".repeat(70))) {
      ProblemException e =
          assertThrows(
              ProblemException.class,
              () ->
                  runner.bind(
                      query, json("{\"threshold\": " + absurd + ", \"count\": " + absurd + "}")),
              absurd);
      assertEquals(
          List.of("count", "threshold"),
          e.errors().stream().map(FieldError::field).sorted().toList(),
          absurd);
    }
    assertTrue(
        runner
            .bind(query, json("{\"threshold\": 1.5e3, \"count\": 12}"))
            .toString()
            .contains("1500"));
  }
}
