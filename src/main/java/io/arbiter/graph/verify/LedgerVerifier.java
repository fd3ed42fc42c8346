package io.arbiter.graph.verify;

import io.arbiter.graph.prov.BundleDigest;
import io.arbiter.graph.prov.Vocab;
import io.arbiter.graph.store.ProvStore;
import io.arbiter.graph.store.RecordQuads;
import io.arbiter.jobs.Progress;
import io.arbiter.journal.Journal;
import io.arbiter.journal.JournalException;
import io.arbiter.journal.JournalRecord;
import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import io.arbiter.ledger.NoteException;
import io.arbiter.ledger.NoteVerifier;
import io.arbiter.ledger.ProofException;
import io.arbiter.ledger.TileStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.sparql.graph.GraphFactory;

/**
 * Checks the journal, the ledger and the graph against each other, trusting nothing but the
 * checkpoint key. Each fault names the sequence number and bundle at fault.
 *
 * <p>The journal pass: every record is read whole (its CRC holds), its entry is canonical and
 * numbered as the record is, and its bundle bytes hash to the entry's digest; the tree rebuilt from
 * the entries must match the latest signed checkpoint and extend every earlier one given (a
 * truncated or rewritten log does not), and the stored tiles must be the tree's.
 *
 * <p>The graph pass (when a store is given): every record the store says it holds has its bundle
 * there, equal to the record's (so it hashes to the entry's digest) and describing itself as the
 * entry does; and the store holds no bundle the journal lacks.
 */
public final class LedgerVerifier {

  /** What is wrong, and where. */
  public enum FaultKind {
    JOURNAL_DAMAGED,
    ENTRY_ALTERED,
    RECORD_ALTERED,
    BUNDLE_MISSING,
    BUNDLE_ALTERED,
    BUNDLE_WITHOUT_ENTRY,
    STORE_AHEAD,
    CHECKPOINT_INVALID,
    CHECKPOINT_MISMATCH,
    LOG_TRUNCATED,
    LOG_INCONSISTENT,
    TILE_ALTERED
  }

  /**
   * One fault.
   *
   * @param sequence the entry or bundle at fault, if the fault is about one
   */
  public record Fault(
      FaultKind kind, Optional<Long> sequence, Optional<String> bundle, String message) {}

  /**
   * The outcome: every fault found, how far the log was checked, and how long each pass took.
   *
   * @param bundles bundles checked in the store (0 without a store)
   */
  public record Report(
      long entries,
      long bundles,
      Optional<Long> checkpointSize,
      List<Fault> faults,
      Duration journalPass,
      Duration graphPass) {
    public boolean ok() {
      return faults.isEmpty();
    }
  }

  private static final Node IDENTIFIER = Vocab.Dc.identifier.asNode();
  static final int WINDOW = 256;

  private final String ledgerGraph;
  private final Optional<TileStore> tiles;
  private final int readAhead;

  /**
   * @param ledgerGraph the ledger graph's IRI: the one graph in the store that is not a bundle
   * @param tiles the stored tiles to check too, if any
   */
  public LedgerVerifier(String ledgerGraph, Optional<TileStore> tiles) {
    this(ledgerGraph, tiles, GraphPass.READ_AHEAD);
  }

  /** As above, holding at most {@code readAhead} store graphs while their records are awaited. */
  LedgerVerifier(String ledgerGraph, Optional<TileStore> tiles, int readAhead) {
    this.ledgerGraph = ledgerGraph;
    this.tiles = tiles;
    this.readAhead = readAhead;
  }

  /**
   * Verifies {@code journal}, and {@code store} against it if given.
   *
   * @param verifierKey the trusted checkpoint key ({@code name+hash+key})
   * @param latest the latest signed checkpoint note
   * @param earlier older signed checkpoint notes the log must still extend
   */
  public Report verify(
      Journal journal,
      Optional<ProvStore> store,
      String verifierKey,
      String latest,
      List<String> earlier) {
    return verify(journal, store, verifierKey, latest, earlier, Progress.NONE);
  }

  /**
   * As above, telling {@code progress} of each journal record checked, once in the journal pass and
   * once more in the graph pass (the total is both passes' records).
   */
  public Report verify(
      Journal journal,
      Optional<ProvStore> store,
      String verifierKey,
      String latest,
      List<String> earlier,
      Progress progress) {
    long records = journal.size();
    progress.total(store.isPresent() ? 2 * records : records);
    JournalPass.Result journalPass;
    try (JournalPass pass = new JournalPass(progress)) {
      try {
        journal.forEach(0, records, pass);
      } catch (JournalException e) {
        pass.damaged(e);
      }
      journalPass = pass.finish();
    }
    return verify(journalPass, journal, store, verifierKey, latest, earlier, progress);
  }

  /**
   * A journal pass to feed records to in order, for a caller that reads the journal anyway (the
   * offline verifier feeds it the records the journal's own start-up scan reads).
   */
  public static JournalPass newJournalPass() {
    return new JournalPass(Progress.NONE);
  }

