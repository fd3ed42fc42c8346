package io.arbiter.graph.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.prov.Vocab;
import io.arbiter.graph.verify.LedgerVerifier.FaultKind;
import io.arbiter.graph.verify.LedgerVerifier.Report;
import io.arbiter.jobs.Progress;
import io.arbiter.journal.FileJournal;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.NoteKey;
import io.arbiter.ledger.TileStore;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier catches each way the journal, the log or the store can be tampered with, and says
 * where.
 */
class LedgerVerifierTest {

  private static final String ORIGIN = "arbiter.test/id/ledger";

  @TempDir Path dir;
  private TestStore graph;
  private NoteKey key;
  private CheckpointPublisher publisher;
  private DatasetGraph tdb;
  private TestApp app;
  private final List<String> bundles = new ArrayList<>();

  @BeforeEach
  void record() throws Exception {
    graph = new TestStore(dir.resolve("tdb2"));
    // Within one hour: records 0-2 are the seeds, 3 the hour, 4-7 the decisions.
    app =
        TestApp.demo(
            graph,
            new io.arbiter.testing.TestClock(java.time.Instant.parse("2026-11-26T09:30:00Z")));
    for (int i = 0; i < 4; i++) {
      app.decisions.submit(
          Fixtures.request(1000 + i, 56000, 0.1, "approve", 0.9), "alice", Optional.empty());
    }
    graph.journal.forEach(
        0, Long.MAX_VALUE, record -> bundles.add(LedgerEntry.parse(record.entry()).bundle()));
    key = NoteKey.generate(ORIGIN, new SecureRandom());
    publisher =
        new CheckpointPublisher(graph.tree, key, ORIGIN, dir.resolve("checkpoint"), tiles());
    publisher.start();
    graph.settle();
    tdb = DatabaseMgr.connectDatasetGraph(dir.resolve("tdb2").toString());
  }

  @AfterEach
  void close() {
    graph.close();
  }

  private TileStore tiles() {
    return new TileStore(dir.resolve("ledger"), new JournalLedgerEntries(graph.journal));
  }

