package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.prov.Sparql;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.journal.JournalRecord;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.sparql.graph.GraphFactory;
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

  /** Whether a {@link ProvStore#read} snapshot is isolated from what is projected meanwhile. */
  protected boolean isolatesSnapshots() {
    return true;
  }

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

  static String name(long seq) {
    return TestStore.IRIS.bundle("contract-" + seq);
  }

  /** A journal record as the write path makes one: literals spelled as stored, its entry. */
  static JournalRecord record(long seq, Graph extra) {
    String iri = name(seq);
    Node self = uri(iri);
    Graph graph = GraphFactory.createDefaultGraph();
    graph.add(Triple.create(self, RDF.type.asNode(), Vocab.EventBundle.asNode()));
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
    Graph stored = StoredLiterals.canonical(graph);
    byte[] nquads = BundleDigest.canonicalNQuads(iri, () -> stored.find());
    LedgerEntry entry =
        new LedgerEntry(
            seq,
            "test.event",
            Instant.parse("2026-01-01T10:00:00Z"),
            "tester",
            iri,
            iri,
            BundleDigest.sha256(nquads));
    return new JournalRecord(seq, entry.canonicalBytes(), nquads);
  }

  static JournalRecord record(long seq) {
    return record(seq, GraphFactory.createDefaultGraph());
  }

  private List<JournalRecord> projectSome(int count) {
    List<JournalRecord> records = new ArrayList<>();
    for (int seq = 0; seq < count; seq++) {
      records.add(record(seq));
    }
    store.project(records);
    return records;
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

  private long placeOf(String bundle) {
    ParameterizedSparqlString query =
        Sparql.prepare("SELECT ?n WHERE { GRAPH ?ledger { ?bundle arb:sequence ?n } }");
    query.setIri("ledger", TestStore.IRIS.ledgerGraph());
    query.setIri("bundle", bundle);
    return store.query(
        query.asQuery(),
        Duration.ofSeconds(30),
        execution -> {
          var rows = execution.execSelect();
          return rows.hasNext() ? rows.next().getLiteral("n").getLong() : -1L;
        });
  }

  @Test
  void project_thenRead_returnsTheRecordsBundlesExactly_placedInTheLedger() {
    List<JournalRecord> records = projectSome(3);

    assertEquals(3L, store.projected());
    for (JournalRecord written : records) {
      String name = name(written.sequence());
      Graph read = store.graph(name).orElseThrow();
      assertArrayEquals(
          written.bundle(),
          BundleDigest.canonicalNQuads(name, () -> read.find()),
          "read back exactly as the journal holds it");
      List<Triple> snapshot = store.read(s -> s.triples(name)).orElseThrow();
      assertEquals(
          new String(written.bundle(), StandardCharsets.UTF_8),
          new String(BundleDigest.canonicalNQuads(name, snapshot), StandardCharsets.UTF_8));
      assertEquals(written.sequence(), placeOf(name));
    }
  }

  @Test
  void project_fromAnotherPlaceThanTheWatermark_failsAndWritesNothing() {
    projectSome(1);

    assertThrows(RuntimeException.class, () -> store.project(List.of(record(2))));
    assertThrows(
        RuntimeException.class,
        () -> store.project(List.of(record(0), record(1))),
        "records the store holds already are not applied again");

    assertEquals(1L, store.projected());
    assertTrue(store.graph(name(2)).isEmpty(), "the misplaced bundle was not written");
    assertTrue(store.graph(name(1)).isEmpty());
    store.project(List.of(record(1)));
    assertEquals(2L, store.projected(), "the store takes the next batch");
  }

  @Test
  void project_aRecordThatCannotBeRead_writesNothingOfTheBatch() {
    projectSome(1);
    JournalRecord good = record(1);
    JournalRecord broken =
        new JournalRecord(
            2, record(2).entry(), "<urn:s> <urn:p> \"unterminated <urn:g> .\n".getBytes());

    assertThrows(RuntimeException.class, () -> store.project(List.of(good, broken)));

    assertEquals(1L, store.projected());
    assertTrue(store.graph(name(1)).isEmpty());
  }

  @Test
  void projected_afterReopen_continuesFromTheWatermark() {
    assertEquals(0L, store.projected(), "an empty store holds no record");
    projectSome(2);
    store = reopen(store);

    assertEquals(2L, store.projected());
    store.project(List.of(record(2)));
    assertEquals(3L, store.projected());
    assertTrue(store.graph(name(0)).isPresent());
  }

  @Test
  void query_defaultGraphIsTheUnionOfTheBundles() {
    Graph first = GraphFactory.createDefaultGraph();
    first.add(Triple.create(uri("urn:test:a"), KNOWS, uri("urn:test:b")));
    Graph second = GraphFactory.createDefaultGraph();
    second.add(Triple.create(uri("urn:test:b"), KNOWS, uri("urn:test:c")));
    store.project(List.of(record(0, first), record(1, second)));

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
    assertEquals(
        1,
        count("SELECT (COUNT(*) AS ?n) WHERE { <" + name(1) + "> arb:sequence ?place }"),
        "the union reaches each bundle's place in the ledger graph");
    String onlyFirst =
        "SELECT (COUNT(*) AS ?n) FROM <" + name(0) + "> WHERE { ?s <urn:test:knows> ?o }";
    assertEquals(1, count(onlyFirst), "FROM picks a graph of the store");
  }

  @Test
  void graph_isACopyAndAbsentGraphsAreEmpty() {
    projectSome(1);
    Graph copy = store.graph(name(0)).orElseThrow();
    int size = copy.size();
    copy.add(Triple.create(uri("urn:test:x"), KNOWS, uri("urn:test:y")));

    assertEquals(size, store.graph(name(0)).orElseThrow().size());
    assertTrue(store.graph(name(7)).isEmpty());
    assertTrue(store.read(s -> s.triples(name(7))).isEmpty());
  }

  /** The verifier's reading: every graph once, with exactly the triples it is read with by name. */
  @Test
  void read_graphsInTheStoresOrder_eachOnceAsReadByName() {
    List<JournalRecord> records = projectSome(40);
    java.util.Map<String, List<Triple>> seen = new java.util.LinkedHashMap<>();
    store.read(
        snapshot -> {
          snapshot
              .graphs(java.util.Set.of())
              .forEachRemaining(
                  graph -> {
                    assertEquals(null, seen.put(graph.name(), graph.triples()), graph.name());
                    assertEquals(
                        new java.util.HashSet<>(snapshot.triples(graph.name()).orElseThrow()),
                        new java.util.HashSet<>(graph.triples()),
                        graph.name());
                  });
          return null;
        });
    java.util.Set<String> expected = new java.util.HashSet<>();
    records.forEach(r -> expected.add(name(r.sequence())));
    expected.add(TestStore.IRIS.ledgerGraph());
    assertEquals(expected, seen.keySet());
    for (JournalRecord written : records) {
      String name = name(written.sequence());
      assertArrayEquals(written.bundle(), BundleDigest.canonicalNQuads(name, seen.get(name)));
    }
    List<String> without =
        store.read(
            snapshot -> {
              List<String> names = new ArrayList<>();
              snapshot
                  .graphs(java.util.Set.of(TestStore.IRIS.ledgerGraph(), name(7)))
                  .forEachRemaining(graph -> names.add(graph.name()));
              return names;
            });
    expected.remove(TestStore.IRIS.ledgerGraph());
    expected.remove(name(7));
    assertEquals(expected, new java.util.HashSet<>(without), "the graphs passed over are left out");
    assertEquals(expected.size(), without.size());
  }

  @Test
  void read_snapshotSeesNothingProjectedAfterItBegan() {
    projectSome(2);

    boolean hidden =
        store.read(
            snapshot -> {
              // The projector's thread applies a record while the snapshot is open.
              CompletableFuture.runAsync(() -> store.project(List.of(record(2)))).join();
              assertTrue(snapshot.triples(name(1)).isPresent());
              return snapshot.triples(name(2)).isEmpty();
            });

    assertEquals(isolatesSnapshots(), hidden);
    assertEquals(3L, store.projected(), "the projection itself went through");
    assertTrue(store.read(snapshot -> snapshot.triples(name(2))).isPresent());
  }

  @Test
  void query_pastItsTimeout_isCancelled() {
    Graph many = GraphFactory.createDefaultGraph();
    for (int i = 0; i < 400; i++) {
      many.add(
          Triple.create(uri("urn:test:n" + i), KNOWS, NodeFactory.createLiteralString("" + i)));
    }
    store.project(List.of(record(0, many)));
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
    assertFalse(store.graph(name(0)).isPresent());
  }
}