  /** Finishes a verification whose journal pass is done: checkpoints, tiles, then the graph. */
  public Report verify(
      JournalPass.Result journalPass,
      Journal journal,
      Optional<ProvStore> store,
      String verifierKey,
      String latest,
      List<String> earlier) {
    return verify(journalPass, journal, store, verifierKey, latest, earlier, Progress.NONE);
  }

  private Report verify(
      JournalPass.Result journalPass,
      Journal journal,
      Optional<ProvStore> store,
      String verifierKey,
      String latest,
      List<String> earlier,
      Progress progress) {
    List<Fault> faults = new ArrayList<>(journalPass.faults());
    MerkleTree tree = journalPass.tree();
    Optional<Long> checkpointSize = Optional.empty();
    try {
      NoteVerifier key = NoteVerifier.parse(verifierKey);
      Checkpoint checkpoint = checkpoint(key, latest, "the latest checkpoint", tree, faults);
      if (checkpoint != null) {
        checkpointSize = Optional.of(checkpoint.size());
      }
      for (String note : earlier) {
        checkpoint(key, note, "an earlier checkpoint", tree, faults);
      }
    } catch (NoteException e) {
      faults.add(
          fault(
              FaultKind.CHECKPOINT_INVALID,
              null,
              null,
              "the verifier key is not valid: " + e.getMessage()));
    }
    tiles.ifPresent(
        stored -> {
          for (String path : stored.altered(tree, tree.size())) {
            faults.add(
                fault(
                    FaultKind.TILE_ALTERED,
                    null,
                    null,
                    "the stored tile " + path + " does not match the log"));
          }
        });
    long started = System.nanoTime();
    long bundles = 0;
    if (store.isPresent()) {
      bundles =
          new GraphPass(store.get(), journal, tree.size(), ledgerGraph, progress, readAhead)
              .run(faults);
    }
    return new Report(
        tree.size(),
        bundles,
        checkpointSize,
        List.copyOf(faults),
        journalPass.took(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  static Fault fault(FaultKind kind, Long sequence, String bundle, String message) {
    return new Fault(kind, Optional.ofNullable(sequence), Optional.ofNullable(bundle), message);
  }

  /**
   * Checks records in the order they are handed over, on every core: workers parse entries and hash
   * bundles while the caller's thread grows the tree. At most {@link #WINDOW} records wait, so
   * memory stays bounded however long the log; faults come out in sequence order.
   */
  public static final class JournalPass implements Journal.RecordSink, AutoCloseable {

    /** What the pass found: the tree of every entry, and the faults in sequence order. */
    public record Result(MerkleTree tree, List<Fault> faults, Duration took) {}

    private final long started = System.nanoTime();
    private final MerkleTree tree = new MerkleTree();
    private final List<Fault> faults = new ArrayList<>();
    private final ExecutorService workers = workers("arbiter-verify-journal");
    private final ArrayDeque<Future<Checked>> checking = new ArrayDeque<>();

    private final Progress progress;

    private JournalPass(Progress progress) {
      this.progress = progress;
    }

    @Override
    public boolean accept(JournalRecord record) {
      progress.advance(1);
      checking.add(workers.submit(() -> Checked.of(record)));
      while (checking.size() > WINDOW) {
        collect(await(checking.remove()));
      }
      return true;
    }

    /** The journal could not be read on: a record is damaged where no crash explains it. */
    void damaged(JournalException e) {
      drain();
      faults.add(
          fault(
              FaultKind.JOURNAL_DAMAGED,
              tree.size(),
              null,
              "the journal cannot be read from record " + tree.size() + ": " + e.getMessage()));
    }

    private void drain() {
      while (!checking.isEmpty()) {
        collect(await(checking.remove()));
      }
    }

    private void collect(Checked checked) {
      tree.appendLeafHash(checked.leafHash());
      faults.addAll(checked.faults());
    }

    public Result finish() {
      drain();
      workers.shutdownNow();
      return new Result(tree, List.copyOf(faults), Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public void close() {
      workers.shutdownNow();
    }
  }

  /** One record's own checks: its entry, and its bundle against the entry's digest. */
  private record Checked(byte[] leafHash, List<Fault> faults) {
    static Checked of(JournalRecord record) {
      long seq = record.sequence();
      byte[] leafHash = MerkleHashes.leaf(record.entry());
      LedgerEntry entry;
      try {
        entry = LedgerEntry.parse(record.entry());
      } catch (IllegalArgumentException e) {
        return new Checked(
            leafHash,
            List.of(
                fault(
                    FaultKind.ENTRY_ALTERED,
                    seq,
                    null,
                    "ledger entry " + seq + " is not a canonical entry: " + e.getMessage())));
      }
      List<Fault> found = new ArrayList<>(0);
      if (entry.seq() != seq) {
        found.add(
            fault(
                FaultKind.ENTRY_ALTERED,
                seq,
                entry.bundle(),
                "ledger entry " + seq + " claims sequence " + entry.seq()));
      }
      String digest = BundleDigest.sha256(record.bundle());
      if (!digest.equals(entry.bundleDigest())) {
        found.add(
            fault(
                FaultKind.RECORD_ALTERED,
                seq,
                entry.bundle(),
                "journal record "
                    + seq
                    + " holds a bundle whose digest is "
                    + digest
                    + ", not its entry's "
                    + entry.bundleDigest()));
      } else if (!RecordQuads.graphName(record).equals(entry.bundle())) {
        found.add(
            fault(
                FaultKind.RECORD_ALTERED,
                seq,
                entry.bundle(),
                "journal record " + seq + " holds another graph than its entry names"));
      }
      return new Checked(leafHash, found);
    }
  }

  /** Whether the stored bundle is the record's, and describes itself as the entry does. */
  static List<Fault> compare(JournalRecord record, LedgerEntry entry, List<Triple> triples) {
    long seq = record.sequence();
    List<Fault> faults = new ArrayList<>(0);
    byte[] stored = BundleDigest.canonicalNQuads(entry.bundle(), triples);
    if (!Arrays.equals(stored, record.bundle())
        && !Arrays.equals(
            BundleDigest.utf16OrderedNQuads(entry.bundle(), triples), record.bundle())) {
      faults.add(
          fault(
              FaultKind.BUNDLE_ALTERED,
              seq,
              entry.bundle(),
              "bundle "
                  + entry.bundle()
                  + " (sequence "
                  + seq
                  + ") no longer matches its entry: digest "
                  + BundleDigest.sha256(stored)
                  + ", recorded "
                  + entry.bundleDigest()));
      return faults;
    }
    String mismatch = describedDifferently(entry, description(entry, triples));
    if (mismatch != null) {
      faults.add(
          fault(
              FaultKind.ENTRY_ALTERED,
              seq,
              entry.bundle(),
              "ledger entry "
                  + seq
                  + " disagrees with bundle "
                  + entry.bundle()
                  + " about its "
                  + mismatch));
    }
    return faults;
  }

  /** The bundle's own statements and identifiers: all its description reads. */
  private static Graph description(LedgerEntry entry, List<Triple> triples) {
    Node self = NodeFactory.createURI(entry.bundle());
    Graph description = GraphFactory.createDefaultGraph();
    for (Triple t : triples) {
      if (t.getSubject().equals(self) || t.getPredicate().equals(IDENTIFIER)) {
        description.add(t);
      }
    }
    return description;
  }

  /**
   * Which field of the entry the bundle's own description contradicts, or null. A bundle recorded
   * before the journal states its sequence inside itself; one recorded since does not.
   */
  private static String describedDifferently(LedgerEntry entry, Graph bundle) {
    var model = ModelFactory.createModelForGraph(bundle);
    var self = model.getResource(entry.bundle());
    var sequence = self.getProperty(Vocab.sequence);
    if (sequence != null && sequence.getLong() != entry.seq()) {
      return "sequence";
    }
    var type = self.getProperty(Vocab.eventType);
    if (type == null || !type.getString().equals(entry.type())) {
      return "event type";
    }
    var subject = self.getPropertyResourceValue(Vocab.eventSubject);
    if (subject == null || !entry.subject().equals(subject.getURI())) {
      return "subject";
    }
    var agent = self.getPropertyResourceValue(Vocab.Prov.wasAttributedTo);
    var actor = agent == null ? null : agent.getProperty(Vocab.Dc.identifier);
    if (actor == null || !actor.getString().equals(entry.actor())) {
      return "actor";
    }
    var time = self.getProperty(Vocab.Prov.generatedAtTime);
    if (time == null || !Instant.parse(time.getLiteral().getLexicalForm()).equals(entry.time())) {
      return "time";
    }
    return null;
  }

  private Checkpoint checkpoint(
      NoteVerifier key, String note, String which, MerkleTree tree, List<Fault> faults) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(key.verify(note));
    } catch (NoteException e) {
      faults.add(
          fault(
              FaultKind.CHECKPOINT_INVALID,
              null,
              null,
              which + " does not verify with the key: " + e.getMessage()));
      return null;
    }
    if (checkpoint.size() > tree.size()) {
      faults.add(
          fault(
              FaultKind.LOG_TRUNCATED,
              tree.size(),
              null,
              which
                  + " covers "
                  + checkpoint.size()
                  + " entries but the log holds "
                  + tree.size()));
      return checkpoint;
    }
    try {
      if (!MessageDigest.isEqual(tree.root(checkpoint.size()), checkpoint.root())) {
        faults.add(
            fault(
                which.startsWith("the latest")
                    ? FaultKind.CHECKPOINT_MISMATCH
                    : FaultKind.LOG_INCONSISTENT,
                checkpoint.size(),
                null,
                "the log's first "
                    + checkpoint.size()
                    + " entries do not have the root "
                    + which
                    + " signed"));
      }
    } catch (ProofException e) {
      throw new IllegalStateException("a size within the tree was refused", e);
    }
    return checkpoint;
  }

  static ExecutorService workers(String name) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors(),
        work -> {
          Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  static <T> T await(Future<T> work) {
    try {
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("verification interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
