package io.arbiter.graph.verify;

import io.arbiter.config.DurableFiles;
import io.arbiter.event.IriScheme;
import io.arbiter.graph.store.JournalMigration;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import io.arbiter.journal.JournalCorruptException;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.NoteException;
import io.arbiter.ledger.TileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Re-creates the TDB2 store from the journal, with the server stopped: {@code mvn -q exec:java
 * -Dexec.mainClass=io.arbiter.graph.verify.RebuildCommand -Dexec.args="--data-dir ./data"}. It
 * loads a fresh TDB2 beside the old one ({@code tdb2.rebuild}) with TDB2's bulk loader, verifies it
 * against the journal and the signed checkpoint, and only then puts it in place, keeping the old
 * store as {@code tdb2.replaced-<time>} (delete it once satisfied). This is how a backup is
 * restored (journal, keys and checkpoint copied back, then a rebuild), how a damaged store is
 * replaced, and how a new index layout is adopted. Exit status 0 when the new store verifies, 1
 * when it does not (it is left in {@code tdb2.rebuild} and the old store stays), 2 on a usage
 * error.
 *
 * <p>Options: {@code --data-dir DIR} (required); {@code --base-iri IRI} (default {@code
 * http://localhost:9080/id/}); {@code --verifier-key KEY} and {@code --checkpoint FILE} as for the
 * verifier. A store kept in a SPARQL server needs no command: empty its dataset and start Arbiter,
 * which projects the whole journal into it.
 */
public final class RebuildCommand {

  private RebuildCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the rebuild as {@link #main} does, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out) {
    try {
      CommandOptions options = CommandOptions.parse(args, java.util.Set.of());
      Path dataDir = options.dataDir();
      String base = options.base();
      String verifierKey = options.verifierKey();
      String latest = options.latest();
      Path journalDirectory = dataDir.resolve("journal");
      if (!JournalMigration.hasJournal(journalDirectory)) {
        throw new IllegalArgumentException("no journal in " + journalDirectory);
      }
      IriScheme iris = new IriScheme(base);
      Path fresh = dataDir.resolve("tdb2.rebuild");
      DurableFiles.deleteTree(fresh);
      LedgerVerifier.JournalPass pass = LedgerVerifier.newJournalPass();
      try (FileJournal journal =
          FileJournal.open(
              journalDirectory, FileJournal.Settings.defaults(), pass, VerifyCommand::thread)) {
        long started = System.nanoTime();
        LedgerVerifier.Report report;
        try (Tdb2ProvStore store = Tdb2ProvStore.open(fresh, iris)) {
          store.load(journal, journal.size());
        }
        Tdb2ProvStore.packIndexes(fresh); // the bulk loader leaves index blocks half empty
        out.printf(
            "loaded %d journal records into %s in %d ms%n",
            journal.size(), fresh, (System.nanoTime() - started) / 1_000_000);
        try (Tdb2ProvStore store = Tdb2ProvStore.open(fresh, iris)) {
          TileStore tiles =
              new TileStore(dataDir.resolve("ledger"), new JournalLedgerEntries(journal));
          report =
              new LedgerVerifier(iris.ledgerGraph(), Optional.of(tiles))
                  .verify(
                      pass.finish(), journal, Optional.of(store), verifierKey, latest, List.of());
        }
        report.faults().forEach(f -> out.println("FAULT " + f.kind() + ": " + f.message()));
        if (!report.ok()) {
          out.println(
              "FAILED: the rebuilt store is left in " + fresh + "; the old one is in place");
          return 1;
        }
        Path current = dataDir.resolve("tdb2");
        if (Files.exists(current)) {
          Path kept = dataDir.resolve("tdb2.replaced-" + System.currentTimeMillis());
          Files.move(current, kept, StandardCopyOption.ATOMIC_MOVE);
          out.println("the old store is kept in " + kept);
        }
        Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
        out.printf(
            "OK: %s rebuilt from %d journal records and verified (%d ms)%n",
            current, report.entries(), (System.nanoTime() - started) / 1_000_000);
        return 0;
      }
    } catch (JournalCorruptException e) {
      out.println("FAILED: the journal is damaged: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IOException | NoteException e) {
      out.println("usage error: " + e.getMessage());
      return 2;
    }
  }
}
