package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.ledger.LedgerEntry;
import io.arbiter.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.graph.impl.WrappedGraph;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Arbiter relies on from a {@link ProvStore}, run against every adapter: each subclass says
 * how to open its store (and reopen it over the same data).
 */
abstract class ProvStoreContract {

  static final Node SHARED = uri("http://arbiter.test/id/agents/shared");
  static final Node KNOWS = uri("urn:test:knows");
  static final Node VALUE = uri("urn:test:value");

  protected ProvStore store;

  /** A new, empty store. */
  protected abstract ProvStore open();

  /** Closes {@code store} and opens it again over the same data (as after a restart). */
  protected abstract ProvStore reopen(ProvStore store);

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static Node uri(String iri) {
    return NodeFactory.createURI(iri);
  }

  /** A bundle as the event writer builds one: spelled as stored, its entry over that digest. */
  static Bundle bundle(ProvStore store, long seq, Graph extra) {
    String iri = TestStore.IRIS.bundle(seq);
    Node self = uri(iri);
    Graph graph = GraphFactory.createDefaultGraph();
    graph.add(Triple.create(self, RDF.type.asNode(), Vocab.EventBundle.asNode()));
    graph.add(
        Triple.create(
            self,
            Vocab.sequence.asNode(),
            NodeFactory.createLiteralDT(Long.toString(seq), XSDDatatype.XSDlong)));
    // Spellings TDB2 changes: a decimal with a trailing zero, a dateTime with zero fraction, a
    // boolean as 1, an integer with a leading zero; and text a store must keep exactly.
    graph.add(
        Triple.create(self, VALUE, NodeFactory.createLiteralDT("0.10", XSDDatatype.XSDdecimal)));
    graph.add(
        Triple.create(
            self,
            VALUE,
            NodeFactory.createLiteralDT("2026-01-01T10:00:00.000Z", XSDDatatype.XSDdateTime)));
    graph.add(Triple.create(self, VALUE, NodeFactory.createLiteralDT("1", XSDDatatype.XSDboolean)));
    graph.add(
        Triple.create(self, VALUE, NodeFactory.createLiteralDT("007", XSDDatatype.XSDinteger)));
    graph.add(Triple.create(self, VALUE, NodeFactory.createLiteralString("naïve \"quoted\"\n€")));
    graph.add(Triple.create(self, VALUE, NodeFactory.createLiteralLang("Genehmigt", "de")));
    // The same statement in every bundle: the union default graph holds it once.
    graph.add(Triple.create(SHARED, RDF.type.asNode(), Vocab.Prov.Agent.asNode()));
    extra.find().forEachRemaining(graph::add);
    Graph stored = store.asStored(graph);
    LedgerEntry entry =
        new LedgerEntry(
            seq,
            "test.event",
            Instant.parse("2026-01-01T10:00:00Z"),
            "tester",
            iri,
            iri,
            BundleDigest.sha256(iri, stored));
    return new Bundle(iri, seq, stored, entry);
  }

  static Bundle bundle(ProvStore store, long seq) {
    return bundle(store, seq, GraphFactory.createDefaultGraph());
  }

  private List<Bundle> appendSome(int count) {
    List<Bundle> bundles = new ArrayList<>();
    for (int seq = 0; seq < count; seq++) {
      bundles.add(bundle(store, seq));
    }
    store.append(bundles);
    return bundles;
  }

  private Map<Long, byte[]> entries(ProvStore.Snapshot snapshot, long from, long to) {
    Map<Long, byte[]> found = new LinkedHashMap<>();
    snapshot.forEachEntry(from, to, found::put);
    return found;
  }

  private Map<Long, byte[]> entries(long from, long to) {
    Map<Long, byte[]> found = new LinkedHashMap<>();
    store.forEachEntry(from, to, found::put);
    return found;
  }

  private boolean ask(String query) {
    return store.query(
        Sparql.prepare(query).asQuery(), Duration.ofSeconds(30), QueryExecution::execAsk);
  }

