package io.arbiter.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.RecordedDecision;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.replay.Replay;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.query.ParameterizedSparqlString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift end to end through the real services and a TDB2 store: a shifted input raises the alarm,
 * the drift guardrail sends the next decisions to humans, the alarm clears when the inputs return,
 * and SPARQL lists the decisions made during drift; replay reproduces them; a restart keeps the
 * reference and a raised alarm.
 */
class DriftMonitorTest {

  private static final ModelVersionRef MODEL = new ModelVersionRef("demo-credit", "1");

  /** Amounts uniform over five bins of 10,000; risk uniform over four bins. */
  private static final String REFERENCE =
      """
      {"inputs": {
         "amount": {"type": "histogram", "edges": [0, 10000, 20000, 30000, 40000, 50000],
                    "counts": [1, 1, 1, 1, 1]},
         "riskScore": {"type": "histogram", "edges": [0, 0.25, 0.5, 0.75, 1],
                       "counts": [1, 1, 1, 1]}}}""";

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;

  @BeforeEach
  void start() throws Exception {
    graph = new TestStore(dir);
    app = app(graph);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  /** The demo model and policy, with a guardrail that sends decisions to humans during drift. */
  private static TestApp app(TestStore graph) throws Exception {
    String policy =
        Fixtures.resource("demo/policies/demo-credit.yaml")
            .replace(
                "guardrails:\n",
                """
                guardrails:
                  - id: input-drift
                    description: The model's inputs have drifted from its reference.
                    condition: drift.alarm
                    route: review
                    review: {queue: general, reviewers: 1, sla: PT24H}
                """);
    return new TestApp(
        graph,
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
        List.of(new SeedFile("drift-policy", policy)));
  }

  private ReferenceProfile reference() {
    try (var reader =
        io.arbiter.event.Jsonp.PROVIDER.createReader(new java.io.StringReader(REFERENCE))) {
      return ReferenceJson.parse(MODEL, reader.readObject());
    }
  }

  /** A small, affordable, low-risk loan the model approves: automated unless drift says no. */
  private RecordedDecision clearCase() {
    return app.decisions
        .submit(Fixtures.request(1000, 100000, 0.1, "approve", 0.9), "alice", Optional.empty())
        .recorded();
  }

  /** n decisions with amounts spread evenly over [low, high) and risk over [0, 1). */
  private List<RecordedDecision> submit(int n, double low, double high) {
    List<RecordedDecision> recorded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double amount = low + (high - low) * (i + 0.5) / n;
      double risk = (i % 20 + 0.5) / 20;
      recorded.add(
          app.decisions
              .submit(
                  Fixtures.request(amount, 200000, risk, "reject", 0.9), "alice", Optional.empty())
              .recorded());
    }
    return recorded;
  }

  @Test
  void approve_fourEyes_onlyAnotherPersonPutsTheUploadedProfileInForce() {
    var first = app.drift.propose(reference(), "author");
    assertTrue(app.drift.reference(MODEL).isEmpty(), "pending is not in force");
    assertEquals(first, app.drift.pending(MODEL).orElseThrow());

    var own =
        assertThrows(ProblemException.class, () -> app.drift.approve(MODEL, first.iri(), "author"));
    assertEquals(ProblemType.SEPARATION_OF_DUTIES, own.type());

    var second = app.drift.propose(reference(), "author");
    var stale =
        assertThrows(
            ProblemException.class, () -> app.drift.approve(MODEL, first.iri(), "approver"));
    assertEquals(ProblemType.STATE_CONFLICT, stale.type(), "the first was replaced");
    assertTrue(app.drift.reference(MODEL).isEmpty());

    assertEquals(second.iri(), app.drift.approve(MODEL, second.iri(), "approver").iri());
    assertEquals(second.iri(), app.drift.reference(MODEL).orElseThrow().iri());
    assertTrue(app.drift.pending(MODEL).isEmpty());
    var none =
        assertThrows(
            ProblemException.class, () -> app.drift.approve(MODEL, second.iri(), "approver"));
    assertEquals(ProblemType.NOT_FOUND, none.type());
  }

