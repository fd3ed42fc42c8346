package io.arbiter.graph.store;

import io.arbiter.config.DurableFiles;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.prov.GraphReads;
import io.arbiter.journal.Draft;
import io.arbiter.journal.FileJournal;
import io.arbiter.ledger.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * Moves a data directory written before the journal onto one: writes the journal from the store's
 * own ledger entries and bundles, then lets the projector place every bundle in the ledger graph. A
 * store loaded from an export (which carries the ledger entries) is adopted the same way.
 *
 * <p>Nothing is lost or changed: every entry keeps its exact bytes (so every leaf, root and signed
 * checkpoint still holds), and every record's bundle is the stored bundle as canonical N-Quads,
 * checked against its entry's digest before it is written. A bundle that does not match stops the
 * migration, naming it: the store was altered, and the verifier says how. The journal is written
 * beside its final place and moved there whole, so a crash during migration leaves the old layout,
 * which the next start migrates again.
 */
public final class JournalMigration {

  private static final Logger LOG = Logger.getLogger(JournalMigration.class.getName());
  private static final int WINDOW = 1_000;

  private JournalMigration() {}

  /** Whether {@code directory} holds journal segments. */
  public static boolean hasJournal(Path directory) {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (var files = Files.list(directory)) {
      return files.anyMatch(
          file -> {
            String name = file.getFileName().toString();
            return name.endsWith(".journal") || name.endsWith(".journal.z");
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /**
   * Writes the journal into {@code directory} from {@code store} if there is none yet and the store
   * was written before the journal; returns how many records it wrote.
   */
  static long migrateIfNeeded(
      ProvStore store,
      IriScheme iris,
      Path directory,
      FileJournal.Settings settings,
      ThreadFactory threads) {
    if (hasJournal(directory) || store.projected() > 0) {
      return 0;
    }
    LedgerGraph ledger = new LedgerGraph(iris);
    long records =
        store.query(
            ledger.legacyEntryCount(), Duration.ofMinutes(10), LedgerGraph::legacyNextSequence);
    if (records == 0) {
      return 0;
    }
    long started = System.nanoTime();
    LOG.info(() -> "migrating " + records + " events of a store written before the journal");
    Path staging = directory.resolveSibling(directory.getFileName() + ".migrating");
    deleteTree(staging);
    try (FileJournal journal = FileJournal.open(staging, settings, record -> true, threads)) {
      store.read(
          snapshot -> {
            List<CompletableFuture<Long>> window = new ArrayList<>();
            snapshot.query(
                ledger.legacyEntries(0, records),
                Duration.ofHours(6),
                rows ->
                    LedgerGraph.each(
                        rows,
                        (sequence, bytes) -> {
                          window.add(journal.append(draft(snapshot, sequence, bytes)));
                          if (window.size() >= WINDOW) {
                            awaitAll(window);
                          }
                        }));
            awaitAll(window);
            return null;
          });
      if (journal.size() != records) {
        throw new IllegalStateException(
            "the store states "
                + records
                + " events but holds "
                + journal.size()
                + " ledger entries: run the verifier before migrating");
      }
    }
    try {
      Files.createDirectories(directory.getParent());
      deleteTree(directory);
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.forceDirectory(directory.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the migrated journal into " + directory, e);
    }
    LOG.info(
        () ->
            "wrote the journal of "
                + records
                + " events in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms; the projector now places each bundle in the ledger graph");
    return records;
  }

  /** The record of a legacy entry: its exact bytes, and its bundle as stored, checked. */
  private static Draft draft(GraphReads.Snapshot snapshot, long sequence, byte[] bytes) {
    LedgerEntry entry;
    try {
      entry = LedgerEntry.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "ledger entry " + sequence + " is not canonical: run the verifier", e);
    }
    if (entry.seq() != sequence) {
      throw new IllegalStateException(
          "ledger entry " + sequence + " claims sequence " + entry.seq() + ": run the verifier");
    }
    var triples =
        snapshot
            .triples(entry.bundle())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "bundle "
                            + entry.bundle()
                            + " of ledger entry "
                            + sequence
                            + " is missing: run the verifier"));
    byte[] nquads = BundleDigest.canonicalNQuads(entry.bundle(), triples);
    if (!BundleDigest.sha256(nquads).equals(entry.bundleDigest())) {
      // Digested before lines were sorted in code point order: keep the bytes it was taken over.
      nquads = BundleDigest.utf16OrderedNQuads(entry.bundle(), triples);
      if (!BundleDigest.sha256(nquads).equals(entry.bundleDigest())) {
        throw new IllegalStateException(
            "bundle "
                + entry.bundle()
                + " no longer matches ledger entry "
                + sequence
                + ": the store was altered; run the verifier");
      }
    }
    return new Migrated(entry.bundle(), entry.subject(), nquads, sequence, bytes);
  }

  /** A legacy event's record: its entry keeps its exact bytes, so it must keep its number. */
  private record Migrated(
      String bundleIri, String subjectIri, byte[] bundle, long sequence, byte[] entryBytes)
      implements Draft {
    @Override
    public byte[] entry(long assigned) {
      if (assigned != sequence) {
        throw new IllegalStateException(
            "ledger entry " + sequence + " would become record " + assigned);
      }
      return entryBytes;
    }
  }

  private static void awaitAll(List<CompletableFuture<Long>> window) {
    for (CompletableFuture<Long> appended : window) {
      appended.join();
    }
    window.clear();
  }

  private static void deleteTree(Path root) {
    try {
      DurableFiles.deleteTree(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
