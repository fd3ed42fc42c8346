package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.decision.Decision;
import io.arbiter.decision.SubmissionHour;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.api.AuditQueryRunner;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.registry.DataEntries;
import io.arbiter.registry.ModelVersion;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.jena.graph.Node;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions are indexed by the UTC hour they were submitted in, through the real writer and TDB2:
 * each hour is described once, before its first decision; windowed audit queries read only their
 * hours; and a store from before hours were indexed is completed at start-up.
 */
class SubmissionHourIndexTest {

  private static final Instant START = Instant.parse("2026-11-26T09:59:00Z");
  private static final String MODEL_VERSION = TestStore.IRIS.modelVersion("demo-credit", "1");

  @TempDir Path dir;

  private final TestClock clock = new TestClock(START);

  private TestApp app(TestStore graph) throws Exception {
    return TestApp.demo(graph, clock);
  }

  private static Decision submit(TestApp app) {
    return app.decisions
        .submit(Fixtures.request(10000, 200000, 0.1, "approve", 0.9), "alice", Optional.empty())
        .recorded()
        .decision();
  }

  /** Three decisions: two in the hour from 09:00, one in the hour from 10:00. */
  private List<Decision> submitThree(TestApp app) {
    List<Decision> decisions = new ArrayList<>();
    decisions.add(submit(app)); // 09:59:00
    clock.advance(Duration.ofSeconds(30));
    decisions.add(submit(app)); // 09:59:30
    clock.advance(Duration.ofMinutes(1));
    decisions.add(submit(app)); // 10:00:30
    return decisions;
  }

  private static List<String> ids(TestStore graph, String window) {
    var runner = new AuditQueryRunner(new SparqlService(graph.store, Duration.ofSeconds(30), 1000));
    JsonObject values;
    try (var reader =
        Jsonp.PROVIDER.createReader(
            new StringReader("{\"modelVersion\": \"" + MODEL_VERSION + "\"" + window + "}"))) {
      values = reader.readObject();
    }
    var query = AuditQueryLibrary.bundled().find("decisions-by-model-version").orElseThrow();
    var table = (SparqlService.Table) runner.sparql().execute(runner.bind(query, values));
    List<String> ids = new ArrayList<>();
    table.rows().forEachRemaining((QuerySolution row) -> ids.add(row.getLiteral("id").getString()));
    return ids;
  }

  private static List<String> ids(List<Decision> decisions) {
    return decisions.stream().map(d -> d.id().value()).toList();
  }

  /** The hour-indexed bundles: sequence to the hour they describe. */
  private static TreeMap<Long, String> hourBundles(TestStore graph) {
    TreeMap<Long, String> bundles = new TreeMap<>();
    select(
        graph,
        """
        SELECT ?seq ?hour WHERE {
          GRAPH ?bundle {
            ?bundle arb:eventType "decision.hour-indexed" ; arb:eventSubject ?hour .
          }
          ?bundle arb:sequence ?seq .
        }""",
        row -> bundles.put(row.getLiteral("seq").getLong(), row.getResource("hour").getURI()));
    return bundles;
  }

