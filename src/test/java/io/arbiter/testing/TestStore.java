package io.arbiter.testing;

import io.arbiter.event.EventLog;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.graph.store.CompactionPolicy;
import io.arbiter.graph.store.GraphRuntime;
import io.arbiter.graph.store.ProvStore;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import io.arbiter.ledger.MerkleTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The write path as the application wires it ({@link GraphRuntime}): a journal, TDB2 in a temporary
 * folder (or any other {@link ProvStore} handed in: a Fuseki over HTTP, for one), the projector
 * between them, and the event log intake writes to.
 */
public final class TestStore implements AutoCloseable {

  public static final IriScheme IRIS = new IriScheme("http://arbiter.test/id/");

  /** The TDB2 folder, or null for a store handed in. */
  public final Path directory;

  /** Where the journal is kept. */
  public final Path journalDirectory;

  public final GraphRuntime runtime;

  /** The graph as the services read it (the journal where the projection lags). */
  public final GraphReads store;

  /** The store itself. */
  public final ProvStore provStore;

  public final EventLog writer;
  public final FileJournal journal;
  public final MerkleTree tree;

  private final boolean ownsJournal;

  /** TDB2 in {@code directory}, the journal in its {@code journal} folder. */
  public TestStore(Path directory) {
    this(directory, CompactionPolicy.never());
  }

  public TestStore(Path directory, CompactionPolicy compaction) {
    this(directory, settings(compaction));
  }

  /** TDB2 in {@code directory} with the write path's settings (benchmarks vary them). */
  public TestStore(Path directory, GraphRuntime.Settings settings) {
    this(
        directory,
        Tdb2ProvStore.open(directory, IRIS),
        directory.resolve("journal"),
        false,
        settings);
  }

  /** The test settings with at most {@code batchMax} events per journal group commit. */
  public static GraphRuntime.Settings journalBatch(int batchMax) {
    GraphRuntime.Settings test = settings(CompactionPolicy.never());
    return new GraphRuntime.Settings(
        new FileJournal.Settings(
            test.journal().segmentBytes(), batchMax, test.journal().queueCapacity()),
        test.projection(),
        test.compaction(),
        test.readYourWrites());
  }

  /** Over {@code store} (written under {@link #IRIS}), which {@link #close} closes. */
  public TestStore(ProvStore store) {
    this(null, store, temporary(), true, settings(CompactionPolicy.never()));
  }

  /** Over {@code store}, with the journal kept in {@code journalDirectory}. */
  public TestStore(ProvStore store, Path journalDirectory) {
    this(null, store, journalDirectory, false, settings(CompactionPolicy.never()));
  }

  private TestStore(
      Path directory,
      ProvStore store,
      Path journalDirectory,
      boolean ownsJournal,
      GraphRuntime.Settings settings) {
    this.directory = directory;
    this.journalDirectory = journalDirectory;
    this.ownsJournal = ownsJournal;
    try {
      this.runtime =
          GraphRuntime.open(journalDirectory, store, IRIS, new MerkleTree(), settings, Thread::new);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.provStore = store;
    this.store = runtime.reads();
    this.writer = runtime.events();
    this.journal = runtime.journal();
    this.tree = runtime.tree();
  }

  private static GraphRuntime.Settings settings(CompactionPolicy compaction) {
    GraphRuntime.Settings defaults = GraphRuntime.Settings.defaults();
    return new GraphRuntime.Settings(
        defaults.journal(), defaults.projection(), compaction, Duration.ofSeconds(30));
  }

  private static Path temporary() {
    try {
      return Files.createTempDirectory("arbiter-journal");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many events the log holds. */
  public long size() {
    return journal.size();
  }

  /** Waits until the store holds every event recorded so far. */
  public void settle() {
    if (!runtime.projector().await(journal.size(), Duration.ofSeconds(60))) {
      throw new AssertionError(
          "the projection did not catch up: "
              + runtime.projector().projected()
              + " of "
              + journal.size()
              + runtime.projector().failure().map(f -> " (" + f + ")").orElse(""));
    }
  }

  /**
   * Signs a checkpoint over the whole log (a fresh key, tiles under {@code ledger}) and runs the
   * full verification the verifier command runs: journal, checkpoint, tiles, and the store against
   * the journal once it has caught up.
   */
  public io.arbiter.graph.verify.LedgerVerifier.Report verify(Path ledger) {
    var key =
        io.arbiter.ledger.NoteKey.generate("arbiter.test/ledger", new java.security.SecureRandom());
    var tiles =
        new io.arbiter.ledger.TileStore(
            ledger.resolve("tiles"), new io.arbiter.journal.JournalLedgerEntries(journal));
    var publisher =
        new io.arbiter.ledger.CheckpointPublisher(
            tree, key, "arbiter.test/ledger", ledger.resolve("checkpoint"), tiles);
    publisher.start();
    settle();
    return new io.arbiter.graph.verify.LedgerVerifier(
            IRIS.ledgerGraph(), java.util.Optional.of(tiles))
        .verify(
            journal,
            java.util.Optional.of(provStore),
            key.verifierKey(),
            publisher.latestNote().orElseThrow(),
            java.util.List.of());
  }

  private boolean closed;

  /** Closes the write path; a second call does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    runtime.close();
    if (ownsJournal) {
      try {
        io.arbiter.config.DurableFiles.deleteTree(journalDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
