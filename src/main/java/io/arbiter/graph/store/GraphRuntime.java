package io.arbiter.graph.store;

import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.graph.prov.ProvMapper;
import io.arbiter.journal.FileJournal;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.LedgerEntries;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * The write path, opened and closed together: the journal (the durability point), the Merkle tree
 * grown from it, the store it is projected into, the projector, and the event log intake writes to.
 * The server's CDI wiring and the tests both open it here, so they run the same path.
 *
 * <p>Opening: a store written before the journal is migrated onto one; the journal is scanned (a
 * torn tail cut off) while the tree is rebuilt from its entries; the store is brought up to the
 * journal before anything reads it; then the projector follows the journal on its own thread, and
 * the compactor watches the store's growth beside it. Closing: the compactor stops (a compaction
 * under way is abandoned); the journal stops taking events and forces what is queued; the projector
 * stops (what it has not applied it applies at the next start); the store closes.
 */
public final class GraphRuntime implements AutoCloseable {

  /**
   * @param readYourWrites how long the record readers behind the services wait for the projection
   *     to reach what was acknowledged when they asked, before they read what the store holds
   */
  public record Settings(
      FileJournal.Settings journal,
      Projector.Settings projection,
      CompactionPolicy compaction,
      Duration readYourWrites) {

    public static Settings defaults() {
      return new Settings(
          FileJournal.Settings.defaults(),
          Projector.Settings.defaults(),
          CompactionPolicy.never(),
          Duration.ofSeconds(5));
    }
  }

  private final ProvStore store;
  private final FileJournal journal;
  private final MerkleTree tree;
  private final Projector projector;
  private final Compactor compactor;
  private final ProjectionReads reads;
  private final EventLog events;

  private GraphRuntime(
      ProvStore store,
      FileJournal journal,
      MerkleTree tree,
      Projector projector,
      Compactor compactor,
      ProjectionReads reads,
      EventLog events) {
    this.store = store;
    this.journal = journal;
    this.tree = tree;
    this.projector = projector;
    this.compactor = compactor;
    this.reads = reads;
    this.events = events;
  }

  /**
   * Opens the write path over {@code store}, with the journal in {@code journalDirectory}. On
   * failure nothing stays open but {@code store}, which the caller closes.
   *
   * @param tree an empty tree, grown here from the journal
   */
  public static GraphRuntime open(
      Path journalDirectory,
      ProvStore store,
      IriScheme iris,
      MerkleTree tree,
      Settings settings,
      ThreadFactory threads) {
    JournalMigration.migrateIfNeeded(store, iris, journalDirectory, settings.journal(), threads);
    FileJournal journal =
        FileJournal.open(
            journalDirectory,
            settings.journal(),
            record -> {
              tree.appendLeafHash(MerkleHashes.leaf(record.entry()));
              return true;
            },
            threads);
    try {
      Unprojected unprojected = new Unprojected();
      Projector projector =
          new Projector(journal, store, unprojected, settings.projection(), threads);
      // In this order, on the sequencer, before a record is visible: the tree grows in log order,
      // readers can find the record before its caller hears of it, the projector wakes.
      journal.onDurable((sequence, draft, entry) -> tree.appendLeafHash(MerkleHashes.leaf(entry)));
      journal.onDurable((sequence, draft, entry) -> unprojected.durable(sequence, draft));
      journal.onDurable((sequence, draft, entry) -> projector.wake());
      projector.catchUp();
      projector.start();
      Compactor compactor = new Compactor(store, projector, settings.compaction(), threads);
      compactor.start();
      ProjectionReads reads =
          new ProjectionReads(store, journal, unprojected, projector, settings.readYourWrites());
      return new GraphRuntime(
          store,
          journal,
          tree,
          projector,
          compactor,
          reads,
          new JournalEventLog(journal, new ProvMapper(iris), iris));
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
  }

  /** The store itself, for the projector's owner and the verifier. */
  public ProvStore store() {
    return store;
  }

  /**
   * Reads for the services' record readers: bundles not yet projected come from the journal, and
   * queries first wait (bounded) for the projection to reach what was acknowledged.
   */
  public GraphReads reads() {
    return reads;
  }

  /** Reads for the graph API, which say which sequence they reflect instead of waiting. */
  public ProjectionReads currentReads() {
    return reads.current();
  }

  public FileJournal journal() {
    return journal;
  }

  public EventLog events() {
    return events;
  }

  public Projector projector() {
    return projector;
  }

  /** Compacts the store beside the projection, on its growth or when asked. */
  public Compactor compactor() {
    return compactor;
  }

  public MerkleTree tree() {
    return tree;
  }

  /** The ledger's entries: the journal's. */
  public LedgerEntries entries() {
    return new JournalLedgerEntries(journal);
  }

  /** Whether the journal takes events. */
  public boolean isWriting() {
    return journal.isRunning();
  }

  @Override
  public void close() {
    try {
      compactor.close();
      journal.close();
    } finally {
      try {
        projector.close();
      } finally {
        store.close();
      }
    }
  }
}
