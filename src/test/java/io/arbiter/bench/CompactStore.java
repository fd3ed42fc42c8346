package io.arbiter.bench;

import io.arbiter.event.IriScheme;
import io.arbiter.graph.store.Compactor;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.journal.FileJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Compacts a data directory's TDB2 store into the quad indexes given, as the server's compactor
 * does, and prints the disk per journal record before and after (journal included): how a kept
 * benchmark store (the census's) is brought to one layout or the other, and the disk figure of
 * docs/performance.md.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.CompactStore \
 *   --data-dir /work/census/100k --base https://arbiter.example/id/ --quad-indexes GSPO,SPOG,POSG,OSPG
 * </pre>
 */
public final class CompactStore {

  private CompactStore() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(IntakeBench.option(args, "--data-dir", "target/census")).toAbsolutePath();
    IriScheme iris = new IriScheme(IntakeBench.option(args, "--base", CensusSeed.BASE_IRI));
    List<String> indexes =
        List.of(
            IntakeBench.option(args, "--quad-indexes", String.join(",", Tdb2ProvStore.QUAD_INDEXES))
                .split(","));
    long records;
    long journalBytes;
    try (FileJournal journal =
        FileJournal.open(
            data.resolve("journal"), FileJournal.Settings.defaults(), r -> true, Thread::new)) {
      records = journal.size();
      journalBytes = journal.diskBytes();
    }
    try (Tdb2ProvStore store = Tdb2ProvStore.open(data.resolve("tdb2"), iris, indexes)) {
      long before = store.diskBytes();
      List<String> was = store.quadIndexes();
      long started = System.nanoTime();
      Compactor.compactIdle(store);
      long after = store.diskBytes();
      System.out.printf(
          Locale.ROOT,
          "%,d journal records (journal %.1f KB each); TDB2 %s %.1f KB each -> %s %.1f KB each"
              + " in %.0f s; journal + store %.1f KB per record%n",
          records,
          journalBytes / 1e3 / records,
          was,
          before / 1e3 / records,
          store.quadIndexes(),
          after / 1e3 / records,
          (System.nanoTime() - started) / 1e9,
          (journalBytes + after) / 1e3 / records);
    }
  }
}
