package io.arbiter.graph;

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
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
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
 * Replays the whole store against the ledger, trusting nothing but the checkpoint key: every entry
 * must be canonical and in sequence; every bundle must exist and hash to its entry's digest; every
 * bundle must have an entry; the tree rebuilt from the entries must match the signed checkpoint,
 * and must extend every earlier checkpoint it is given (a truncated or rewritten log does not).
 * Each fault names the sequence number and bundle at fault.
 */
public final class LedgerVerifier {

  /** What is wrong, and where. */
  public enum FaultKind {
    ENTRY_MISSING,
    ENTRY_ALTERED,
    BUNDLE_MISSING,
    BUNDLE_ALTERED,
    BUNDLE_WITHOUT_ENTRY,
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

  /** The outcome: every fault found, and how far the log was checked. */
  public record Report(
      long entries, long bundles, Optional<Long> checkpointSize, List<Fault> faults) {
    public boolean ok() {
      return faults.isEmpty();
    }
  }

  private static final Node IDENTIFIER = Vocab.Dc.identifier.asNode();

  private static final String BUNDLE_SEQUENCES =
      "SELECT ?seq WHERE { GRAPH ?bundle { ?bundle a arb:EventBundle ; arb:sequence ?seq } }";

  private final ProvStore store;
  private final Optional<TileStore> tiles;

  /**
   * @param tiles the stored tiles to check too, if any
   */
  public LedgerVerifier(ProvStore store, Optional<TileStore> tiles) {
    this.store = store;
    this.tiles = tiles;
  }