  private long count(String query) {
    return store.query(
        Sparql.prepare(query).asQuery(),
        Duration.ofSeconds(30),
        execution -> execution.execSelect().next().getLiteral("n").getLong());
  }

  @Test
  void append_thenRead_returnsBundlesAndEntriesAsStoredWithMatchingDigests() {
    List<Bundle> bundles = appendSome(3);

    assertEquals(3L, store.nextSequence());
    for (Bundle written : bundles) {
      Graph read = store.graph(written.iri()).orElseThrow();
      assertTrue(read.isIsomorphicWith(written.triples()), "read back as written: " + read);
      assertEquals(written.entry().bundleDigest(), BundleDigest.sha256(written.iri(), read));
      assertArrayEquals(
          written.entry().canonicalBytes(), store.entry(written.sequence()).orElseThrow());
      List<Triple> snapshot = store.read(s -> s.triples(written.iri())).orElseThrow();
      assertEquals(written.entry().bundleDigest(), BundleDigest.sha256(written.iri(), snapshot));
    }
    Graph stored = bundles.get(0).triples();
    assertTrue(store.asStored(stored).isIsomorphicWith(stored), "asStored is idempotent");
  }

  @Test
  void append_withATakenBundleName_failsAndWritesNothing() {
    appendSome(1);
    Graph squatter = GraphFactory.createDefaultGraph();
    squatter.add(Triple.create(uri("urn:test:x"), KNOWS, uri("urn:test:y")));
    Bundle clash = bundle(store, 0, squatter);

    assertThrows(RuntimeException.class, () -> store.append(List.of(bundle(store, 1), clash)));

    assertEquals(1L, store.nextSequence());
    assertTrue(store.graph(TestStore.IRIS.bundle(1)).isEmpty(), "the new bundle was not written");
    assertTrue(store.entry(1).isEmpty(), "nor its entry");
    assertFalse(ask("ASK { <urn:test:x> ?p ?o }"), "nor any of the clashing bundle");
    assertEquals(1, entries(0, Long.MAX_VALUE).size());
    store.append(List.of(bundle(store, 1)));
    assertEquals(2L, store.nextSequence(), "the store takes the next batch");
  }

  @Test
  void append_failingWhileBuilt_writesNothing() {
    appendSome(1);
    Graph failing =
        new WrappedGraph(bundle(store, 2).triples()) {
          @Override
          public ExtendedIterator<Triple> find() {
            throw new IllegalStateException("a bundle that cannot be read");
          }
        };
    Bundle broken = new Bundle(TestStore.IRIS.bundle(2), 2, failing, bundle(store, 2).entry());

    assertThrows(RuntimeException.class, () -> store.append(List.of(bundle(store, 1), broken)));

    assertEquals(1L, store.nextSequence());
    assertTrue(store.graph(TestStore.IRIS.bundle(1)).isEmpty());
    assertTrue(store.entry(1).isEmpty());
  }

  @Test
  void nextSequence_afterReopen_continuesFromTheStoredLedger() {
    assertEquals(0L, store.nextSequence(), "an empty store starts at 0");
    appendSome(2);
    store = reopen(store);

    assertEquals(2L, store.nextSequence());
    assertEquals(List.of(0L, 1L), List.copyOf(entries(0, Long.MAX_VALUE).keySet()));
    store.append(List.of(bundle(store, 2)));
    assertEquals(3L, store.nextSequence());
  }

  @Test
  void forEachEntry_givesTheRangeInOrder() {
    List<Bundle> bundles = appendSome(5);

    Map<Long, byte[]> middle = entries(1, 4);
    assertEquals(List.of(1L, 2L, 3L), List.copyOf(middle.keySet()));
    middle.forEach(
        (seq, bytes) ->
            assertArrayEquals(bundles.get(seq.intValue()).entry().canonicalBytes(), bytes));
    assertEquals(5, entries(0, Long.MAX_VALUE).size());
    assertTrue(entries(5, 10).isEmpty());
    assertTrue(store.entry(5).isEmpty());
  }

