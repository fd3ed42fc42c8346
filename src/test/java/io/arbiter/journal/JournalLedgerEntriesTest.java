package io.arbiter.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.journal.FileJournalTest.TestDraft;
import io.arbiter.ledger.CheckpointPublisher;
import io.arbiter.ledger.LedgerKeys;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.ledger.NoteKey;
import io.arbiter.ledger.TileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint signer against the real journal, in the moment a durable batch is in the tree but
 * not yet readable: the runtime grows the tree in a durable listener, before the journal publishes
 * the batch's size, so a scheduled signing can fall in between (it did, after redeploys in CI:
 * "tile/entries/... is beyond the log", and intake refused while the signer reported failing).
 */
class JournalLedgerEntriesTest {

  private static final String ORIGIN = "localhost/id/ledger";

  @TempDir Path dir;

  @Test
  void aCheckpointSignedWhileTheTreeIsAheadOfTheJournal_coversWhatIsReadable() {
    MerkleTree tree = new MerkleTree();
    NoteKey key = LedgerKeys.load(Optional.empty(), dir.resolve("keys/ledger.key"), ORIGIN);
    List<Long> signedInTheGap = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (FileJournal journal =
        FileJournal.open(
            dir.resolve("journal"),
            new FileJournal.Settings(1 << 20, 64, 1024, false),
            record -> true,
            task -> {
              Thread thread = new Thread(task);
              thread.setDaemon(true);
              return thread;
            })) {
      CheckpointPublisher publisher =
          new CheckpointPublisher(
              tree,
              key,
              ORIGIN,
              dir.resolve("ledger/checkpoint"),
              new TileStore(dir.resolve("ledger"), new JournalLedgerEntries(journal)));
      publisher.start();
      journal.onDurable((sequence, draft, entry) -> tree.appendLeafHash(MerkleHashes.leaf(entry)));
      // The signer's tick, falling after the tree grew and before the record is readable.
      journal.onDurable(
          (sequence, draft, entry) -> {
            publisher.publish();
            publisher.failure().ifPresent(failures::add);
            signedInTheGap.add(publisher.latest().map(c -> c.size()).orElse(-1L));
          });
      for (int i = 0; i < 5; i++) {
        journal.append(new TestDraft("e" + i)).join();
      }
      assertEquals(List.of(), failures);
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L), signedInTheGap, "only readable entries signed");
      assertTrue(publisher.publish(), "the rest is signed once readable");
      assertEquals(5, publisher.latest().orElseThrow().size());
      assertTrue(publisher.failure().isEmpty());
    }
  }
}
