package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.registry.DataEntries;
import io.arbiter.registry.DataRegistry;
import io.arbiter.registry.ModelRegistry;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on a real TDB2 store: entries recorded as PROV, read back after a restart, and
 * lineage and impact walking from a decision to its raw sources and from a dataset to its decisions
 * and reviewers.
 */
class RegistryLineageTest {

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;
  private DataRegistry data;
  private final io.arbiter.testing.TestClock clock =
      new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T09:10:00Z"));

  @BeforeEach
  void open() throws Exception {
    graph = new TestStore(dir);
    app = TestApp.demo(graph, clock);
    data = app.registry.data();
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private static JsonObject json(String text) {
    return Jsonp.STRICT_READERS.createReader(new StringReader(text)).readObject();
  }

  private static final String HASH = "sha256:" + "ab".repeat(32);

  /** Sources, a dataset version built from both, a feature, and demo-credit 2 trained on it. */
  private void registerLoansLineage() {
    data.register(
        DataEntries.source(
            json(
                """
                {"id": "bureau", "title": "Credit bureau feed", "owner": "risk-data",
                 "fields": [{"name": "score", "type": "number"}]}""")),
        "steward");
    data.register(
        DataEntries.source(
            json(
                """
                {"id": "applications", "title": "Loan applications",
                 "fields": [{"name": "amount"}, {"name": "income"}]}""")),
        "steward");
    data.register(
        DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loan outcomes\"}")), "steward");
    data.register(
        DataEntries.datasetVersion(
            json(
                """
                {"dataset": "loans", "version": "3", "contentHash": "%s",
                 "schema": {"columns": ["amount", "income", "score", "defaulted"]},
                 "coverage": {"from": "2025-01-01T00:00:00Z", "to": "2025-12-31T00:00:00Z"},
                 "derivedFrom": ["applications", "bureau"], "createdAt": "2026-01-05T00:00:00Z"}"""
                    .formatted(HASH))),
        "steward");
    data.register(
        DataEntries.feature(
            json(
                """
                {"name": "riskScore", "definition": "bureau score / 1000",
                 "derivedFrom": [{"source": "bureau", "field": "score"}]}""")),
        "steward");
    app.registry.register(
        ModelVersion.parse(
            json(
                """
                {"name": "demo-credit", "version": "2", "owner": "credit-ml",
                 "intendedUse": "consumer loans up to 100k",
                 "trainedOn": [{"dataset": "loans", "version": "3"}],
                 "training": {"startedAt": "2026-02-01T00:00:00Z",
                              "endedAt": "2026-02-01T03:00:00Z", "by": "trainer-bot",
                              "hyperParameters": {"depth": 6}},
                 "metrics": {"auc": 0.81}, "features": ["riskScore"]}""")),
        "steward");
  }

  private Decision submit(String version, double confidence) {
    return Fixtures.submitForVersion(app, version, 10000, 0.1, confidence);
  }

  @Test
  void aDecisionTracesBackToItsRawSourcesAndADatasetForwardToItsDecisionsAndReviewers() {
    registerLoansLineage();
    Decision automated = submit("2", 0.9);
    Decision escalated = submit("2", 0.5);
    Decision otherModel = submit("1", 0.9);
    var rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    app.reviews.claim(escalated.id().value(), rita);
    app.reviews.verdict(
        escalated.id().value(),
        rita,
        new VerdictRequest(
            Outcome.REJECT,
            "income-unverified",
            List.of("low-confidence"),
            Optional.of("Income not verified.")));

    Lineage lineage = new Lineage(graph.store, TestStore.IRIS);
    var iris = TestStore.IRIS;
    var up =
        lineage.walk(iris.decision(escalated.id().value()), Lineage.Direction.UPSTREAM, 5, 1000);
    Map<String, String> kinds = kinds(up);
    assertEquals("DataSource", kinds.get(iris.source("applications")), kinds.toString());
    assertEquals("DataSource", kinds.get(iris.source("bureau")));
    assertEquals("DatasetVersion", kinds.get(iris.datasetVersion("loans", "3")));
    assertEquals("ModelVersion", kinds.get(iris.modelVersion("demo-credit", "2")));
    assertEquals("Training", kinds.get(iris.modelVersion("demo-credit", "2") + "/training"));
    assertTrue(
        up.edges()
            .contains(
                new Lineage.EdgeView(
                    iris.datasetVersion("loans", "3"),
                    iris.source("applications"),
                    "prov:wasDerivedFrom")));
    assertFalse(kinds.containsKey(iris.decision(automated.id().value())), "not upstream");
    assertFalse(up.truncated());

    // Depth counts steps: decision → model version → dataset version → its sources.
    var shallow =
        lineage.walk(iris.decision(escalated.id().value()), Lineage.Direction.UPSTREAM, 2, 1000);
    assertTrue(kinds(shallow).containsKey(iris.datasetVersion("loans", "3")));
    assertFalse(kinds(shallow).containsKey(iris.source("applications")));

    var down = lineage.walk(iris.dataset("loans"), Lineage.Direction.DOWNSTREAM, 7, 1000);
    Map<String, String> reached = kinds(down);
    assertEquals("Decision", reached.get(iris.decision(automated.id().value())));
    assertEquals("Decision", reached.get(iris.decision(escalated.id().value())));
    assertFalse(reached.containsKey(iris.decision(otherModel.id().value())), "another version");
    assertTrue(reached.containsKey(iris.agent("rita")), reached.toString());
    assertEquals(
        "Loan outcomes",
        down.nodes().stream()
            .filter(n -> n.iri().equals(iris.dataset("loans")))
            .findFirst()
            .orElseThrow()
            .label()
            .orElseThrow());

    // Over a view without the escalated decision's bundles, through the visible nodes only: the
    // escalated decision and what hangs under it (routing, task, verdict) are neither shown nor
    // walked through, nor is an edge to them.
    String hidden = iris.decision(escalated.id().value());
    BundleFilter withoutHidden = (type, subject) -> !subject.startsWith(hidden);
    java.util.function.Predicate<String> notHidden =
        iri -> !iri.equals(hidden) && !iri.startsWith(hidden + "/");
    var narrowed =
        lineage.walk(
            iris.dataset("loans"), Lineage.Direction.DOWNSTREAM, 7, 1000, withoutHidden, notHidden);
    Map<String, String> seen = kinds(narrowed);
    assertEquals("Decision", seen.get(iris.decision(automated.id().value())));
    assertFalse(seen.containsKey(hidden), seen.toString());
    assertFalse(seen.containsKey(iris.agent("rita")), "reached only through the hidden decision");
    assertTrue(
        narrowed.edges().stream()
            .noneMatch(e -> e.from().startsWith(hidden) || e.to().startsWith(hidden)),
        narrowed.edges().toString());
    // The node filter alone, over every bundle, hides the same.
    assertEquals(
        narrowed.nodes().stream().map(Lineage.NodeView::iri).collect(Collectors.toSet()),
        kinds(
                lineage.walk(
                    iris.dataset("loans"),
                    Lineage.Direction.DOWNSTREAM,
                    7,
                    1000,
                    (type, subject) -> true,
                    notHidden))
            .keySet());
    // A node hidden upstream ends the walk there: nothing beyond the model version is reached.
    var stopped =
        lineage.walk(
            hidden,
            Lineage.Direction.UPSTREAM,
            5,
            1000,
            (type, subject) -> true,
            iri -> !iri.equals(iris.modelVersion("demo-credit", "2")));
    assertTrue(kinds(stopped).containsKey(hidden));
    assertFalse(kinds(stopped).containsKey(iris.modelVersion("demo-credit", "2")));
    assertFalse(kinds(stopped).containsKey(iris.datasetVersion("loans", "3")));
    assertFalse(kinds(stopped).containsKey(iris.modelVersion("demo-credit", "2") + "/training"));

    var cut = lineage.walk(iris.dataset("loans"), Lineage.Direction.DOWNSTREAM, 7, 4);
    assertTrue(cut.truncated());
    assertEquals(4, cut.nodes().size());

    DatasetImpact.Report impact =
        new DatasetImpact(graph.store).of(iris.dataset("loans")).orElseThrow();
    assertEquals(
        List.of(iris.modelVersion("demo-credit", "2")),
        impact.trained().stream().flatMap(t -> t.modelVersion().stream()).toList());
    assertEquals(2, impact.decisions());
    assertEquals(
        Map.of("arb:RouteApprove", 1L, "arb:RouteReview", 1L),
        impact.routes().stream()
            .collect(
                Collectors.toMap(
                    DatasetImpact.RouteCount::route, DatasetImpact.RouteCount::decisions)));
    assertEquals(
        List.of(new DatasetImpact.ReviewerCount("rita", "arb:RouteReject", 1)), impact.reviewers());
    assertEquals(
        Set.of("demo-credit-policy/1"),
        impact.policies().stream()
            .map(DatasetImpact.Governing::policy)
            .collect(Collectors.toSet()));
    assertEquals(
        impact.routes(),
        new DatasetImpact(graph.store).of(iris.datasetVersion("loans", "3")).orElseThrow().routes(),
        "one version answers as its dataset does");
    assertTrue(new DatasetImpact(graph.store).of(iris.dataset("nothing")).isEmpty());
    long[] queries = {-1, 0}; // total, done
    assertEquals(
        impact,
        new DatasetImpact(graph.store)
            .of(
                iris.dataset("loans"),
                new io.arbiter.jobs.Progress() {
                  @Override
                  public void total(long total) {
                    queries[0] = total;
                  }

                  @Override
                  public void advance(long units) {
                    queries[1] += units;
                  }
                })
            .orElseThrow());
    assertEquals(4, queries[0]);
    assertEquals(4, queries[1], "each of the four queries told as it was answered");

    // Once the hour is over and tallied, the counts come from its tally, and are the same.
    clock.advance(java.time.Duration.ofHours(2));
    assertEquals(1, app.decisions.tallyClosedHours());
    assertEquals(impact, new DatasetImpact(graph.store).of(iris.dataset("loans")).orElseThrow());
  }

  private static Map<String, String> kinds(Lineage.Result result) {
    return result.nodes().stream()
        .collect(Collectors.toMap(Lineage.NodeView::iri, Lineage.NodeView::kind));
  }

  @Test
  void entriesAreImmutableReferToRegisteredEntriesAndSurviveARestart() throws Exception {
    registerLoansLineage();
    // The same document again is not a new entry; another under the same key is a conflict.
    var again =
        data.register(
            DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Loan outcomes\"}")), "x");
    assertFalse(again.created());
    var conflict =
        assertThrows(
            ProblemException.class,
            () ->
                data.register(
                    DataEntries.dataset(json("{\"id\": \"loans\", \"title\": \"Other\"}")), "x"));
    assertEquals(ProblemType.STATE_CONFLICT, conflict.type());

    var dangling =
        assertThrows(
            ProblemException.class,
            () ->
                data.register(
                    DataEntries.feature(
                        json(
                            """
                            {"name": "f", "definition": "d",
                             "derivedFrom": [{"source": "bureau", "field": "nope"},
                                             {"source": "nowhere", "field": "x"}]}""")),
                    "steward"));
    assertEquals(
        List.of("derivedFrom[0].field", "derivedFrom[1].source"),
        dangling.errors().stream().map(FieldError::field).toList());

    // Training may not start before the data it used was created (PROV: generation before use).
    var early =
        assertThrows(
            ProblemException.class,
            () ->
                app.registry.register(
                    ModelVersion.parse(
                        json(
                            """
                            {"name": "demo-credit", "version": "3",
                             "trainedOn": [{"dataset": "loans", "version": "3"}],
                             "training": {"startedAt": "2025-06-01T00:00:00Z"}}""")),
                    "steward"));
    assertEquals(
        List.of("training.startedAt"), early.errors().stream().map(FieldError::field).toList());

    var bad =
        assertThrows(
            ProblemException.class,
            () ->
                DataEntries.datasetVersion(
                    json(
                        """
                        {"dataset": "loans", "version": "4", "contentHash": "md5:1",
                         "coverage": {"from": "2025-02-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"},
                         "colour": "red"}""")));
    assertEquals(
        Set.of("colour", "contentHash", "coverage.to"),
        bad.errors().stream().map(FieldError::field).collect(Collectors.toSet()));

    ModelVersionRef two = new ModelVersionRef("demo-credit", "2");
    var selfApproval =
        assertThrows(
            ProblemException.class, () -> app.registry.approve(two, "steward", Optional.empty()));
    assertEquals(ProblemType.SEPARATION_OF_DUTIES, selfApproval.type());
    app.registry.approve(two, "paula", Optional.of("validated on holdout"));
    assertEquals(
        ProblemType.STATE_CONFLICT,
        assertThrows(
                ProblemException.class,
                () -> app.registry.approve(two, "quentin", Optional.empty()))
            .type());

    // A new registry over the same store knows everything, as recorded.
    var records = new ProvRegistryRecords(graph.store, TestStore.IRIS);
    var restarted =
        new ModelRegistry(
            records,
            new DataRegistry(graph.writer, Clock.systemUTC(), TestStore.IRIS),
            graph.writer,
            Clock.systemUTC(),
            TestStore.IRIS);
    restarted.start(List.of());
    var model = restarted.find(two).orElseThrow();
    assertEquals(app.registry.find(two).orElseThrow().value(), model.value());
    assertEquals("paula", model.approval().orElseThrow().approvedBy());
    assertEquals("validated on holdout", model.approval().orElseThrow().note().orElseThrow());
    assertEquals(
        data.all("dataset-version").get(0).value(),
        restarted.data().all("dataset-version").get(0).value());
    assertEquals(2, restarted.data().all("source").size());
    assertTrue(restarted.isRegistered(new ModelVersionRef("demo-credit", "1")), "seeded");
  }
}
