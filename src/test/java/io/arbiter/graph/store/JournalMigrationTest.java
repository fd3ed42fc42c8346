package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.registry.ModelVersion;
import io.arbiter.registry.ModelVersionRef;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written before the journal — bundles named by their sequence and stating it
 * inside, ledger entries in the ledger graph, digests over lines sorted by UTF-16 units — is
 * migrated at its first start without losing or changing anything: every entry keeps its bytes, so
 * the tree and every signed checkpoint still hold.
 */
class JournalMigrationTest {

  @TempDir Path dir;

  /** Writes a store as the first write path did: three events, one with awkward characters. */
  private List<byte[]> legacyStore(boolean tamper) {
    List<byte[]> entries = new ArrayList<>();
    var tdb = DatabaseMgr.connectDatasetGraph(dir.resolve("tdb2").toString());
    Node ledger = NodeFactory.createURI(TestStore.IRIS.ledgerGraph());
    Txn.executeWrite(
        tdb,
        () -> {
          for (int seq = 0; seq < 3; seq++) {
            String iri = TestStore.IRIS.base() + "bundles/" + seq;
            Node self = NodeFactory.createURI(iri);
            String subject = TestStore.IRIS.base() + "models/m" + seq;
            Instant time = Instant.parse("2026-11-20T10:00:00Z").plusSeconds(seq);
            Graph bundle = GraphFactory.createDefaultGraph();
            bundle.add(Triple.create(self, RDF.type.asNode(), Vocab.EventBundle.asNode()));
            bundle.add(
                Triple.create(
                    self,
                    Vocab.sequence.asNode(),
                    NodeFactory.createLiteralDT(Long.toString(seq), XSDDatatype.XSDlong)));
            bundle.add(
                Triple.create(
                    self,
                    Vocab.eventType.asNode(),
                    NodeFactory.createLiteralString("test.legacy")));
            bundle.add(
                Triple.create(self, Vocab.eventSubject.asNode(), NodeFactory.createURI(subject)));
            bundle.add(
                Triple.create(
                    self,
                    Vocab.Prov.generatedAtTime.asNode(),
                    NodeFactory.createLiteralDT(time.toString(), XSDDatatype.XSDdateTime)));
            Node agent = NodeFactory.createURI(TestStore.IRIS.agent("arbiter"));
            bundle.add(Triple.create(self, Vocab.Prov.wasAttributedTo.asNode(), agent));
            bundle.add(
                Triple.create(
                    agent,
                    Vocab.Dc.identifier.asNode(),
                    NodeFactory.createLiteralString("arbiter")));
            // Lines whose order differs between UTF-16 units and code points (U+E000, U+1F600).
            bundle.add(
                Triple.create(
                    NodeFactory.createURI(subject),
                    Vocab.label.asNode(),
                    NodeFactory.createLiteralString("\uE000 private")));
            bundle.add(
                Triple.create(
                    NodeFactory.createURI(subject),
                    Vocab.label.asNode(),
                    NodeFactory.createLiteralString("\uD83D\uDE00 smile")));
            byte[] legacy = BundleDigest.utf16OrderedNQuads(iri, () -> bundle.find());
            LedgerEntry entry =
                new LedgerEntry(
                    seq, "test.legacy", time, "arbiter", subject, iri, BundleDigest.sha256(legacy));
            if (tamper && seq == 1) {
              bundle.add(
                  Triple.create(self, Vocab.label.asNode(), NodeFactory.createLiteralString("x")));
            }
            bundle
                .find()
                .forEachRemaining(
                    t -> tdb.add(self, t.getSubject(), t.getPredicate(), t.getObject()));
            Node resource = NodeFactory.createURI(TestStore.IRIS.ledgerEntry(seq));
            tdb.add(ledger, resource, RDF.type.asNode(), Vocab.LedgerEntry.asNode());
            tdb.add(
                ledger,
                resource,
                Vocab.leafIndex.asNode(),
                NodeFactory.createLiteralDT(Long.toString(seq), XSDDatatype.XSDlong));
            tdb.add(ledger, resource, Vocab.entryBundle.asNode(), self);
            tdb.add(
                ledger,
                resource,
                Vocab.entryJson.asNode(),
                NodeFactory.createLiteralString(
                    new String(entry.canonicalBytes(), StandardCharsets.UTF_8)));
            entries.add(entry.canonicalBytes());
          }
        });
    TDBInternal.expel(tdb);
    return entries;
  }

  private TestStore open() {
    return new TestStore(
        Tdb2ProvStore.open(dir.resolve("tdb2"), TestStore.IRIS), dir.resolve("journal"));
  }

  @Test
  void aStoreWrittenBeforeTheJournal_isMigrated_keepingEveryEntrysBytes() throws Exception {
    List<byte[]> entries = legacyStore(false);
    MerkleTree expected = new MerkleTree();
    entries.forEach(expected::append);

    try (TestStore graph = open()) {
      assertEquals(3L, graph.size());
      for (int seq = 0; seq < 3; seq++) {
        assertArrayEquals(entries.get(seq), graph.journal.read(seq).orElseThrow().entry());
      }
      assertArrayEquals(expected.root(3), graph.tree.root(3), "every checkpoint still holds");
      assertEquals(3L, graph.provStore.projected());
      var report = graph.verify(dir.resolve("ledger"));
      assertTrue(report.ok(), report.faults().toString());
      var recorded =
          graph
              .writer
              .append(
                  new ModelVersion.Registered(
                      new ModelVersion(
                          new ModelVersionRef("after", "1"), Optional.empty(), Optional.empty()),
                      "arbiter",
                      Instant.parse("2026-12-06T00:00:00Z"),
                      TestStore.IRIS.modelVersion("after", "1")))
              .toCompletableFuture()
              .join();
      assertEquals(3L, recorded.sequence(), "the log goes on");
      assertFalse(recorded.bundleIri().endsWith("/3"), "named by its event id from now on");
    }
    try (TestStore again = open()) {
      assertEquals(4L, again.size(), "migrated once");
      assertTrue(again.verify(dir.resolve("ledger2")).ok());
    }
  }

  @Test
  void aBundleThatNoLongerMatchesItsEntry_stopsTheMigrationNamingIt() {
    legacyStore(true);
    IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
    assertTrue(
        refused.getMessage().contains(TestStore.IRIS.base() + "bundles/1"), refused.getMessage());
    assertFalse(JournalMigration.hasJournal(dir.resolve("journal")), "no journal was put in place");
  }
}
