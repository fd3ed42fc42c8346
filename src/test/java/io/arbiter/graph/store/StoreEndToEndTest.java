package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.config.SeedFile;
import io.arbiter.decision.Decision;
import io.arbiter.decision.DecisionQuery;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.event.Jsonp;
import io.arbiter.graph.api.AuditQueryRunner;
import io.arbiter.graph.api.SparqlService;
import io.arbiter.graph.verify.LedgerVerifier;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.NoteKey;
import io.arbiter.ledger.TileStore;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.TaskState;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestClock;
import io.arbiter.testing.TestStore;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application's services, the real event writer and the ledger run the same story on the
 * embedded TDB2 and on a Fuseki over HTTP, with the same assertions: decisions, a review, audit
 * queries, a restart that rebuilds state from the store, and a verifier that finds nothing wrong.
 */
class StoreEndToEndTest {

  private static final String ORIGIN = "arbiter.test/id/ledger";
  private static final String POLICY =
      Fixtures.resource("demo/policies/demo-credit.yaml")
          + "reasonCodes: [income-verified, risk-too-high, policy-exception]\n";

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final AuditQueryLibrary library = AuditQueryLibrary.bundled();
  private final NoteKey key = NoteKey.generate(ORIGIN, new SecureRandom());

  private TestApp app(TestStore graph) throws Exception {
    return new TestApp(
        graph,
        List.of(new SeedFile("demo-model", Fixtures.resource("demo/models/demo-credit.yaml"))),
        List.of(new SeedFile("demo-policy", POLICY)),
        clock);
  }

  private static Caller reviewer(String name) {
    return new Caller(name, Set.of(Roles.REVIEWER)::contains);
  }

  private static Decision submit(TestApp app, double amount, double risk, String label, double c) {
    return app.decisions
        .submit(Fixtures.request(amount, 200_000, risk, label, c), "integrator", Optional.empty())
        .recorded()
        .decision();
  }

  private Set<String> audit(TestStore graph, String name, String json) {
    var runner = new AuditQueryRunner(new SparqlService(graph.store, Duration.ofSeconds(30), 1000));
    var values = Jsonp.PROVIDER.createReader(new StringReader(json)).readObject();
    var table =
        (SparqlService.Table)
            runner.sparql().execute(runner.bind(library.find(name).orElseThrow(), values));
    Set<String> ids = new TreeSet<>();
    table.rows().forEachRemaining(row -> ids.add(row.getLiteral("id").getLexicalForm()));
    return ids;
  }

  private LedgerVerifier.Report verify(TestStore graph, String name) throws Exception {
    TileStore tiles =
        new TileStore(
            dir.resolve(name), new io.arbiter.journal.JournalLedgerEntries(graph.journal));
    var publisher =
        new CheckpointPublisher(graph.tree, key, ORIGIN, dir.resolve(name + "-checkpoint"), tiles);
    publisher.start();
    graph.settle();
    return new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.of(tiles))
        .verify(
            graph.journal,
            Optional.of(graph.provStore),
            key.verifierKey(),
            publisher.latestNote().orElseThrow(),
            List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdb2", "fuseki"})
  void theSameStory_onEitherStore_hasTheSameOutcome(String kind) throws Exception {
    TestFuseki fuseki = "fuseki".equals(kind) ? TestFuseki.tdb2() : null;
    Supplier<ProvStore> open =
        fuseki == null
            ? () -> Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS)
            : fuseki::connect;
    try {
      String large;
      String low;
      Set<String> all;
      long events;
      try (TestStore graph = new TestStore(open.get(), dir.resolve("journal"))) {
        TestApp app = app(graph);
        large = submit(app, 60_000, 0.1, "approve", 0.9).id().value(); // large-amount: 2 reviewers
        String rejected = submit(app, 10_000, 0.95, "reject", 0.9).id().value();
        String approved = submit(app, 10_000, 0.1, "approve", 0.9).id().value();
        low = submit(app, 10_000, 0.1, "approve", 0.5).id().value(); // low-confidence: 1 reviewer
        app.reviews.claim(low, reviewer("rita"));
        var settled =
            app.reviews.verdict(
                low,
                reviewer("rita"),
                new VerdictRequest(
                    Outcome.APPROVE,
                    "income-verified",
                    List.of("low-confidence"),
                    Optional.empty()));
        assertEquals(TaskState.SETTLED, settled.state());

        String version = TestStore.IRIS.policyVersion("demo-credit-policy", "1");
        String model = TestStore.IRIS.modelVersion("demo-credit", "1");
        assertEquals(
            Set.of(large),
            audit(
                graph,
                "decisions-by-rule",
                "{\"policyVersion\": \"" + version + "\", \"ruleId\": \"large-amount\"}"));
        all = Set.of(large, rejected, approved, low);
        assertEquals(
            all,
            audit(graph, "decisions-by-model-version", "{\"modelVersion\": \"" + model + "\"}"));
        events = graph.size();
        var report = verify(graph, "before");
        assertTrue(report.ok(), report.faults().toString());
        assertEquals(events, report.entries());
      }

      // A restart: the tree is rebuilt from the journal, the services' state from the store.
      try (TestStore graph = new TestStore(open.get(), dir.resolve("journal"))) {
        TestApp app = app(graph);
        assertEquals(events, graph.tree.size());
        assertEquals(
            all,
            app.decisions.list(DecisionQuery.all()).items().stream()
                .map(DecisionSummary::id)
                .map(id -> id.value())
                .collect(Collectors.toSet()));
        assertEquals(
            TaskState.SETTLED, app.reviews.require(low, reviewer("rob")).state(), "rebuilt");
        assertEquals(TaskState.OPEN, app.reviews.require(large, reviewer("rob")).state());
        submit(app, 20_000, 0.1, "approve", 0.9);
        assertTrue(graph.size() > events, "the log continues");
        var report = verify(graph, "after");
        assertTrue(report.ok(), report.faults().toString());
      }
    } finally {
      if (fuseki != null) {
        fuseki.close();
      }
    }
  }
}