  @Test
  void aShiftRaisesTheAlarmHumansDecideAndTheAlarmClearsWhenInputsReturn() throws Exception {
    Fixtures.referenceInForce(app.drift, reference(), "author");
    assertEquals(Route.APPROVE, clearCase().decision().evaluation().route());

    submit(100, 0, 50000);
    assertEquals(List.of(), app.drift.assess(), "inputs like the reference raise nothing");
    assertTrue(app.drift.factsFor(MODEL).psi().get("amount") < 0.01);
    assertFalse(app.drift.factsFor(MODEL).alarmed());

    // Every amount now in the top bin: PSI ~ 4.6, KS 0.8.
    submit(100, 40000, 50000);
    assertEquals(
        List.of(0L, 0L, 0L, 0L, 100L),
        app.drift.status(MODEL).orElseThrow().inputs().stream()
            .filter(i -> i.name().equals("amount"))
            .findFirst()
            .orElseThrow()
            .counts(),
        "the window of 100 holds only the shifted amounts, bucket by bucket");
    List<DriftAlarm> raised = app.drift.assess();
    assertEquals(1, raised.size());
    DriftAlarm.Raised alarm = assertInstanceOf(DriftAlarm.Raised.class, raised.get(0));
    assertTrue(
        alarm.measurements().stream()
            .anyMatch(m -> m.feature().equals("amount") && m.beyond() && m.value() > 1));
    assertTrue(
        alarm.measurements().stream()
            .filter(m -> m.feature().equals("riskScore"))
            .noneMatch(DriftAlarm.Measurement::beyond),
        "risk did not move");

    RecordedDecision duringDrift = clearCase();
    Decision decision = duringDrift.decision();
    assertEquals(Route.REVIEW, decision.evaluation().route());
    assertEquals(RuleKind.GUARDRAIL, decision.evaluation().kind());
    assertEquals(Optional.of("input-drift"), decision.evaluation().ruleId());
    assertEquals(Optional.of(alarm.alarmId()), decision.drift().alarm());
    Replay replay = app.replays.replay(app.decisions.find(decision.id()).orElseThrow());
    assertEquals(List.of(), replay.differences(), "the pinned drift facts replay");

    // Back to the reference: the window of 100 holds only the returned inputs.
    List<RecordedDecision> returning = submit(100, 0, 50000);
    assertTrue(
        returning.stream().allMatch(r -> Route.REVIEW.equals(r.decision().evaluation().route())),
        "still under the alarm until it is assessed as cleared");
    List<DriftAlarm> cleared = app.drift.assess();
    assertEquals(1, cleared.size());
    assertInstanceOf(DriftAlarm.Cleared.class, cleared.get(0));
    assertEquals(alarm.alarmId(), cleared.get(0).alarmId());
    assertFalse(app.drift.factsFor(MODEL).alarmed());
    RecordedDecision after = clearCase();
    assertEquals(Route.APPROVE, after.decision().evaluation().route());
    assertTrue(after.decision().drift().alarm().isEmpty());

    // SPARQL, with the library query: exactly the decisions made while the alarm was raised.
    Set<String> expected = new TreeSet<>();
    expected.add(decision.id().value());
    returning.forEach(r -> expected.add(r.decision().id().value()));
    var query =
        new ParameterizedSparqlString(
            Files.readString(Path.of("ontology/queries/decisions-during-drift.rq")));
    query.setIri("modelVersion", TestStore.IRIS.modelVersion("demo-credit", "1"));
    Set<String> listed = new TreeSet<>();
    List<String> clearedAt = new ArrayList<>();
    graph.store.query(
        query.asQuery(),
        Duration.ofSeconds(30),
        execution -> {
          execution
              .execSelect()
              .forEachRemaining(
                  row -> {
                    listed.add(row.getLiteral("id").getLexicalForm());
                    clearedAt.add(row.getLiteral("clearedAt").getLexicalForm());
                  });
          return null;
        });
    assertEquals(expected, listed);
    assertEquals(expected.size(), clearedAt.size());
  }

  @Test
  void aRestartKeepsTheReferenceAndARaisedAlarm() throws Exception {
    String iri = Fixtures.referenceInForce(app.drift, reference(), "author").iri();
    submit(60, 40000, 50000);
    DriftAlarm alarm = app.drift.assess().get(0);

    graph.close();
    graph = new TestStore(dir);
    app = app(graph);

    assertEquals(iri, app.drift.reference(MODEL).orElseThrow().iri());
    assertEquals(reference(), app.drift.reference(MODEL).orElseThrow().profile());
    assertEquals(Optional.of(alarm.alarmId()), app.drift.factsFor(MODEL).alarm());
    assertEquals(Route.REVIEW, clearCase().decision().evaluation().route());
    assertEquals(List.of(), app.drift.assess(), "too few new values to clear it");
    assertEquals(
        1,
        app.drift.status(MODEL).orElseThrow().inputs().get(0).samples(),
        "windows start empty after a restart: only the one decision since");
  }

  @Test
  void anAlarmClearsOnlyOnceEveryMonitoredInputIsAssessedAgain() throws Exception {
    ReferenceProfile withGhost =
        new ReferenceProfile(
            MODEL,
            Map.of(
                "amount",
                reference().distributions().get("amount"),
                // An input these decisions never carry: its window never fills.
                "ghost",
                new Distribution.Categorical(Map.of("a", 1.0))));
    Fixtures.referenceInForce(app.drift, withGhost, "author");
    submit(100, 40000, 50000);
    assertInstanceOf(DriftAlarm.Raised.class, app.drift.assess().get(0));
    submit(100, 0, 50000);
    assertEquals(List.of(), app.drift.assess(), "amount is back, but ghost was never seen");
    assertTrue(app.drift.factsFor(MODEL).alarmed());
    assertTrue(app.drift.factsFor(MODEL).psi().get("amount") < 0.1);
  }

  @Test
  void modelsWithoutAReferenceHaveNoDriftAndNoStatistics() {
    assertEquals(io.arbiter.policy.DriftFacts.NONE, app.drift.factsFor(MODEL));
    RecordedDecision recorded = clearCase();
    assertEquals(io.arbiter.policy.DriftFacts.NONE, recorded.decision().drift());
    assertEquals(
        io.arbiter.policy.DriftFacts.NONE,
        app.decisions.find(recorded.decision().id()).orElseThrow().decision().drift());
    assertEquals(List.of(), app.drift.assess());
    assertEquals(Map.of(), Map.copyOf(app.drift.factsFor(MODEL).psi()));
  }
}
