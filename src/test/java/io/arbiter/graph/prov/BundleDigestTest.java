package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.store.StoredLiterals;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.sse.SSE;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ledger entries and bundle digests, against what TDB2 actually stores. */
class BundleDigestTest {

  @TempDir Path dir;

  @Test
  void digest_ignoresTripleOrder_andSeesEveryChange() {
    Graph a = GraphFactory.createDefaultGraph();
    a.add(SSE.parseTriple("(<urn:s> <urn:p> 1)"));
    a.add(SSE.parseTriple("(<urn:s> <urn:q> \"x\")"));
    Graph b = GraphFactory.createDefaultGraph();
    b.add(SSE.parseTriple("(<urn:s> <urn:q> \"x\")"));
    b.add(SSE.parseTriple("(<urn:s> <urn:p> 1)"));
    assertEquals(BundleDigest.sha256("urn:g", a), BundleDigest.sha256("urn:g", b));
    b.delete(SSE.parseTriple("(<urn:s> <urn:p> 1)"));
    b.add(SSE.parseTriple("(<urn:s> <urn:p> 2)"));
    assertNotEquals(BundleDigest.sha256("urn:g", a), BundleDigest.sha256("urn:g", b));
    assertNotEquals(
        BundleDigest.sha256("urn:g", a),
        BundleDigest.sha256("urn:other", a),
        "the graph name counts");
  }

  @Test
  void digest_isTheSha256OfTheCanonicalNQuads_writtenOutByHand() throws Exception {
    Graph g = GraphFactory.createDefaultGraph();
    g.add(SSE.parseTriple("(<urn:s> <urn:q> \"x\\\"y\"@en)"));
    g.add(SSE.parseTriple("(<urn:s> <urn:p> 1)"));
    String nquads =
        "<urn:s> <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\n"
            + "<urn:s> <urn:q> \"x\\\"y\"@en <urn:g> .\n";
    byte[] hash =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(nquads.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "sha256:" + java.util.HexFormat.of().formatHex(hash), BundleDigest.sha256("urn:g", g));
  }

  /** The fast path for graphs without blank nodes must give RDFC-1.0's digest exactly. */
  @Test
  void fastPath_equalsRdfc10_onRandomGraphsWithoutBlankNodes() {
    var random = new java.util.Random(20261125);
    String[] lexical = {
      "",
      "a",
      "caf\u00e9",
      "tab\there",
      "line\nbreak",
      "quote\"s",
      "back\\slash",
      "\uD83D\uDE00",
      "\u0001ctl",
      "0012"
    };
    String[] datatypes = {
      null,
      "http://www.w3.org/2001/XMLSchema#string",
      "http://www.w3.org/2001/XMLSchema#integer",
      "http://www.w3.org/2001/XMLSchema#dateTime",
      "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
    };
    for (int i = 0; i < 500; i++) {
      List<Triple> triples = new ArrayList<>();
      int size = 1 + random.nextInt(40);
      for (int t = 0; t < size; t++) {
        var subject = NodeFactory.createURI("urn:s" + random.nextInt(5));
        var predicate = NodeFactory.createURI("https://w3id.org/arbiter#p" + random.nextInt(6));
        String text = lexical[random.nextInt(lexical.length)];
        var object =
            switch (random.nextInt(4)) {
              case 0 -> NodeFactory.createURI("urn:o/" + random.nextInt(9) + "?q=%20x");
              case 1 -> NodeFactory.createLiteralLang(text, random.nextBoolean() ? "en" : "de-CH");
              default -> {
                String datatype = datatypes[random.nextInt(datatypes.length)];
                yield datatype == null
                    ? NodeFactory.createLiteralString(text)
                    : NodeFactory.createLiteralDT(
                        text,
                        org.apache.jena.datatypes.TypeMapper.getInstance()
                            .getSafeTypeByName(datatype));
              }
            };
        triples.add(Triple.create(subject, predicate, object));
        if (random.nextInt(10) == 0) {
          triples.add(triples.get(random.nextInt(triples.size()))); // a repeat counts once
        }
      }
      assertEquals(
          new String(BundleDigest.rdfcNQuads("urn:bundle", triples), StandardCharsets.UTF_8),
          new String(BundleDigest.canonicalNQuads("urn:bundle", triples), StandardCharsets.UTF_8),
          triples::toString);
    }
  }