  @Test
  void eachHourIsDescribedOnce_beforeItsFirstDecision_andAWindowReadsOnlyItsHours()
      throws Exception {
    String nine = TestStore.IRIS.hour(Instant.parse("2026-11-26T09:00:00Z"));
    String ten = TestStore.IRIS.hour(Instant.parse("2026-11-26T10:00:00Z"));
    assertEquals("http://arbiter.test/id/hours/2026-11-26T09Z", nine);
    List<Decision> three;
    List<Long> sequences = new ArrayList<>();
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      three = submitThree(app);
      three.forEach(d -> sequences.add(app.decisions.find(d.id()).orElseThrow().sequence()));
      TreeMap<Long, String> hours = hourBundles(graph);
      assertEquals(List.of(nine, ten), List.copyOf(hours.values()), "one description per hour");
      assertTrue(hours.firstKey() < sequences.get(0), "09:00 described before its first decision");
      assertTrue(
          sequences.get(1) < hours.lastKey() && hours.lastKey() < sequences.get(2),
          "10:00 described when its first decision came, before it");

      assertEquals(ids(three), ids(graph, ""), "no window: every decision");
      assertEquals(
          ids(three.subList(1, 2)),
          ids(graph, ", \"from\": \"2026-11-26T09:59:10Z\", \"to\": \"2026-11-26T10:00:00Z\""),
          "within an hour, the window's own bounds apply");
      assertEquals(
          ids(three.subList(1, 3)),
          ids(graph, ", \"from\": \"2026-11-26T11:59:10+02:00\""),
          "a window across hours, in another time zone");
      assertEquals(List.of(), ids(graph, ", \"to\": \"2026-11-26T09:00:00Z\""));
      assertEquals(
          ids(three.subList(1, 3)),
          rows(
                  graph,
                  "decisions-by-rule",
                  "{\"policyVersion\": \""
                      + TestStore.IRIS.policyVersion("demo-credit-policy", "1")
                      + "\", \"ruleId\": \"affordable-low-risk\", \"from\": \"2026-11-26T09:59:10Z\","
                      + " \"to\": \"2026-11-26T11:00:00Z\"}")
              .stream()
              .map(row -> row.split("\\|")[1])
              .toList(),
          "a rule's decisions in a window across hours");
    }
    try (TestStore graph = new TestStore(dir)) {
      app(graph);
      clock.advance(Duration.ofMinutes(1));
      long before = graph.size();
      assertEquals(2, hourBundles(graph).size(), "a restart describes no hour again");
      assertEquals(before, graph.size());
    }
  }

  @Test
  void aStoreFromBeforeHoursWereIndexed_isCompletedAtStartUp() throws Exception {
    List<Decision> three;
    try (TestStore graph = new TestStore(dir)) {
      three = submitThree(app(graph));
      // As a store recorded before hours were indexed would be: no hour descriptions, no links.
      assertEquals(9, forget(graph), "two hours' type, start and end; three decisions' links");
      assertEquals(
          List.of(),
          ids(graph, ", \"from\": \"2026-11-26T09:00:00Z\""),
          "a window finds no unlinked decision");
      assertEquals(ids(three), ids(graph, ""), "without a window they are found");
    }
    long firstRepair;
    try (TestStore graph = new TestStore(dir)) {
      firstRepair = graph.size();
      app(graph);
      TreeMap<Long, String> repairs = new TreeMap<>(hourBundles(graph).tailMap(firstRepair));
      assertEquals(2, repairs.size(), "one bundle per hour: " + repairs);
      assertEquals(ids(three), ids(graph, ""));
      assertEquals(ids(three.subList(2, 3)), ids(graph, ", \"from\": \"2026-11-26T10:00:00Z\""));
    }
    try (TestStore graph = new TestStore(dir)) {
      long before = graph.size();
      app(graph);
      assertEquals(before, graph.size(), "nothing is left to complete");
    }
  }

  /**
   * Deletes every hour's description and every decision's link to its hour, straight in TDB2.
   *
   * @return how many statements were deleted
   */
  private long forget(TestStore graph) {
    graph.settle(); // what the journal holds is in TDB2 before it is changed there
    var tdb = DatabaseMgr.connectDatasetGraph(dir.toString());
    return Txn.calculateWrite(
        tdb,
        () -> {
          List<Quad> quads = new ArrayList<>();
          for (Node property :
              List.of(
                  Vocab.submittedInHour.asNode(),
                  Vocab.hourStart.asNode(),
                  Vocab.hourEnd.asNode())) {
            tdb.find(Node.ANY, Node.ANY, property, Node.ANY).forEachRemaining(quads::add);
          }
          tdb.find(Node.ANY, Node.ANY, RDF.type.asNode(), Vocab.SubmissionHour.asNode())
              .forEachRemaining(quads::add);
          quads.forEach(tdb::delete);
          return (long) quads.size();
        });
  }

  /** A query's rows, each as its columns' lexical forms joined by '|', in the query's order. */
  private static List<String> rows(TestStore graph, String name, String json) {
    var runner = new AuditQueryRunner(new SparqlService(graph.store, Duration.ofSeconds(30), 1000));
    JsonObject values;
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
      values = reader.readObject();
    }
    var query = AuditQueryLibrary.bundled().find(name).orElseThrow();
    var table = (SparqlService.Table) runner.sparql().execute(runner.bind(query, values));
    List<String> rows = new ArrayList<>();
    table
        .rows()
        .forEachRemaining(
            row -> {
              List<String> cells = new ArrayList<>();
              query
                  .columns()
                  .forEach(
                      column ->
                          cells.add(
                              !row.contains(column)
                                  ? "(unbound)"
                                  : row.get(column).isLiteral()
                                      ? row.getLiteral(column).getLexicalForm()
                                      : row.getResource(column).getURI()));
              rows.add(String.join("|", cells));
            });
    return rows;
  }

  /** The counting queries' answers, over the hours from 09:00 to 11:00 and at 09:59:45. */
  private static List<String> counts(TestStore graph) {
    List<String> answers = new ArrayList<>();
    answers.addAll(
        rows(
            graph,
            "escalation-by-policy-version",
            "{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T11:00:00Z\"}"));
    answers.addAll(
        rows(
            graph,
            "escalation-by-policy-version",
            "{\"from\": \"2026-11-26T09:59:10Z\", \"to\": \"2026-11-26T11:00:00Z\"}"));
    answers.addAll(
        rows(graph, "model-versions-in-production-at", "{\"at\": \"2026-11-26T09:59:45Z\"}"));
    return answers;
  }

  @Test
  void aClosedHourIsTallied_countsAnswerAlike_andALateDecisionRevisesTheTally() throws Exception {
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      submitThree(app); // 09:59:00, 09:59:30 and 10:00:30
      List<String> fromDecisions = counts(graph);
      String version = TestStore.IRIS.policyVersion("demo-credit-policy", "1");
      assertTrue(
          fromDecisions.get(0).startsWith(version + "|2026-11|3|0|"), fromDecisions.toString());
      assertTrue(
          fromDecisions.get(1).startsWith(version + "|2026-11|2|0|"), fromDecisions.toString());
      assertEquals(3, fromDecisions.size(), "one model version in production: " + fromDecisions);

      clock.advance(Duration.ofSeconds(89)); // 10:01:59: the grace after 10:00 is not over
      assertEquals(0, app.decisions.tallyClosedHours());
      clock.advance(Duration.ofSeconds(1));
      assertEquals(1, app.decisions.tallyClosedHours(), "the hour from 09:00");
      assertEquals(0, app.decisions.tallyClosedHours(), "once");
      assertEquals(
          List.of(TestStore.IRIS.hourTally(Instant.parse("2026-11-26T09:00:00Z"), 1) + "|2"),
          tallies(graph));
      assertEquals(fromDecisions, counts(graph), "the tally answers as the decisions did");

      // The clock is set back: a decision lands in the tallied hour. The server stops before its
      // next tally run; after the restart, the tally is found short and the hour tallied again.
      clock.advance(Duration.ofMinutes(-3)); // 09:59:00
      submit(app);
      clock.advance(Duration.ofMinutes(3));
    }
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      assertEquals(1, app.decisions.tallyClosedHours());
      assertEquals(
          List.of(
              TestStore.IRIS.hourTally(Instant.parse("2026-11-26T09:00:00Z"), 1) + "|2",
              TestStore.IRIS.hourTally(Instant.parse("2026-11-26T09:00:00Z"), 2) + "|3"),
          tallies(graph));
      List<String> revised = counts(graph);
      String version = TestStore.IRIS.policyVersion("demo-credit-policy", "1");
      assertTrue(revised.get(0).startsWith(version + "|2026-11|4|0|"), revised.toString());
      clock.advance(Duration.ofHours(1));
      assertEquals(1, app.decisions.tallyClosedHours(), "the hour from 10:00");
      assertEquals(revised, counts(graph), "the latest tally of each hour counts");
    }
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      assertEquals(0, app.decisions.tallyClosedHours(), "a restart knows the tallies");
    }
  }

  /**
   * A question about a past instant reads only what happened by then: more intake, a new model
   * version and the tallies of the hours around it leave its answer as it was (issue 18, item 5).
   */
  @Test
  void aPastInstantIsAnsweredAlike_afterMoreIntakeAndAfterTallies() throws Exception {
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      submitThree(app); // 09:59:00, 09:59:30 and 10:00:30
      String at = "{\"at\": \"2026-11-26T09:59:45Z\"}";
      List<String> asked = rows(graph, "model-versions-in-production-at", at);
      assertEquals(1, asked.size(), asked.toString());
      assertTrue(
          asked.get(0).startsWith("demo-credit/1|")
              && asked.get(0).endsWith("|2026-11-26T09:59:00Z|2026-11-26T09:59:30Z|2"),
          "two decisions by 09:59:45, the last at 09:59:30: " + asked);

      clock.advance(Duration.ofHours(2)); // 12:00:30
      submit(app);
      assertTrue(app.decisions.tallyClosedHours() >= 2, "the hours from 09:00 and 10:00");
      assertEquals(asked, rows(graph, "model-versions-in-production-at", at), "asked again");

      List<String> later =
          rows(graph, "model-versions-in-production-at", "{\"at\": \"2026-11-26T12:30:00Z\"}");
      assertTrue(
          later.size() == 1 && later.get(0).endsWith("|2026-11-26T12:00:30Z|4"), later.toString());
      assertEquals(
          List.of(),
          rows(graph, "model-versions-in-production-at", "{\"at\": \"2026-11-28T09:00:00Z\"}"),
          "no decision in the day before: not in production");
      assertEquals(
          1,
          rows(
                  graph,
                  "model-versions-in-production-at",
                  "{\"at\": \"2026-11-28T09:00:00Z\", \"since\": \"2026-11-26T00:00:00Z\"}")
              .size(),
          "unless the question looks further back");
    }
  }

  /**
   * Every listing and count over a closed window, and every question about a past instant, gives
   * the same answer asked again after more intake, another policy version's activation and the
   * tallies of the hours around it (issue 18, item 5). decisions-by-changed-rule compares with the
   * version active at ?asOf; without it, the question is about now and is not asked here.
   */
  @Test
  void closedWindowsAreAnsweredAlike_afterMoreIntakeActivationsAndTallies() throws Exception {
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      submit(app); // 09:59:00, approved
      app.decisions.submit(
          Fixtures.request(60000, 200000, 0.1, "approve", 0.9), "alice", Optional.empty());
      app.decisions.submit(
          io.arbiter.decision.DecisionRequestParser.parse(
              Fixtures.requestJson(1000, 200000, 0.1, "approve", 0.9)
                  .replace("\"version\": \"1\"", "\"version\": \"99\"")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "alice",
          Optional.empty()); // no such version: fails safe
      clock.advance(Duration.ofSeconds(50)); // 09:59:50: version 2 raises large-amount's bar
      activate(app, "2", 30000);
      clock.advance(Duration.ofSeconds(40)); // 10:00:30: the window [09:00, 10:00) is closed
      submit(app);

      String window = "\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\"";
      String policy = "\"policy\": \"" + TestStore.IRIS.policy("demo-credit-policy") + "\"";
      String[][] questions = {
        {
          "decisions-by-model-version",
          "{\"modelVersion\": \"" + MODEL_VERSION + "\", " + window + "}"
        },
        {
          "decisions-by-rule",
          "{\"policyVersion\": \""
              + TestStore.IRIS.policyVersion("demo-credit-policy", "1")
              + "\", \"ruleId\": \"large-amount\", "
              + window
              + "}"
        },
        {"fail-safe-decisions", "{" + window + "}"},
        {"escalation-by-policy-version", "{" + window + "}"},
        {
          "decisions-by-changed-rule",
          "{" + policy + ", " + window + ", \"asOf\": \"2026-11-26T10:00:00Z\"}"
        },
        {"policy-version-active-at", "{" + policy + ", \"at\": \"2026-11-26T10:00:00Z\"}"},
        {"model-versions-in-production-at", "{\"at\": \"2026-11-26T10:00:00Z\"}"}
      };
      List<List<String>> asked = new ArrayList<>();
      for (String[] question : questions) {
        List<String> answer = rows(graph, question[0], question[1]);
        assertFalse(answer.isEmpty(), question[0] + " has something to say about the window");
        asked.add(answer);
      }
      assertTrue(
          asked.get(4).get(0).contains("|large-amount|1|2|condition|"),
          "routed under 1 by a rule version 2 changed: " + asked.get(4));

      clock.advance(Duration.ofHours(2)); // 12:00:30
      submit(app);
      app.decisions.submit(
          Fixtures.request(60000, 200000, 0.1, "approve", 0.9), "alice", Optional.empty());
      activate(app, "3", 20000);
      assertTrue(app.decisions.tallyClosedHours() >= 2, "the hours from 09:00 and 10:00");
      for (int i = 0; i < questions.length; i++) {
        assertEquals(asked.get(i), rows(graph, questions[i][0], questions[i][1]), questions[i][0]);
      }
      assertTrue(
          rows(graph, "decisions-by-changed-rule", "{" + policy + ", " + window + "}")
              .get(0)
              .contains("|large-amount|1|3|"),
          "without asOf, compared with the version active now");
    }
  }

  /**
   * The window questions about verdicts and training (issue 18, item 5). The verdict queries are
   * about verdicts given in the window, whenever their decision was submitted: a verdict given
   * after the window's end, even on a decision submitted in it, is not in the answer, before or
   * after it is given. decisions-trained-on-dataset is about decisions submitted in the window, by
   * a version registered (with its training) when they were made: a version registered later, with
   * decisions in the window, leaves the answer as it was. All three are asked about a closed window
   * before and after more intake, later verdicts, that registration and the hours' tallies.
   */
  @Test
  void closedWindowsOfVerdictsAndTraining_answeredAlike_afterLaterVerdictsRegistrationAndTallies()
      throws Exception {
    try (TestStore graph = new TestStore(dir)) {
      TestApp app = app(graph);
      registerLoans(app, "2"); // 09:59:00: demo-credit/2, trained on loans/3
      Decision trained = Fixtures.submitForVersion(app, "2", 10000, 0.1, 0.9);
      Decision unregistered =
          Fixtures.submitForVersion(app, "99", 10000, 0.1, 0.9); // no such version yet
      Decision unsure =
          Fixtures.submitForVersion(
              app, "1", 10000, 0.1, 0.5); // low-confidence: one sighted reviewer
      Decision large =
          Fixtures.submitForVersion(app, "1", 60000, 0.1, 0.9); // large-amount: two blind reviewers
      var rita = reviewer("rita");
      var rob = reviewer("rob");
      clock.advance(Duration.ofSeconds(10)); // 09:59:10
      judge(app, unsure, rita, Outcome.REJECT);
      clock.advance(Duration.ofSeconds(10)); // 09:59:20
      judge(app, large, rita, Outcome.REJECT);
      clock.advance(Duration.ofSeconds(70)); // 10:00:30: the window [09:00, 10:00) is closed

      String window = "\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T10:00:00Z\"";
      String loans = "\"dataset\": \"" + TestStore.IRIS.dataset("loans") + "\"";
      String[][] questions = {
        {"verdicts-blind-or-sighted", "{" + window + "}"},
        {"overrides-by-reviewer", "{" + window + "}"},
        {"decisions-trained-on-dataset", "{" + loans + ", " + window + "}"}
      };
      List<List<String>> asked = new ArrayList<>();
      for (String[] question : questions) {
        asked.add(rows(graph, question[0], question[1]));
      }
      assertEquals(
          List.of(
              TestStore.IRIS.decision(unsure.id().value())
                  + "|rita|true|approve|"
                  + Vocab.RouteReject.getURI()
                  + "|true|2026-11-26T09:59:10Z",
              TestStore.IRIS.decision(large.id().value())
                  + "|rita|false|approve|"
                  + Vocab.RouteReject.getURI()
                  + "|true|2026-11-26T09:59:20Z"),
          asked.get(0),
          "one sighted and one blind verdict, both against the model");
      assertEquals(List.of("rita|reviewed|2|2"), asked.get(1));
      assertEquals(1, asked.get(2).size(), asked.get(2).toString());
      assertTrue(asked.get(2).get(0).contains("|" + trained.id().value() + "|"), asked.toString());

      // A verdict after the window on a decision submitted in it; more intake and verdicts later;
      // the unregistered version is registered, trained on the same dataset; the hours tallied.
      judge(app, large, rob, Outcome.REJECT); // 10:00:30
      clock.advance(Duration.ofHours(2)); // 12:00:30
      registerVersion(app, "99");
      Decision later = Fixtures.submitForVersion(app, "1", 10000, 0.1, 0.5);
      Fixtures.submitForVersion(app, "2", 10000, 0.1, 0.9);
      Fixtures.submitForVersion(app, "99", 10000, 0.1, 0.9);
      judge(app, later, rob, Outcome.APPROVE);
      assertEquals(1, app.decisions.tallyClosedHours(), "the hour from 09:00, the only one closed");
      for (int i = 0; i < questions.length; i++) {
        assertEquals(asked.get(i), rows(graph, questions[i][0], questions[i][1]), questions[i][0]);
      }
      assertFalse(
          rows(graph, "decisions-trained-on-dataset", "{" + loans + "}").stream()
              .anyMatch(row -> row.contains("|" + unregistered.id().value() + "|")),
          "a decision made before its version was registered is not counted as trained on it");
      assertEquals(
          4,
          rows(
                  graph,
                  "verdicts-blind-or-sighted",
                  "{\"from\": \"2026-11-26T09:00:00Z\", \"to\": \"2026-11-26T13:00:00Z\"}")
              .size(),
          "the later verdicts are in a window that holds them");
    }
  }

  private static Caller reviewer(String name) {
    return new Caller(name, java.util.Set.of(io.arbiter.security.Roles.REVIEWER)::contains);
  }

  /** Claims the decision's review task and gives a verdict, justified, with reason "reviewed". */
  private static void judge(TestApp app, Decision decision, Caller caller, Outcome outcome) {
    app.reviews.claim(decision.id().value(), caller);
    app.reviews.verdict(
        decision.id().value(),
        caller,
        new VerdictRequest(outcome, "reviewed", List.of(), Optional.of("Checked the file.")));
  }

  /** The dataset loans, its version 3, and demo-credit {@code version} trained on it. */
  private static void registerLoans(TestApp app, String version) {
    var data = app.registry.data();
    data.register(
        DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loan outcomes\"}")), "steward");
    data.register(
        DataEntries.datasetVersion(
            json(
                """
                {"dataset": "loans", "version": "3", "contentHash": "sha256:%s",
                 "createdAt": "2026-01-05T00:00:00Z"}"""
                    .formatted("ab".repeat(32)))),
        "steward");
    registerVersion(app, version);
  }

  private static void registerVersion(TestApp app, String version) {
    app.registry.register(
        ModelVersion.parse(
            json(
                """
                {"name": "demo-credit", "version": "%s", "owner": "credit-ml",
                 "trainedOn": [{"dataset": "loans", "version": "3"}]}"""
                    .formatted(version))),
        "steward");
  }

  private static JsonObject json(String text) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private void activate(TestApp app, String version, long threshold) throws Exception {
    String policy = "demo-credit-policy";
    app.policies.register(Fixtures.demoPolicyText(version, threshold), "alice");
    app.policies.transition(
        policy, version, io.arbiter.policy.PolicyTransition.APPROVE, "bob", Optional.empty());
    app.policies.transition(
        policy, version, io.arbiter.policy.PolicyTransition.ACTIVATE, "bob", Optional.empty());
  }

  private static void select(
      TestStore graph, String text, java.util.function.Consumer<QuerySolution> sink) {
    graph.store.query(
        Sparql.prepare(text).asQuery(),
        Duration.ofSeconds(30),
        execution -> {
          execution.execSelect().forEachRemaining(sink);
          return null;
        });
  }

  /** Each tally's IRI and the decisions it counts, in IRI order. */
  private static List<String> tallies(TestStore graph) {
    List<String> tallies = new ArrayList<>();
    select(
        graph,
        """
        SELECT ?tally ?n WHERE { ?tally a arb:HourTally ; arb:decisionCount ?n }
        ORDER BY ?tally""",
        row ->
            tallies.add(row.getResource("tally").getURI() + "|" + row.getLiteral("n").getLong()));
    return tallies;
  }

  @Test
  void hourIri_isTheUtcHour() {
    assertEquals(
        "http://arbiter.test/id/hours/2026-11-26T08Z",
        TestStore.IRIS.hour(SubmissionHour.of(Instant.parse("2026-11-26T08:59:59.999Z")).start()));
  }
}
