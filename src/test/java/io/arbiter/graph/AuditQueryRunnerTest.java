package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    return app.decisions
        .submit(Fixtures.request(amount, 200000, risk, label, 0.9), "alice", Optional.empty())
        .recorded()
        .decision();
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
        ids(
            run(
                "decisions-by-rule",
                "{\"policyVersion\": \"" + version + "\", \"ruleId\": \"large-amount\"}")));
    assertEquals(
        Set.of(large.id().value(), rejected.id().value(), approved.id().value()),
        ids(run("decisions-by-model-version", "{\"modelVersion\": \"" + model + "\"}")));
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
    assertTrue(steps.containsAll(Set.of("decision", "input", "model-version")), steps.toString());
    assertEquals(List.of(), run("decisions-during-drift", "{\"modelVersion\": \"" + model + "\"}"));
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
    // A string that looks like SPARQL stays a string: no row, no error, nothing injected.
    assertEquals(
        List.of(),
        run(
            "decisions-by-rule",
            "{\"policyVersion\": \"http://x/p\", \"ruleId\": \"x\\\" } UNION { ?a ?b ?c . #\"}"));
  }
}
