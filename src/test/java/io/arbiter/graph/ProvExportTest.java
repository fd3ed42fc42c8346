package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.NoteKey;
import io.arbiter.review.Caller;
import io.arbiter.review.Outcome;
import io.arbiter.review.VerdictRequest;
import io.arbiter.security.Roles;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export holds exactly what the store holds, reads back, and the ledger verifies from it. */
class ProvExportTest {

  private static final String ORIGIN = "arbiter.test/id/ledger";

  @TempDir Path dir;
  private TestStore graph;
  private TestApp app;
  private ProvExport export;

  @BeforeEach
  void record() throws Exception {
    graph = new TestStore(dir.resolve("tdb2"));
    app = TestApp.demo(graph);
    for (int i = 0; i < 3; i++) {
      submit(Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9));
    }
    // An escalation a reviewer settles: a review task, a claim and a verdict with its outcome.
    Decision escalated = submit(Fixtures.request(10000, 200000, 0.1, "approve", 0.5));
    Caller rita = new Caller("rita", Set.of(Roles.REVIEWER)::contains);
    app.reviews.claim(escalated.id().value(), rita);
    app.reviews.verdict(
        escalated.id().value(),
        rita,
        new VerdictRequest(
            Outcome.REJECT,
            "income-unverified",
            List.of("low-confidence"),
            Optional.of("Income could not be verified.")));
    export = new ProvExport(graph.store, TestStore.IRIS);
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private Decision submit(io.arbiter.decision.DecisionRequest request) {
    return app.decisions.submit(request, "alice", Optional.empty()).recorded().decision();
  }

