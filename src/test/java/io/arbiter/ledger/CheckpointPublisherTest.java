package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointPublisherTest {

  private static final String ORIGIN = "localhost/id/ledger";

  @TempDir Path dir;

  private static MerkleTree tree(int size) {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < size; i++) {
      tree.append(entry(i));
    }
    return tree;
  }

  private static byte[] entry(long i) {
    return ("e" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Entries "e0", "e1", ... as the log under test holds them. */
  private static final LedgerEntries ENTRIES =
      new LedgerEntries() {
        @Override
        public Optional<byte[]> entry(long seq) {
          return Optional.of(CheckpointPublisherTest.entry(seq));
        }

        @Override
        public long size() {
          return Long.MAX_VALUE; // every entry the tree holds can be read
        }

        @Override
        public void forEach(long from, long to, java.util.function.BiConsumer<Long, byte[]> sink) {
          for (long i = from; i < to; i++) {
            sink.accept(i, CheckpointPublisherTest.entry(i));
          }
        }
      };

  private CheckpointPublisher publisher(MerkleTree tree) {
    NoteKey key = LedgerKeys.load(Optional.empty(), dir.resolve("keys/ledger.key"), ORIGIN);
    return new CheckpointPublisher(
        tree,
        key,
        ORIGIN,
        dir.resolve("ledger/checkpoint"),
        new TileStore(dir.resolve("ledger"), ENTRIES));
  }

  @Test
  void publish_signsOnlyWhenTheTreeGrew_andStoresTheNote() throws Exception {
    MerkleTree tree = tree(3);
    CheckpointPublisher publisher = publisher(tree);
    publisher.start();
    assertEquals(3, publisher.latest().orElseThrow().size());
    assertFalse(publisher.publish());
    tree.append(entry(3));
    assertTrue(publisher.publish());
    String stored = Files.readString(dir.resolve("ledger/checkpoint"));
    assertEquals(publisher.latestNote().orElseThrow(), stored);
    Checkpoint read =
        Checkpoint.parse(NoteVerifier.parse(publisher.key().verifierKey()).verify(stored));
    assertEquals(4, read.size());
  }

  @Test
  void aCheckpointThatCannotBeStored_isReportedUntilOneIs() throws Exception {
    MerkleTree tree = tree(3);
    CheckpointPublisher publisher = publisher(tree);
    publisher.start();
    assertTrue(publisher.failure().isEmpty());
    // A directory where the temporary file must go: the write fails, as on a full or broken disk.
    Path blocker = Files.createDirectories(dir.resolve("ledger/checkpoint.tmp"));
    tree.append(entry(3));
    assertFalse(publisher.publish());
    assertTrue(publisher.failure().orElseThrow().contains("cannot store"));
    assertEquals(3, publisher.latest().orElseThrow().size(), "the last good checkpoint stands");
    Files.delete(blocker);
    assertTrue(publisher.publish());
    assertTrue(publisher.failure().isEmpty());
    assertEquals(4, publisher.latest().orElseThrow().size());
  }

  @Test
  void start_onATruncatedLedger_refuses() {
    publisher(tree(10)).start();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> publisher(tree(7)).start());
    assertTrue(e.getMessage().contains("truncated or altered"), e.getMessage());
  }

  @Test
  void start_onARewrittenLedger_refuses() {
    publisher(tree(10)).start();
    MerkleTree rewritten = new MerkleTree();
    for (int i = 0; i < 10; i++) {
      rewritten.append(("other" + i).getBytes(StandardCharsets.UTF_8));
    }
    assertThrows(IllegalStateException.class, () -> publisher(rewritten).start());
  }

  @Test
  void start_onACheckpointSignedByAnotherKey_refuses() throws Exception {
    publisher(tree(2)).start();
    Files.delete(dir.resolve("keys/ledger.key"));
    assertThrows(IllegalStateException.class, () -> publisher(tree(2)).start());
  }

  @Test
  void start_afterRestartWithMoreEntries_continues() {
    publisher(tree(5)).start();
    CheckpointPublisher restarted = publisher(tree(9));
    restarted.start();
    assertEquals(9, restarted.latest().orElseThrow().size());
  }

  @Test
  void generatedKey_isOwnerOnly_andReloaded() throws Exception {
    NoteKey first = LedgerKeys.load(Optional.empty(), dir.resolve("keys/ledger.key"), ORIGIN);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("keys/ledger.key"))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys"))));
    assertEquals(
        first.verifierKey(),
        LedgerKeys.load(Optional.empty(), dir.resolve("keys/ledger.key"), ORIGIN).verifierKey());
    assertThrows(
        IllegalStateException.class,
        () -> LedgerKeys.load(Optional.empty(), dir.resolve("keys/ledger.key"), "another/log"));
    assertThrows(
        IllegalStateException.class,
        () ->
            LedgerKeys.load(
                Optional.of(dir.resolve("missing.key")), dir.resolve("unused"), ORIGIN));
  }
}