  /**
   * RDFC-1.0 sorts lines in code point order. UTF-16 order (Java's String.compareTo) differs for
   * U+E000–U+FFFF against characters above U+FFFF, whose surrogates (U+D800–U+DFFF) sort first.
   */
  @Test
  void linesAreInCodePointOrder_notUtf16Order() throws Exception {
    Graph g = GraphFactory.createDefaultGraph();
    g.add(SSE.parseTriple("(<urn:s> <urn:p> \"\uD83D\uDE00\")")); // U+1F600
    g.add(SSE.parseTriple("(<urn:s> <urn:p> \"\uFB33\")")); // U+FB33
    g.add(SSE.parseTriple("(<urn:s> <urn:p> \"\uE000\")")); // U+E000, private use
    g.add(SSE.parseTriple("(<urn:s> <urn:p> \"z\")"));
    String expected =
        "<urn:s> <urn:p> \"z\" <urn:g> .\n"
            + "<urn:s> <urn:p> \"\uE000\" <urn:g> .\n"
            + "<urn:s> <urn:p> \"\uFB33\" <urn:g> .\n"
            + "<urn:s> <urn:p> \"\uD83D\uDE00\" <urn:g> .\n";
    byte[] canonical = BundleDigest.canonicalNQuads("urn:g", () -> g.find());
    assertEquals(expected, new String(canonical, StandardCharsets.UTF_8));
    byte[] hash =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(expected.getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "sha256:" + java.util.HexFormat.of().formatHex(hash), BundleDigest.sha256("urn:g", g));
    assertEquals(
        expected,
        new String(BundleDigest.rdfcNQuads("urn:g", () -> g.find()), StandardCharsets.UTF_8));
    // The order used before: the emoji's surrogates sort before U+E000.
    String legacy =
        new String(
            BundleDigest.utf16OrderedNQuads("urn:g", () -> g.find()), StandardCharsets.UTF_8);
    assertTrue(legacy.indexOf("\uD83D") < legacy.indexOf("\uE000"), legacy);
  }

  @Test
  void storedLiterals_spellLiteralsAsTdb2ReturnsThem() {
    try (Tdb2ProvStore graph = Tdb2ProvStore.open(dir.resolve("bare"), TestStore.IRIS)) {
      Graph written = GraphFactory.createDefaultGraph();
      for (String object :
          List.of(
              "\"0.10\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
              "\"0012\"^^<http://www.w3.org/2001/XMLSchema#integer>",
              "\"1.5E0\"^^<http://www.w3.org/2001/XMLSchema#double>",
              "\"2026-11-25T17:01:38.342405681Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
              "\"2026-11-25T17:01:38.3Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>",
              "\"1\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
              "\"caf\u00e9 \\\"q\\\"\"")) {
        written.add(
            Triple.create(
                NodeFactory.createURI("urn:s"),
                NodeFactory.createURI("urn:p" + written.size()),
                SSE.parseNode(object)));
      }
      Graph stored = StoredLiterals.canonical(written);
      byte[] nquads = BundleDigest.canonicalNQuads("urn:bundle", () -> stored.find());
      var entry =
          new LedgerEntry(
              0,
              "t",
              java.time.Instant.EPOCH,
              "a",
              "urn:s",
              "urn:bundle",
              BundleDigest.sha256(nquads));
      graph.project(
          List.of(new io.arbiter.journal.JournalRecord(0, entry.canonicalBytes(), nquads)));
      Graph readBack = graph.graph("urn:bundle").orElseThrow();
      assertTrue(readBack.isIsomorphicWith(stored), "stored form predicted exactly");
      assertEquals(entry.bundleDigest(), BundleDigest.sha256("urn:bundle", readBack));
    }
  }

  @Test
  void everyEvent_hasAnEntryWhoseDigestMatchesTheStoredBundle_andTheTreeSurvivesRestart()
      throws Exception {
    byte[] root;
    long size;
    try (TestStore graph = new TestStore(dir)) {
      TestApp app =
          TestApp.demo(
              graph,
              new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T09:30:00Z")));
      for (int i = 0; i < 5; i++) {
        app.decisions.submit(
            Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
      }
      List<LedgerEntry> entries = new ArrayList<>();
      graph.journal.forEach(
          0, Long.MAX_VALUE, record -> entries.add(LedgerEntry.parse(record.entry())));
      graph.settle();
      assertEquals(
          9,
          entries.size(),
          "model, policy version, its activation, the decisions' hour and five decisions");
      for (int seq = 0; seq < entries.size(); seq++) {
        LedgerEntry entry = entries.get(seq);
        assertEquals(seq, entry.seq());
        assertTrue(entry.bundle().startsWith(TestStore.IRIS.base() + "bundles/"), entry.bundle());
        Graph stored = graph.store.graph(entry.bundle()).orElseThrow();
        assertEquals(
            entry.bundleDigest(), BundleDigest.sha256(entry.bundle(), stored), "entry " + seq);
        assertEquals(
            new String(entry.leafHash(), StandardCharsets.ISO_8859_1),
            new String(graph.tree.leafHash(seq), StandardCharsets.ISO_8859_1));
      }
      size = graph.tree.size();
      root = graph.tree.root(size);
    }
    try (TestStore reopened = new TestStore(dir)) {
      assertEquals(size, reopened.tree.size());
      assertEquals(
          java.util.HexFormat.of().formatHex(root),
          java.util.HexFormat.of().formatHex(reopened.tree.root(size)));
    }
  }
}
