package io.arbiter.graph.verify;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.store.JournalMigration;
import io.arbiter.graph.store.ProvStore;
import io.arbiter.graph.store.SparqlProvStore;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import io.arbiter.journal.JournalCorruptException;
import io.arbiter.journal.JournalLedgerEntries;
import io.arbiter.ledger.NoteException;
import io.arbiter.ledger.TileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The offline verifier: {@code mvn -q exec:java -Dexec.args="--data-dir ./data"} with the server
 * stopped (the journal and TDB2 each admit one process). It checks the journal, the ledger's
 * checkpoints and tiles, and the graph store against the journal ({@link LedgerVerifier}); exit
 * status 0 when everything verifies, 1 when it found faults (each printed with its sequence number
 * and bundle), 2 on a usage error.
 *
 * <p>Options: {@code --data-dir DIR} (required); {@code --base-iri IRI} (default {@code
 * http://localhost:9080/id/}); {@code --verifier-key KEY} (default: derived from {@code
 * DIR/keys/ledger.key}); {@code --checkpoint FILE} (default {@code DIR/ledger/checkpoint}); {@code
 * --earlier FILE}, repeatable, for older checkpoints the log must still extend; {@code
 * --journal-only} to skip the graph; {@code --sparql-query URL --sparql-update URL --sparql-gsp
 * URL} to check a store kept in a SPARQL 1.1 server ({@code arbiter.store=sparql}) instead of
 * {@code DIR/tdb2}.
 */
public final class VerifyCommand {

  private VerifyCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the verifier as {@link #main} does, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out) {
    try {
      CommandOptions options =
          CommandOptions.parse(
              args,
              Set.of(
                  "--earlier",
                  "--journal-only",
                  "--sparql-query",
                  "--sparql-update",
                  "--sparql-gsp"));
      Path dataDir = options.dataDir();
      String verifierKey = options.verifierKey();
      String latest = options.latest();
      List<String> older = options.earlier();
      boolean journalOnly = options.journalOnly();
      String[] sparql = options.sparql();
      String base = options.base();
      Path journalDirectory = dataDir.resolve("journal");
      if (!JournalMigration.hasJournal(journalDirectory)) {
        out.println(
            "no journal in "
                + journalDirectory
                + ": a data directory written before the journal is migrated when Arbiter starts");
        return 2;
      }
      IriScheme iris = new IriScheme(base);
      LedgerVerifier.JournalPass pass = LedgerVerifier.newJournalPass();
      // The journal's own start-up scan reads every record and checks its CRC: the pass rides on
      // it.
      try (FileJournal journal =
          FileJournal.open(
              journalDirectory, FileJournal.Settings.defaults(), pass, VerifyCommand::thread)) {
        TileStore tiles =
            new TileStore(dataDir.resolve("ledger"), new JournalLedgerEntries(journal));
        LedgerVerifier.Report report;
        if (journalOnly) {
          report =
              new LedgerVerifier(iris.ledgerGraph(), Optional.of(tiles))
                  .verify(pass.finish(), journal, Optional.empty(), verifierKey, latest, older);
        } else {
          try (ProvStore store = open(dataDir, iris, sparql)) {
            report =
                new LedgerVerifier(iris.ledgerGraph(), Optional.of(tiles))
                    .verify(pass.finish(), journal, Optional.of(store), verifierKey, latest, older);
          }
        }
        print(report, out);
        return report.ok() ? 0 : 1;
      }
    } catch (JournalCorruptException e) {
      out.println("FAULT JOURNAL_DAMAGED: " + e.getMessage());
      out.println("FAILED: the journal is damaged");
      return 1;
    } catch (IllegalArgumentException | IOException | NoteException e) {
      out.println("usage error: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      out.println("cannot open the store: " + e.getMessage());
      return 2;
    }
  }

  private static void print(LedgerVerifier.Report report, PrintStream out) {
    out.printf(
        "entries %d, bundles %d, checkpoint size %s (journal pass %d ms, graph pass %d ms)%n",
        report.entries(),
        report.bundles(),
        report.checkpointSize().map(String::valueOf).orElse("unverified"),
        report.journalPass().toMillis(),
        report.graphPass().toMillis());
    for (LedgerVerifier.Fault fault : report.faults()) {
      out.printf(
          "FAULT %s%s%s: %s%n",
          fault.kind(),
          fault.sequence().map(s -> " seq=" + s).orElse(""),
          fault.bundle().map(b -> " bundle=" + b).orElse(""),
          fault.message());
    }
    out.println(
        report.ok()
            ? "OK: the journal matches the signed log"
                + (report.bundles() > 0 ? " and the store matches the journal" : "")
            : "FAILED: " + report.faults().size() + " faults");
  }

  static Thread thread(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  /** The TDB2 store in the data directory, or the SPARQL server if all three URLs are given. */
  static ProvStore open(Path dataDir, IriScheme iris, String[] sparql) {
    if (sparql[0] == null && sparql[1] == null && sparql[2] == null) {
      return Tdb2ProvStore.open(dataDir.resolve("tdb2"), iris);
    }
    if (sparql[0] == null || sparql[1] == null || sparql[2] == null) {
      throw new IllegalArgumentException(
          "--sparql-query, --sparql-update and --sparql-gsp go together");
    }
    return SparqlProvStore.connect(
        new SparqlProvStore.Endpoints(sparql[0], sparql[1], sparql[2]), Optional.empty(), iris);
  }
}
