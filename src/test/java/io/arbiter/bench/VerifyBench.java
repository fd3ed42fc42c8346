package io.arbiter.bench;

import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.store.Tdb2ProvStore;
import io.arbiter.graph.verify.LedgerVerifier;
import io.arbiter.journal.Draft;
import io.arbiter.journal.FileJournal;
import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.ledger.NoteKey;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Verification at scale. A real decision's journal record (demo policy, through the real write
 * path) is the template; N records like it — its ids replaced, so every bundle, digest and entry is
 * distinct — are appended to a journal, with the ledger tree over them and a signed checkpoint.
 * Then, in one run: the journal pass the offline verifier runs (every record read and its CRC
 * checked, every entry parsed, every bundle digest recomputed, the tree rebuilt and checked against
 * the checkpoint), on the plain journal and on the same records compressed; and, for {@code --graph
 * M}, the first M records bulk-loaded into TDB2 and the graph pass (every bundle read back from
 * TDB2 and compared with its record).
 *
 * <pre>
 * mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.VerifyBench -Dexec.args="--n 1000000 --graph 100000"
 * [--plain false] [--data-dir DIR]
 * </pre>
 *
 * <p>{@code --data-dir} keeps the compressed journal and the TDB2 store there; a later run with the
 * same directory reuses both (a million records take half an hour to load) and only verifies.
 */
public final class VerifyBench {

  private VerifyBench() {}