  private LedgerVerifier verifier() {
    return new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.of(tiles()));
  }

  private Report verify(List<String> earlier) {
    return verify(verifier(), earlier);
  }

  private Report verify(LedgerVerifier verifier, List<String> earlier) {
    return verifier.verify(
        graph.journal,
        Optional.of(graph.provStore),
        key.verifierKey(),
        publisher.latestNote().orElseThrow(),
        earlier);
  }

  /** Changes the label a bundle states (within a write transaction on {@link #tdb}). */
  private void relabel(String bundle) {
    var quad = tdb.find(uri(bundle), Node.ANY, Vocab.label.asNode(), Node.ANY).next();
    tdb.delete(quad);
    tdb.add(
        quad.getGraph(),
        quad.getSubject(),
        quad.getPredicate(),
        NodeFactory.createLiteralString("reject"));
  }

  private static Set<FaultKind> kinds(Report report) {
    return report.faults().stream().map(LedgerVerifier.Fault::kind).collect(Collectors.toSet());
  }

  private static Node uri(String iri) {
    return NodeFactory.createURI(iri);
  }

  @Test
  void verify_tellsItsProgressRecordByRecordInBothPasses_andStopsWhenCancelled() {
    long records = graph.journal.size();
    long[] seen = {-1, 0}; // total, done
    Progress counting =
        new Progress() {
          @Override
          public void total(long total) {
            seen[0] = total;
          }

          @Override
          public void advance(long units) {
            seen[1] += units;
          }
        };
    Report report =
        verifier()
            .verify(
                graph.journal,
                Optional.of(graph.provStore),
                key.verifierKey(),
                publisher.latestNote().orElseThrow(),
                List.of(),
                counting);
    assertTrue(report.ok(), report.toString());
    assertEquals(2 * records, seen[0]);
    assertEquals(2 * records, seen[1]);

    long[] checked = {0};
    Progress cancelledAfterTwo =
        new Progress() {
          @Override
          public void total(long total) {}

          @Override
          public void advance(long units) {
            if (checked[0] == 2) {
              throw new java.util.concurrent.CancellationException("cancelled");
            }
            checked[0] += units;
          }
        };
    assertThrows(
        java.util.concurrent.CancellationException.class,
        () ->
            verifier()
                .verify(
                    graph.journal,
                    Optional.of(graph.provStore),
                    key.verifierKey(),
                    publisher.latestNote().orElseThrow(),
                    List.of(),
                    cancelledAfterTwo));
    assertEquals(2, checked[0]);
  }

  @Test
  void untouched_verifies() {
    Report report = verify(List.of());
    assertTrue(report.ok(), report.faults().toString());
    assertEquals(8, report.entries());
    assertEquals(8, report.bundles());
    assertEquals(Optional.of(8L), report.checkpointSize());
  }

  @Test
  void eventsRecordedDuringTheVerification_areNoFault() throws Exception {
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 20; i++) {
                app.decisions.submit(
                    Fixtures.request(5000 + i, 56000, 0.1, "approve", 0.9),
                    "alice",
                    Optional.empty());
              }
            });
    writer.start();
    Report report = verify(List.of());
    writer.join();
    assertTrue(report.ok(), report.faults().toString());
  }

  /** A store that claims more than the journal holds (a journal restored from an older backup). */
  @Test
  void aStoreAheadOfTheJournal_isNamed() {
    Node ledger = uri(TestStore.IRIS.ledgerGraph());
    Txn.executeWrite(
        tdb,
        () -> {
          tdb.deleteAny(ledger, ledger, Vocab.projectedRecords.asNode(), Node.ANY);
          tdb.add(
              ledger,
              ledger,
              Vocab.projectedRecords.asNode(),
              NodeFactory.createLiteralByValue(12L));
        });
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.STORE_AHEAD), kinds(report), report.faults().toString());
    assertTrue(report.faults().get(0).message().contains("holds 12"), report.faults().toString());
  }

  @Test
  void tripleEditedInTdb2_isNamedByBundleAndSequence() {
    String bundle = bundles.get(4);
    Txn.executeWrite(tdb, () -> relabel(bundle));
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.BUNDLE_ALTERED), kinds(report));
    assertEquals(Optional.of(4L), report.faults().get(0).sequence());
    assertEquals(Optional.of(bundle), report.faults().get(0).bundle());
  }

  @Test
  void deletedBundle_isNamed() {
    Txn.executeWrite(tdb, () -> tdb.removeGraph(uri(bundles.get(4))));
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.BUNDLE_MISSING), kinds(report));
    assertEquals(Optional.of(4L), report.faults().get(0).sequence());
  }

  @Test
  void bundleTheJournalLacks_isNamed() {
    String intruder = TestStore.IRIS.bundle("intruder");
    Txn.executeWrite(
        tdb,
        () -> tdb.add(uri(intruder), uri(intruder), Vocab.eventType.asNode(), uri("urn:x:forged")));
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.BUNDLE_WITHOUT_ENTRY), kinds(report));
    assertEquals(Optional.of(intruder), report.faults().get(0).bundle());
  }

  /**
   * The graph pass reads the store in its own order beside the journal; where the two part, graphs
   * wait, and records are settled by name at the end. However little may wait (nothing, one, two),
   * it finds what reading by name finds: the deleted bundle, the edited one, the intruder.
   */
  @Test
  void theStoreAndTheJournalOutOfStep_findTheSameFaultsWhateverTheReadAhead() {
    String edited = bundles.get(5);
    String intruder = TestStore.IRIS.bundle("intruder");
    Txn.executeWrite(
        tdb,
        () -> {
          tdb.removeGraph(uri(bundles.get(4)));
          relabel(edited);
          tdb.add(uri(intruder), uri(intruder), Vocab.eventType.asNode(), uri("urn:x:forged"));
        });
    List<String> expected =
        List.of(
            "BUNDLE_MISSING 4 " + bundles.get(4),
            "BUNDLE_ALTERED 5 " + edited,
            "BUNDLE_WITHOUT_ENTRY - " + intruder);
    for (int readAhead : new int[] {0, 1, 2, GraphPass.READ_AHEAD}) {
      Report report =
          verify(
              new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.of(tiles()), readAhead),
              List.of());
      assertEquals(
          expected,
          report.faults().stream()
              .map(
                  f ->
                      f.kind()
                          + " "
                          + f.sequence().map(String::valueOf).orElse("-")
                          + " "
                          + f.bundle().orElse("-"))
              .toList(),
          "read-ahead " + readAhead);
      assertEquals(8, report.bundles());
    }
  }

  @Test
  void aFlippedByteInTheJournal_isCaughtByItsCrc() throws Exception {
    Path segment = onlySegment();
    long offset = recordOffset(segment, 4) + 40;
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(offset);
      int b = file.read();
      file.seek(offset);
      file.write(b ^ 1);
    }
    Report report = verify(List.of());
    assertTrue(kinds(report).contains(FaultKind.JOURNAL_DAMAGED), report.faults().toString());
    assertTrue(report.faults().get(0).message().contains("offset"), report.faults().toString());
  }

  /**
   * Whoever can rewrite the journal can also fix its CRC: an entry changed so, with a valid CRC, is
   * caught by the signed checkpoint and by the bundle it no longer describes.
   */
  @Test
  void anEntryRewrittenWithAValidCrc_isCaughtByTheCheckpointAndTheBundle() throws Exception {
    Path segment = onlySegment();
    long offset = recordOffset(segment, 4);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(offset);
      int length = file.readInt();
      file.readInt();
      byte[] payload = new byte[length];
      file.readFully(payload);
      String text = new String(payload, StandardCharsets.ISO_8859_1);
      String forged = text.replace("\"actor\":\"alice\"", "\"actor\":\"malic\"");
      assertTrue(!forged.equals(text), "the entry names its actor");
      byte[] altered = forged.getBytes(StandardCharsets.ISO_8859_1);
      CRC32C crc = new CRC32C();
      crc.update(altered);
      file.seek(offset + 4);
      file.writeInt((int) crc.getValue());
      file.write(altered);
    }
    Report report = verify(List.of());
    assertTrue(kinds(report).contains(FaultKind.CHECKPOINT_MISMATCH), report.faults().toString());
    assertTrue(kinds(report).contains(FaultKind.ENTRY_ALTERED), report.faults().toString());
    assertTrue(
        report.faults().stream()
            .anyMatch(
                f -> f.kind() == FaultKind.ENTRY_ALTERED && f.sequence().equals(Optional.of(4L))),
        report.faults().toString());
  }

  @Test
  void truncatedJournal_isCaughtAgainstAnOlderCheckpoint() throws Exception {
    String older = publisher.latestNote().orElseThrow();
    graph.close();
    Path segment = onlySegment();
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(recordOffset(segment, 7)); // the last record cut off whole
    }
    try (FileJournal journal =
        FileJournal.open(
            dir.resolve("tdb2/journal"),
            FileJournal.Settings.defaults(),
            record -> true,
            Thread::new)) {
      Report report =
          new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.empty())
              .verify(journal, Optional.empty(), key.verifierKey(), older, List.of());
      assertEquals(Set.of(FaultKind.LOG_TRUNCATED), kinds(report));
      assertEquals(7, report.entries());
    }
  }

  @Test
  void checkpointSignedByAnotherKey_isRefused() throws Exception {
    NoteKey other = NoteKey.generate(ORIGIN, new SecureRandom());
    String forged = other.sign(publisher.latest().orElseThrow().body());
    Report report =
        verifier().verify(graph.journal, Optional.empty(), key.verifierKey(), forged, List.of());
    assertEquals(Set.of(FaultKind.CHECKPOINT_INVALID), kinds(report));
  }

  @Test
  void earlierCheckpointOfAnotherHistory_isInconsistent() throws Exception {
    var other = new io.arbiter.ledger.MerkleTree();
    for (int i = 0; i < 3; i++) {
      other.append(new byte[] {(byte) i});
    }
    String forkedButSigned =
        key.sign(new io.arbiter.ledger.Checkpoint(ORIGIN, 3, other.root(3)).body());
    Report report = verify(List.of(forkedButSigned));
    assertEquals(Set.of(FaultKind.LOG_INCONSISTENT), kinds(report));
  }

  @Test
  void alteredTile_isNamed() throws Exception {
    Path tile = dir.resolve("ledger/tile/0/000.p/8");
    byte[] bytes = Files.readAllBytes(tile);
    bytes[40] ^= 1;
    Files.write(tile, bytes);
    Report report = verify(List.of());
    assertEquals(Set.of(FaultKind.TILE_ALTERED), kinds(report));
    assertTrue(
        report.faults().get(0).message().contains("tile/0/000.p/8"), report.faults().toString());
  }

  @Test
  void deletedTiles_areWrittenAgainAtTheNextCheckpoint() throws Exception {
    Path entries = dir.resolve("ledger/tile/entries/000.p/8");
    Files.delete(entries);
    new CheckpointPublisher(graph.tree, key, ORIGIN, dir.resolve("checkpoint"), tiles()).start();
    assertTrue(Files.exists(entries));
    assertTrue(verify(List.of()).ok());
  }

  private Path onlySegment() throws Exception {
    try (var files = Files.list(dir.resolve("tdb2/journal"))) {
      List<Path> segments = files.filter(f -> f.toString().endsWith(".journal")).toList();
      assertEquals(1, segments.size());
      return segments.get(0);
    }
  }

  /** The byte offset of record {@code sequence}, walking the documented segment format. */
  private static long recordOffset(Path segment, long sequence) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    long offset = 16; // "ARBJRNL1" and the first sequence
    for (long seq = 0; seq < sequence; seq++) {
      offset += 8 + bytes.getInt((int) offset);
    }
    return offset;
  }
}