  /**
   * @param verifierKey the trusted checkpoint key ({@code name+hash+key})
   * @param latest the latest signed checkpoint note
   * @param earlier older signed checkpoint notes the log must still extend
   */
  public Report verify(String verifierKey, String latest, List<String> earlier) {
    List<Fault> faults = new ArrayList<>();
    MerkleTree tree = new MerkleTree();
    TreeSet<Long> bundles =
        store.read(
            snapshot -> {
              try (EntryChecks checks = new EntryChecks(snapshot, tree, faults)) {
                snapshot.forEachEntry(0, Long.MAX_VALUE, checks::add);
                checks.finish();
              }
              return bundleSequences(snapshot);
            });
    for (long seq : bundles) {
      // A remote store holds no read transaction: its bundle query may see an event appended after
      // the ledger walk, whose entry is stored by now (bundle and entry go in one request). Only a
      // bundle still without its entry is a fault.
      if (seq >= tree.size() && store.entry(seq).isEmpty()) {
        faults.add(
            new Fault(
                FaultKind.BUNDLE_WITHOUT_ENTRY,
                Optional.of(seq),
                Optional.empty(),
                "bundle " + seq + " has no ledger entry"));
      }
    }
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
          new Fault(
              FaultKind.CHECKPOINT_INVALID,
              Optional.empty(),
              Optional.empty(),
              "the verifier key is not valid: " + e.getMessage()));
    }
    tiles.ifPresent(
        stored -> {
          for (String path : stored.altered(tree, tree.size())) {
            faults.add(
                new Fault(
                    FaultKind.TILE_ALTERED,
                    Optional.empty(),
                    Optional.empty(),
                    "the stored tile " + path + " does not match the log"));
          }
        });
    return new Report(tree.size(), bundles.size(), checkpointSize, List.copyOf(faults));
  }

  /**
   * Checks entries in the order the walk hands them over, on every core: workers parse entries and
   * hash bundles, while this thread — the one the snapshot is bound to — looks bundles up and grows
   * the tree. At most {@link #WINDOW} entries wait at each stage, so memory stays bounded however
   * long the log; faults are collected in sequence order, exactly as one thread would find them.
   */
  private static final class EntryChecks implements AutoCloseable {

    private static final int WINDOW = 256;

    private final ProvStore.Snapshot snapshot;
    private final MerkleTree tree;
    private final List<Fault> faults;
    private final ExecutorService workers;
    private final ArrayDeque<Future<Parsed>> parsing = new ArrayDeque<>();
    private final ArrayDeque<Checked> checking = new ArrayDeque<>();

    EntryChecks(ProvStore.Snapshot snapshot, MerkleTree tree, List<Fault> faults) {
      this.snapshot = snapshot;
      this.tree = tree;
      this.faults = faults;
      AtomicInteger count = new AtomicInteger();
      this.workers =
          Executors.newFixedThreadPool(
              Runtime.getRuntime().availableProcessors(),
              work -> {
                Thread thread = new Thread(work, "arbiter-verify-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }

    void add(long seq, byte[] bytes) {
      parsing.add(workers.submit(() -> Parsed.of(seq, bytes)));
      if (parsing.size() > WINDOW) {
        lookUp(await(parsing.remove()));
      }
    }

    void finish() {
      while (!parsing.isEmpty()) {
        lookUp(await(parsing.remove()));
      }
      while (!checking.isEmpty()) {
        collect(checking.remove());
      }
    }

    private void lookUp(Parsed parsed) {
      long seq = parsed.seq();
      List<Fault> found = new ArrayList<>();
      while (tree.size() < seq) {
        long missing = tree.size();
        found.add(
            new Fault(
                FaultKind.ENTRY_MISSING,
                Optional.of(missing),
                Optional.empty(),
                "ledger entry " + missing + " is missing"));
        // Keep the positions of later entries: a placeholder leaf, so the tree cannot match any
        // checkpoint.
        tree.appendLeafHash(new byte[32]);
      }
      tree.appendLeafHash(parsed.leafHash());
      checking.add(new Checked(found, check(parsed, found)));
      if (checking.size() > WINDOW) {
        collect(checking.remove());
      }
    }

    /** Adds what this thread can tell to {@code found}; the bundle's own checks go to a worker. */
    private Future<List<Fault>> check(Parsed parsed, List<Fault> found) {
      long seq = parsed.seq();
      if (parsed.unreadable() != null) {
        found.add(
            new Fault(
                FaultKind.ENTRY_ALTERED,
                Optional.of(seq),
                Optional.empty(),
                "ledger entry " + seq + " is not a canonical entry: " + parsed.unreadable()));
        return null;
      }
      LedgerEntry entry = parsed.entry();
      if (entry.seq() != seq) {
        found.add(
            new Fault(
                FaultKind.ENTRY_ALTERED,
                Optional.of(seq),
                Optional.of(entry.bundle()),
                "ledger entry " + seq + " claims sequence " + entry.seq()));
      }
      Optional<List<Triple>> bundle = snapshot.triples(entry.bundle());
      if (bundle.isEmpty()) {
        found.add(
            new Fault(
                FaultKind.BUNDLE_MISSING,
                Optional.of(seq),
                Optional.of(entry.bundle()),
                "bundle " + entry.bundle() + " (sequence " + seq + ") is missing"));
        return null;
      }
      List<Triple> triples = bundle.get();
      return workers.submit(() -> checkBundle(seq, entry, triples));
    }

    private void collect(Checked checked) {
      faults.addAll(checked.found());
      if (checked.bundleChecks() != null) {
        faults.addAll(await(checked.bundleChecks()));
      }
    }

    private static <T> T await(Future<T> work) {
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

    @Override
    public void close() {
      workers.shutdownNow();
    }
  }

  /** An entry read: its leaf hash, and the entry parsed or why it could not be. */
  private record Parsed(long seq, byte[] leafHash, LedgerEntry entry, String unreadable) {
    static Parsed of(long seq, byte[] bytes) {
      byte[] leafHash = MerkleHashes.leaf(bytes);
      try {
        return new Parsed(seq, leafHash, LedgerEntry.parse(bytes), null);
      } catch (IllegalArgumentException e) {
        return new Parsed(seq, leafHash, null, e.getMessage());
      }
    }
  }

  /** An entry's faults found so far, and those its bundle's checks will add (null: none). */
  private record Checked(List<Fault> found, Future<List<Fault>> bundleChecks) {}

  /** Whether the bundle agrees with its entry: its own description, then its digest. */
  private static List<Fault> checkBundle(long seq, LedgerEntry entry, List<Triple> triples) {
    // The description reads the bundle's own statements and identifiers only: a graph of those,
    // not of the whole bundle.
    Node self = NodeFactory.createURI(entry.bundle());
    Graph description = GraphFactory.createDefaultGraph();
    for (Triple t : triples) {
      if (t.getSubject().equals(self) || t.getPredicate().equals(IDENTIFIER)) {
        description.add(t);
      }
    }
    List<Fault> faults = new ArrayList<>(0);
    String mismatch = describedDifferently(entry, description);
    if (mismatch != null) {
      faults.add(
          new Fault(
              FaultKind.ENTRY_ALTERED,
              Optional.of(seq),
              Optional.of(entry.bundle()),
              "ledger entry "
                  + seq
                  + " disagrees with bundle "
                  + entry.bundle()
                  + " about its "
                  + mismatch));
    }
    String digest = BundleDigest.sha256(entry.bundle(), triples);
    if (!digest.equals(entry.bundleDigest())) {
      faults.add(
          new Fault(
              FaultKind.BUNDLE_ALTERED,
              Optional.of(seq),
              Optional.of(entry.bundle()),
              "bundle "
                  + entry.bundle()
                  + " (sequence "
                  + seq
                  + ") no longer matches its entry: digest "
                  + digest
                  + ", recorded "
                  + entry.bundleDigest()));
    }
    return faults;
  }

  /** Which field of the entry the bundle's own description contradicts, or null. */
  private static String describedDifferently(LedgerEntry entry, Graph bundle) {
    var model = ModelFactory.createModelForGraph(bundle);
    var self = model.getResource(entry.bundle());
    var sequence = self.getProperty(Vocab.sequence);
    if (sequence == null || sequence.getLong() != entry.seq()) {
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
          new Fault(
              FaultKind.CHECKPOINT_INVALID,
              Optional.empty(),
              Optional.empty(),
              which + " does not verify with the key: " + e.getMessage()));
      return null;
    }
    if (checkpoint.size() > tree.size()) {
      faults.add(
          new Fault(
              FaultKind.LOG_TRUNCATED,
              Optional.of(tree.size()),
              Optional.empty(),
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
            new Fault(
                which.startsWith("the latest")
                    ? FaultKind.CHECKPOINT_MISMATCH
                    : FaultKind.LOG_INCONSISTENT,
                Optional.of(checkpoint.size()),
                Optional.empty(),
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

  private static TreeSet<Long> bundleSequences(ProvStore.Snapshot snapshot) {
    return snapshot.query(
        Sparql.prepare(BUNDLE_SEQUENCES).asQuery(),
        Duration.ofHours(1),
        execution -> {
          TreeSet<Long> sequences = new TreeSet<>();
          execution
              .execSelect()
              .forEachRemaining(row -> sequences.add(row.getLiteral("seq").getLong()));
          return sequences;
        });
  }
}