  /** A synthetic record: its entry's bytes take the sequence the journal gives it. */
  private record Record(
      String bundleIri, String subjectIri, byte[] bundle, LedgerEntry.Template template)
      implements Draft {
    @Override
    public byte[] entry(long sequence) {
      return template.bytes(sequence);
    }
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "100000"));
    int graph = Integer.parseInt(IntakeBench.option(args, "--graph", "0"));
    String kept = IntakeBench.option(args, "--data-dir", null);
    Path dir = kept == null ? Files.createTempDirectory("arbiter-verify-bench") : Path.of(kept);
    if (kept != null && Files.isDirectory(dir.resolve("compressed"))) {
      reuse(dir, graph);
      return;
    }
    try {
      String template;
      String oldId;
      String oldBundle;
      LedgerEntry templateEntry;
      try (TestStore store = new TestStore(dir.resolve("template"))) {
        var recorded =
            TestApp.demo(store, false)
                .decisions
                .submit(
                    Fixtures.request(90000, 56000, 0.1, "approve", 0.9),
                    "integrator",
                    Optional.empty())
                .recorded();
        template =
            new String(
                store.journal.read(recorded.sequence()).orElseThrow().bundle(),
                StandardCharsets.UTF_8);
        oldId = recorded.decision().id().value();
        oldBundle = recorded.bundleIri();
        templateEntry =
            LedgerEntry.parse(store.journal.read(recorded.sequence()).orElseThrow().entry());
      }
      String origin = "arbiter.bench/ledger";
      NoteKey key = NoteKey.generate(origin, new SecureRandom());
      // --plain false leaves the plain journal out: at a million records it is 25 GB of disk the
      // graph pass (which reads the compressed one) does not need.
      boolean plain = Boolean.parseBoolean(IntakeBench.option(args, "--plain", "true"));
      for (boolean compress : plain ? new boolean[] {false, true} : new boolean[] {true}) {
        Path journalDir = dir.resolve(compress ? "compressed" : "plain");
        MerkleTree tree = new MerkleTree();
        long started = System.nanoTime();
        try (FileJournal journal =
            FileJournal.open(
                journalDir,
                new FileJournal.Settings(64L << 20, 4096, 65_536, compress),
                r -> true,
                Thread::new)) {
          journal.onDurable(
              (sequence, draft, entry) -> tree.appendLeafHash(MerkleHashes.leaf(entry)));
          List<CompletableFuture<Long>> window = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            window.add(journal.append(record(template, templateEntry, oldId, oldBundle, i)));
            if (window.size() == 4096) {
              window.forEach(CompletableFuture::join);
              window.clear();
            }
          }
          window.forEach(CompletableFuture::join);
          awaitCompressed(journalDir, compress);
          System.out.printf(
              Locale.ROOT,
              "%s journal: %,d records appended in %.0f s; %.1f KB per record on disk%n",
              compress ? "compressed" : "plain",
              n,
              (System.nanoTime() - started) / 1e9,
              journal.diskBytes() / 1e3 / n);
        }
        String checkpoint = key.sign(new Checkpoint(origin, n, tree.root(n)).body());
        for (int round = 0; round < 2; round++) {
          long t0 = System.nanoTime();
          LedgerVerifier.JournalPass pass = LedgerVerifier.newJournalPass();
          try (FileJournal journal =
              FileJournal.open(
                  journalDir,
                  new FileJournal.Settings(64L << 20, 4096, 65_536, compress),
                  pass,
                  Thread::new)) {
            var report =
                new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.empty())
                    .verify(
                        pass.finish(),
                        journal,
                        Optional.empty(),
                        key.verifierKey(),
                        checkpoint,
                        List.of());
            if (!report.ok()) {
              throw new IllegalStateException("the benchmark's journal does not verify: " + report);
            }
            System.out.printf(
                Locale.ROOT,
                "  journal + ledger + checkpoint verification, round %d: %.1f s (%,.0f records/s)%n",
                round + 1,
                (System.nanoTime() - t0) / 1e9,
                n / ((System.nanoTime() - t0) / 1e9));
          }
        }
        if (graph > 0 && compress) {
          graphPass(journalDir, dir.resolve("tdb2"), Math.min(graph, n), key, origin, tree);
        }
      }
    } finally {
      if (kept == null) {
        IntakeBench.delete(dir);
      }
    }
  }

  /**
   * A kept directory: the tree is rebuilt from the journal's entries, and only verification runs.
   */
  private static void reuse(Path dir, int graph) throws Exception {
    String origin = "arbiter.bench/ledger";
    NoteKey key = NoteKey.generate(origin, new SecureRandom());
    MerkleTree tree = new MerkleTree();
    try (FileJournal journal =
        FileJournal.open(
            dir.resolve("compressed"), FileJournal.Settings.defaults(), r -> true, Thread::new)) {
      journal.forEach(
          0,
          journal.size(),
          record -> {
            tree.appendLeafHash(MerkleHashes.leaf(record.entry()));
            return true;
          });
    }
    System.out.printf(Locale.ROOT, "kept journal: %,d records%n", tree.size());
    graphPass(
        dir.resolve("compressed"),
        dir.resolve("tdb2"),
        Math.min(graph, tree.size()),
        key,
        origin,
        tree);
  }

  private static void graphPass(
      Path journalDir, Path tdb2, long records, NoteKey key, String origin, MerkleTree tree)
      throws Exception {
    try (FileJournal journal =
            FileJournal.open(journalDir, FileJournal.Settings.defaults(), r -> true, Thread::new);
        Tdb2ProvStore store = Tdb2ProvStore.open(tdb2, TestStore.IRIS)) {
      long t0 = System.nanoTime();
      if (store.projected() >= records) {
        System.out.printf(Locale.ROOT, "graph: %,d records kept in TDB2%n", store.projected());
      } else {
        store.load(journal, records);
        System.out.printf(
            Locale.ROOT,
            "graph: %,d records bulk-loaded into TDB2 in %.0f s, %.1f KB per record%n",
            records,
            (System.nanoTime() - t0) / 1e9,
            store.diskBytes() / 1e3 / records);
      }
      // The store holds the first records only: verify those against a checkpoint of that size.
      String checkpoint = key.sign(new Checkpoint(origin, records, tree.root(records)).body());
      long t1 = System.nanoTime();
      var pass = LedgerVerifier.newJournalPass();
      journal.forEach(0, records, pass);
      var report =
          new LedgerVerifier(TestStore.IRIS.ledgerGraph(), Optional.empty())
              .verify(
                  pass.finish(),
                  journal,
                  Optional.of(store),
                  key.verifierKey(),
                  checkpoint,
                  List.of());
      System.out.printf(
          Locale.ROOT,
          "  journal pass %.1f s, graph pass %.1f s (%,.0f records/s) over %,d bundles; %s%n",
          report.journalPass().toNanos() / 1e9,
          report.graphPass().toNanos() / 1e9,
          records / (report.graphPass().toNanos() / 1e9),
          report.bundles(),
          report.ok() ? "OK" : "FAULTS " + report.faults().subList(0, 3));
      System.out.printf(
          Locale.ROOT, "  (whole verification %.1f s)%n", (System.nanoTime() - t1) / 1e9);
    }
  }

  /** The template's record with its decision id and bundle name made the i-th of their kind. */
  private static Record record(
      String template, LedgerEntry like, String oldId, String oldBundle, int i) {
    String id = String.format("%08x-0000-7000-8000-%012x", i, (long) i);
    String bundle = TestStore.IRIS.bundle("b" + id);
    // The ids changed, the lines are sorted again: a canonical bundle, as the write path makes.
    List<byte[]> lines = new ArrayList<>();
    for (String line : template.replace(oldBundle, bundle).replace(oldId, id).split("\n")) {
      lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    lines.sort(java.util.Arrays::compareUnsigned);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    lines.forEach(out::writeBytes);
    byte[] bytes = out.toByteArray();
    LedgerEntry.Template entry =
        LedgerEntry.template(
            like.type(),
            like.time(), // the bundle's own time, which its description states
            like.actor(),
            TestStore.IRIS.decision(id),
            bundle,
            BundleDigest.sha256(bytes));
    return new Record(bundle, TestStore.IRIS.decision(id), bytes, entry);
  }

  private static void awaitCompressed(Path journalDir, boolean compress) throws Exception {
    if (!compress) {
      return;
    }
    for (int i = 0; i < 6000; i++) {
      try (var files = Files.list(journalDir)) {
        if (files.filter(f -> f.toString().endsWith(".journal")).count() <= 1) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }
}
