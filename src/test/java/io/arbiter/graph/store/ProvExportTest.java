package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.Decision;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.graph.verify.LedgerVerifier;
import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.LedgerEntry;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.sparql.core.Quad;
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
    graph.settle();
    export = new ProvExport(graph.journal, TestStore.IRIS);
    for (long seq = 0; seq < graph.size(); seq++) {
      bundles.add(LedgerEntry.parse(graph.journal.read(seq).orElseThrow().entry()).bundle());
    }
  }

  private final List<String> bundles = new ArrayList<>();

  @AfterEach
  void close() {
    graph.close();
  }

  private Decision submit(io.arbiter.decision.DecisionRequest request) {
    return app.decisions.submit(request, "alice", Optional.empty()).recorded().decision();
  }

  private String write(ProvExport.Range range, ProvExport.Syntax syntax) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export.write(range, graph.runtime.projector().projected(), syntax, out);
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

  /**
   * Every bundle of the store, exactly; and the ledger graph with each bundle's place (the export
   * adds the entries, and leaves out the store's own watermark).
   */
  private void assertSameAsTheStore(DatasetGraph parsed) {
    Set<String> stored = storedGraphs();
    assertEquals(stored, names(parsed));
    String ledgerName = TestStore.IRIS.ledgerGraph();
    assertTrue(stored.contains(ledgerName));
    assertTrue(parsed.getDefaultGraph().isEmpty(), "everything is in a named graph");
    for (String name : stored) {
      var expected = graph.store.graph(name).orElseThrow();
      var actual = parsed.getGraph(NodeFactory.createURI(name));
      if (name.equals(ledgerName)) {
        expected
            .find(Node.ANY, Vocab.sequence.asNode(), Node.ANY)
            .forEachRemaining(t -> assertTrue(actual.contains(t), "the export places " + t));
      } else {
        assertTrue(expected.isIsomorphicWith(actual), "graph " + name + " round-trips");
      }
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

  /** The step hook runs every ProvExport.STEP records of each pass (bundles, then the ledger). */
  @Test
  void export_runsItsStepHookBetweenSteps() {
    int[] steps = {0};
    new ProvExport(graph.journal, TestStore.IRIS, () -> steps[0]++)
        .write(
            ProvExport.Range.ALL,
            graph.runtime.projector().projected(),
            ProvExport.Syntax.N_QUADS,
            new ByteArrayOutputStream());
    long records = graph.runtime.projector().projected();
    assertEquals(2 * ((records + ProvExport.STEP - 1) / ProvExport.STEP), steps[0]);
  }

  @Test
  void export_asTrig_writesBundlesInSequenceOrder() {
    String trig = write(ProvExport.Range.ALL, ProvExport.Syntax.TRIG);
    long count = graph.size();
    int last = -1;
    for (long seq = 0; seq < count; seq++) {
      int at = trig.indexOf("<" + bundles.get((int) seq) + "> {");
      assertTrue(at > last, "bundle " + seq + " follows bundle " + (seq - 1));
      last = at;
    }
  }

  @Test
  void export_ofARange_holdsThoseBundlesAndTheirEntriesOnly() {
    DatasetGraph parsed =
        parse(write(new ProvExport.Range(2, 4), ProvExport.Syntax.N_QUADS), Lang.NQUADS);
    assertEquals(
        new TreeSet<>(Set.of(bundles.get(2), bundles.get(3), TestStore.IRIS.ledgerGraph())),
        names(parsed));
    Set<String> entries = new TreeSet<>();
    parsed
        .getGraph(NodeFactory.createURI(TestStore.IRIS.ledgerGraph()))
        .find()
        .forEachRemaining(t -> entries.add(t.getSubject().getURI()));
    assertEquals(
        new TreeSet<>(
            Set.of(
                TestStore.IRIS.ledgerEntry(2),
                TestStore.IRIS.ledgerEntry(3),
                bundles.get(2),
                bundles.get(3))),
        entries,
        "the two entries, and the two bundles' places");
    assertTrue(
        names(parse(write(new ProvExport.Range(500, 600), ProvExport.Syntax.TRIG), Lang.TRIG))
            .isEmpty());
  }

  /**
   * An export carries the ledger entries: loaded into a fresh store, it is adopted as a store
   * written before the journal would be (a journal is written from its entries, each checked
   * against its bundle), and the result verifies against a checkpoint of the original log.
   */
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
    try (TestStore loaded =
        new TestStore(Tdb2ProvStore.open(copy, TestStore.IRIS), dir.resolve("copy-journal"))) {
      assertEquals(size, loaded.size(), "a journal record per exported entry");
      LedgerVerifier.Report report =
          new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.empty())
              .verify(
                  loaded.journal,
                  Optional.of(loaded.provStore),
                  key.verifierKey(),
                  checkpoint,
                  List.of());
      assertTrue(report.ok(), report.faults().toString());
      assertEquals(size, report.entries());
      assertEquals(size, report.bundles());
    }
  }

  /**
   * The export is one state of the graph: what the projection held when it began, however much is
   * recorded while it streams.
   */
  @Test
  void export_ofOneState_leavesOutWhatIsRecordedLater() {
    long before = graph.runtime.projector().projected();
    Decision later = submit(Fixtures.request(2000, 56000, 0.1, "approve", 0.9));
    graph.settle();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export.write(ProvExport.Range.ALL, before, ProvExport.Syntax.N_QUADS, out);
    DatasetGraph parsed = parse(out.toString(StandardCharsets.UTF_8), Lang.NQUADS);
    Set<String> exported = names(parsed);
    exported.remove(TestStore.IRIS.ledgerGraph());
    assertEquals(before, exported.size());
    assertFalse(
        exported.stream()
            .anyMatch(
                name ->
                    parsed
                        .getGraph(NodeFactory.createURI(name))
                        .contains(
                            Node.ANY,
                            Vocab.eventSubject.asNode(),
                            NodeFactory.createURI(TestStore.IRIS.decision(later.id().value())))));
    Node ledger = NodeFactory.createURI(TestStore.IRIS.ledgerGraph());
    assertEquals(
        before,
        parsed.getGraph(ledger).find(Node.ANY, Vocab.leafIndex.asNode(), Node.ANY).toList().size());
  }

  /**
   * N-Quads copies records' lines as they are, unless a record may hold a blank node: a label is
   * scoped to its record, so two records' {@code _:c14n0} are two nodes and must stay two in one
   * document. A {@code _:} inside a literal only sends its record through the writer.
   */
  @Test
  void export_asNQuads_keepsEachRecordsBlankNodesApart() {
    List<String> bundles =
        List.of(
            "<urn:a> <urn:p> _:c14n0 <urn:g:0> .\n_:c14n0 <urn:q> \"one\" <urn:g:0> .\n",
            "<urn:b> <urn:p> _:c14n0 <urn:g:1> .\n_:c14n0 <urn:q> \"two\" <urn:g:1> .\n",
            "<urn:c> <urn:p> \"not a blank node: _:c14n0\" <urn:g:2> .\n",
            "<urn:d> <urn:p> <urn:e> <urn:g:3> .\n");
    try (io.arbiter.journal.FileJournal journal =
        io.arbiter.journal.FileJournal.open(
            dir.resolve("journal"),
            new io.arbiter.journal.FileJournal.Settings(1 << 20, 64, 8192, false),
            record -> true,
            Thread::new)) {
      for (int i = 0; i < bundles.size(); i++) {
        String bundle = bundles.get(i);
        String name = "urn:g:" + i;
        journal
            .append(
                new io.arbiter.journal.Draft() {
                  @Override
                  public byte[] bundle() {
                    return bundle.getBytes(StandardCharsets.UTF_8);
                  }

                  @Override
                  public byte[] entry(long sequence) {
                    return ("{\"seq\":" + sequence + "}").getBytes(StandardCharsets.UTF_8);
                  }

                  @Override
                  public String bundleIri() {
                    return name;
                  }

                  @Override
                  public String subjectIri() {
                    return "urn:s";
                  }
                })
            .join();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ProvExport(journal, TestStore.IRIS)
          .write(ProvExport.Range.ALL, Long.MAX_VALUE, ProvExport.Syntax.N_QUADS, out);
      DatasetGraph parsed = parse(out.toString(StandardCharsets.UTF_8), Lang.NQUADS);
      Node first = only(parsed, "urn:g:0", "urn:a");
      Node second = only(parsed, "urn:g:1", "urn:b");
      assertTrue(first.isBlank() && second.isBlank());
      assertFalse(first.equals(second), "two records' _:c14n0 are two nodes");
      assertEquals(
          "not a blank node: _:c14n0", only(parsed, "urn:g:2", "urn:c").getLiteralLexicalForm());
      assertEquals("urn:e", only(parsed, "urn:g:3", "urn:d").getURI());
      for (Node bundle : List.of(first, second)) {
        assertEquals(1, parsed.stream(Node.ANY, bundle, Node.ANY, Node.ANY).count());
      }
    }
  }

  /** The one object of {@code <subject> <urn:p>} in graph {@code name}. */
  private static Node only(DatasetGraph dataset, String name, String subject) {
    List<Quad> found =
        dataset.stream(
                NodeFactory.createURI(name),
                NodeFactory.createURI(subject),
                NodeFactory.createURI("urn:p"),
                Node.ANY)
            .toList();
    assertEquals(1, found.size(), name);
    return found.get(0).getObject();
  }
}