  private String write(ProvExport.Range range, ProvExport.Syntax syntax) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export.write(range, syntax, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static DatasetGraph parse(String text, Lang lang) {
    DatasetGraph parsed = DatasetGraphFactory.create();
    RDFParser.fromString(text, lang).parse(parsed);
    return parsed;
  }

  /** The names of the store's named graphs: its bundles and the ledger graph. */
  private Set<String> storedGraphs() {
    Set<String> names = new TreeSet<>();
    graph.store.query(
        QueryFactory.create("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
        Duration.ofMinutes(1),
        execution -> {
          execution.execSelect().forEachRemaining(row -> names.add(row.getResource("g").getURI()));
          return null;
        });
    return names;
  }

  private static Set<String> names(DatasetGraph dataset) {
    Set<String> names = new TreeSet<>();
    dataset.listGraphNodes().forEachRemaining(n -> names.add(n.getURI()));
    return names;
  }

  private void assertSameAsTheStore(DatasetGraph parsed) {
    Set<String> stored = storedGraphs();
    assertEquals(stored, names(parsed));
    assertTrue(stored.contains(TestStore.IRIS.ledgerGraph()));
    assertTrue(parsed.getDefaultGraph().isEmpty(), "everything is in a named graph");
    for (String name : stored) {
      var expected = graph.store.graph(name).orElseThrow();
      var actual = parsed.getGraph(NodeFactory.createURI(name));
      assertTrue(expected.isIsomorphicWith(actual), "graph " + name + " round-trips");
    }
  }

  @Test
  void export_asTrigAndNQuads_holdsExactlyWhatTheStoreHolds() {
    String trig = write(ProvExport.Range.ALL, ProvExport.Syntax.TRIG);
    assertTrue(trig.contains("PREFIX prov:") || trig.contains("@prefix prov:"), "prefixes");
    assertSameAsTheStore(parse(trig, Lang.TRIG));
    assertSameAsTheStore(
        parse(write(ProvExport.Range.ALL, ProvExport.Syntax.N_QUADS), Lang.NQUADS));
  }

  @Test
  void export_asTrig_writesBundlesInSequenceOrder() {
    String trig = write(ProvExport.Range.ALL, ProvExport.Syntax.TRIG);
    long bundles = graph.store.nextSequence();
    int last = -1;
    for (long seq = 0; seq < bundles; seq++) {
      int at = trig.indexOf("<" + TestStore.IRIS.bundle(seq) + "> {");
      assertTrue(at > last, "bundle " + seq + " follows bundle " + (seq - 1));
      last = at;
    }
  }

  @Test
  void export_ofARange_holdsThoseBundlesAndTheirEntriesOnly() {
    DatasetGraph parsed =
        parse(write(new ProvExport.Range(2, 4), ProvExport.Syntax.N_QUADS), Lang.NQUADS);
    assertEquals(
        new TreeSet<>(
            Set.of(
                TestStore.IRIS.bundle(2), TestStore.IRIS.bundle(3), TestStore.IRIS.ledgerGraph())),
        names(parsed));
    Set<String> entries = new TreeSet<>();
    parsed
        .getGraph(NodeFactory.createURI(TestStore.IRIS.ledgerGraph()))
        .find()
        .forEachRemaining(t -> entries.add(t.getSubject().getURI()));
    assertEquals(
        new TreeSet<>(Set.of(TestStore.IRIS.ledgerEntry(2), TestStore.IRIS.ledgerEntry(3))),
        entries);
    assertTrue(
        names(parse(write(new ProvExport.Range(500, 600), ProvExport.Syntax.TRIG), Lang.TRIG))
            .isEmpty());
  }

  @Test
  void ledger_verifiesFromTheExportLoadedIntoAFreshStore() throws Exception {
    String trig = write(ProvExport.Range.ALL, ProvExport.Syntax.TRIG);
    Path copy = dir.resolve("copy");
    DatasetGraph fresh = DatabaseMgr.connectDatasetGraph(copy.toString());
    Txn.executeWrite(fresh, () -> RDFParser.fromString(trig, Lang.TRIG).parse(fresh));
    TDBInternal.expel(fresh);

    NoteKey key = NoteKey.generate(ORIGIN, new SecureRandom());
    long size = graph.tree.size();
    String checkpoint = key.sign(new Checkpoint(ORIGIN, size, graph.tree.root(size)).body());
    try (Tdb2ProvStore loaded = Tdb2ProvStore.open(copy, TestStore.IRIS)) {
      LedgerVerifier.Report report =
          new LedgerVerifier(loaded, Optional.empty())
              .verify(key.verifierKey(), checkpoint, List.of());
      assertTrue(report.ok(), report.faults().toString());
      assertEquals(size, report.entries());
      assertEquals(size, report.bundles());
    }
  }

  /**
   * A decision recorded while the export reads the store — after its first bundle — is not in it,
   * and every bundle in it has its ledger entry: the export is one state of the store.
   */
  @Test
  void export_whileEventsAreRecorded_isOneStateOfTheStore() {
    long before = graph.store.nextSequence();
    ProvStore recordingMeanwhile =
        new ForwardingProvStore(graph.store) {
          @Override
          public <T> T read(Function<Snapshot, T> reader) {
            return super.read(
                snapshot ->
                    reader.apply(
                        new Snapshot() {
                          boolean recorded;

                          @Override
                          public void forEachEntry(
                              long from, long to, BiConsumer<Long, byte[]> sink) {
                            snapshot.forEachEntry(from, to, sink);
                          }

                          @Override
                          public Optional<List<Triple>> triples(String name) {
                            if (!recorded) {
                              recorded = true;
                              submit(Fixtures.request(2000, 56000, 0.1, "approve", 0.9));
                            }
                            return snapshot.triples(name);
                          }

                          @Override
                          public <R> R query(
                              Query query, Duration timeout, Function<QueryExecution, R> rows) {
                            return snapshot.query(query, timeout, rows);
                          }
                        }));
          }
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ProvExport(recordingMeanwhile, TestStore.IRIS)
        .write(ProvExport.Range.ALL, ProvExport.Syntax.N_QUADS, out);
    assertEquals(before + 1, graph.store.nextSequence(), "a decision was recorded meanwhile");
    DatasetGraph parsed = parse(out.toString(StandardCharsets.UTF_8), Lang.NQUADS);
    Set<String> bundles = names(parsed);
    bundles.remove(TestStore.IRIS.ledgerGraph());
    assertEquals(before, bundles.size());
    assertFalse(bundles.contains(TestStore.IRIS.bundle(before)));
    Node ledger = NodeFactory.createURI(TestStore.IRIS.ledgerGraph());
    assertEquals(
        before,
        parsed.getGraph(ledger).find(Node.ANY, Vocab.leafIndex.asNode(), Node.ANY).toList().size());
  }
}
