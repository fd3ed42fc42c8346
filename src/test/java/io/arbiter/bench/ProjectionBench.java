package io.arbiter.bench;

import io.arbiter.graph.store.Compactor;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import io.arbiter.journal.JournalRecord;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the projection costs, apart from intake: records N demo decisions through the real write
 * path (journal, projector behind it), then applies the same journal to fresh TDB2 stores in
 * different ways, in one run — the projector's transactions of up to 5,000 records with TDB2's six
 * quad indexes (the baseline) and with four, and TDB2's parallel bulk loader — printing records/s,
 * quads/s and disk per record.
 *
 * <pre>mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.ProjectionBench -Dexec.args="--n 20000"
 * </pre>
 */
public final class ProjectionBench {

  private ProjectionBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "20000"));
    int batch = Integer.parseInt(IntakeBench.option(args, "--batch", "5000"));
    Path dir = Files.createTempDirectory("arbiter-projection");
    try {
      Path journalDir;
      try (TestStore graph = new TestStore(dir.resolve("recorded"))) {
        long started = System.nanoTime();
        IntakeBench.submit(TestApp.demo(graph, false).decisions, 32, new long[n]);
        double intake = n / ((System.nanoTime() - started) / 1e9);
        long lag = graph.runtime.projector().lagRecords();
        graph.settle();
        double recorded = n / ((System.nanoTime() - started) / 1e9);
        System.out.printf(
            Locale.ROOT,
            "recorded %,d decisions in-process with 32 threads: intake %.0f/s (journal), %.0f/s"
                + " until projected; lag when intake ended %,d records; journal %.1f KB per record%n",
            n,
            intake,
            recorded,
            lag,
            graph.journal.diskBytes() / 1e3 / graph.size());
        journalDir = graph.journalDirectory;
      }
      try (FileJournal journal =
          FileJournal.open(journalDir, FileJournal.Settings.defaults(), r -> true, Thread::new)) {
        long quads = countQuads(journal);
        System.out.printf(
            Locale.ROOT,
            "%,d records, %,d quads (%.1f per record)%n",
            journal.size(),
            quads,
            quads / (double) journal.size());
        for (int round = 0; round < 2; round++) { // the first round, on a part, warms the JIT
          boolean print = round == 1;
          long to = print ? journal.size() : Math.min(journal.size(), 3000);
          project(
              journal,
              to,
              dir.resolve("six-" + round),
              Tdb2ProvStore.TDB2_QUAD_INDEXES,
              batch,
              quads,
              print,
              "6 quad indexes");
          project(
              journal,
              to,
              dir.resolve("four-" + round),
              Tdb2ProvStore.QUAD_INDEXES,
              batch,
              quads,
              print,
              "4 quad indexes (GSPO SPOG POSG OSPG)");
          load(
              journal,
              to,
              dir.resolve("bulk-" + round),
              Tdb2ProvStore.TDB2_QUAD_INDEXES,
              quads,
              print,
              "bulk loader, 6 indexes");
          load(
              journal,
              to,
              dir.resolve("bulk4-" + round),
              Tdb2ProvStore.QUAD_INDEXES,
              quads,
              print,
              "bulk loader, 4 indexes");
        }
      }
    } finally {
      IntakeBench.delete(dir);
    }
  }

  private static long countQuads(FileJournal journal) {
    long[] quads = {0};
    journal.forEach(
        0,
        journal.size(),
        record -> {
          for (byte b : record.bundle()) {
            if (b == '\n') {
              quads[0]++;
            }
          }
          return true;
        });
    return quads[0];
  }

  private static void project(
      FileJournal journal,
      long to,
      Path target,
      List<String> indexes,
      int batch,
      long quads,
      boolean print,
      String label) {
    try (Tdb2ProvStore store = Tdb2ProvStore.open(target, TestStore.IRIS, indexes)) {
      long started = System.nanoTime();
      List<JournalRecord> records = new ArrayList<>(batch);
      journal.forEach(
          0,
          to,
          record -> {
            records.add(record);
            if (records.size() == batch) {
              store.project(records);
              records.clear();
            }
            return true;
          });
      if (!records.isEmpty()) {
        store.project(records);
      }
      report(print, label + ", transactions of " + batch, to, quads, started, store);
    }
  }

  private static void load(
      FileJournal journal,
      long to,
      Path target,
      List<String> indexes,
      long quads,
      boolean print,
      String label) {
    try (Tdb2ProvStore store = Tdb2ProvStore.open(target, TestStore.IRIS, indexes)) {
      long started = System.nanoTime();
      store.load(journal, to);
      report(print, label, to, quads, started, store);
    }
  }

  private static void report(
      boolean print, String label, long records, long quads, long started, Tdb2ProvStore store) {
    double seconds = (System.nanoTime() - started) / 1e9;
    long bytes = store.diskBytes();
    Compactor.compactIdle(store);
    long compacted = store.diskBytes();
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "%-55s %8.0f records/s %9.0f quads/s  disk %.1f KB/record (%.1f KB compacted)%n",
          label,
          records / seconds,
          quads / seconds,
          bytes / 1e3 / records,
          compacted / 1e3 / records);
    }
  }
}