  @Test
  void query_defaultGraphIsTheUnionOfTheBundles() {
    Graph first = GraphFactory.createDefaultGraph();
    first.add(Triple.create(uri("urn:test:a"), KNOWS, uri("urn:test:b")));
    Graph second = GraphFactory.createDefaultGraph();
    second.add(Triple.create(uri("urn:test:b"), KNOWS, uri("urn:test:c")));
    store.append(List.of(bundle(store, 0, first), bundle(store, 1, second)));

    assertTrue(
        ask("ASK { <urn:test:a> <urn:test:knows> ?b . ?b <urn:test:knows> <urn:test:c> }"),
        "one pattern joins statements of two bundles");
    assertEquals(
        1,
        count("SELECT (COUNT(*) AS ?n) WHERE { ?s a prov:Agent }"),
        "a statement in every bundle is in the union once");
    assertEquals(
        2,
        count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a arb:EventBundle } }"),
        "GRAPH still reaches each bundle");
    String onlyFirst =
        "SELECT (COUNT(*) AS ?n) FROM <"
            + TestStore.IRIS.bundle(0)
            + "> WHERE { ?s <urn:test:knows> ?o }";
    assertEquals(1, count(onlyFirst), "FROM picks a graph of the store");
  }

  @Test
  void graph_isACopyAndAbsentGraphsAreEmpty() {
    appendSome(1);
    Graph copy = store.graph(TestStore.IRIS.bundle(0)).orElseThrow();
    int size = copy.size();
    copy.add(Triple.create(uri("urn:test:x"), KNOWS, uri("urn:test:y")));

    assertEquals(size, store.graph(TestStore.IRIS.bundle(0)).orElseThrow().size());
    assertTrue(store.graph(TestStore.IRIS.bundle(7)).isEmpty());
    assertTrue(store.read(s -> s.triples(TestStore.IRIS.bundle(7))).isEmpty());
  }

  @Test
  void read_snapshotSeesNoEventAppendedAfterItBegan() {
    appendSome(2);

    Map<Long, byte[]> seen =
        store.read(
            snapshot -> {
              // Another thread appends while the snapshot is open, as the writer does.
              CompletableFuture.runAsync(() -> store.append(List.of(bundle(store, 2)))).join();
              assertTrue(snapshot.triples(TestStore.IRIS.bundle(2)).isEmpty());
              assertTrue(snapshot.triples(TestStore.IRIS.bundle(1)).isPresent());
              return entries(snapshot, 0, Long.MAX_VALUE);
            });

    assertEquals(List.of(0L, 1L), List.copyOf(seen.keySet()));
    assertEquals(3L, store.nextSequence(), "the append itself went through");
  }

  @Test
  void read_afterAnAppend_seesIt() {
    appendSome(2);
    assertEquals(2, store.read(snapshot -> entries(snapshot, 0, Long.MAX_VALUE)).size());

    store.append(List.of(bundle(store, 2)));

    assertEquals(3, store.read(snapshot -> entries(snapshot, 0, Long.MAX_VALUE)).size());
    assertTrue(store.read(snapshot -> snapshot.triples(TestStore.IRIS.bundle(2))).isPresent());
  }

  @Test
  void query_pastItsTimeout_isCancelled() {
    Graph many = GraphFactory.createDefaultGraph();
    for (int i = 0; i < 400; i++) {
      many.add(
          Triple.create(uri("urn:test:n" + i), KNOWS, NodeFactory.createLiteralString("" + i)));
    }
    store.append(List.of(bundle(store, 0, many)));
    var cross =
        QueryFactory.create(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }");

    long started = System.nanoTime();
    assertThrows(
        QueryCancelledException.class,
        () ->
            store.query(
                cross,
                Duration.ofMillis(300),
                execution -> execution.execSelect().next().getLiteral("n").getLong()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "cancelled after " + took);
    assertTrue(store.isHealthy(), "and the store still answers");
  }

  @Test
  void isHealthy_onAWorkingStore() {
    assertTrue(store.isHealthy());
    assertEquals(Optional.empty(), store.entry(0));
  }
}
