package io.arbiter.graph;

import io.arbiter.event.DomainEvent;
import io.arbiter.event.EventLog;
import io.arbiter.event.EventLogUnavailableException;
import io.arbiter.event.IriScheme;
import io.arbiter.event.Recorded;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleHashes;
import io.arbiter.ledger.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of the event log. Callers on any thread {@link #append} events; one thread
 * takes them in arrival order, assigns gap-free sequence numbers, and stores whatever is waiting
 * (up to {@code maxBatch}) in one store transaction: group commit. A caller's stage completes only
 * after its batch is durable.
 *
 * <p>If a batch fails to commit, every event in it fails and no sequence number is used, so the log
 * stays gap-free. A full queue refuses new events at once rather than letting latency grow without
 * bound.
 *
 * <p>{@link #onCommitted} listeners hear each durable batch (its size and commit time) after its
 * callers were answered; a listener that throws is logged and changes nothing about the batch.
 */
public final class EventWriter implements EventLog, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());

  private record Pending(DomainEvent event, CompletableFuture<Recorded> done) {}

  private final ProvStore store;
  private final MerkleTree tree;
  private final ProvMapper mapper;
  private final IriScheme iris;
  private final int maxBatch;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private final CompactionPolicy compaction;
  // Copy-on-write: registered once at start-up, read on every batch without a lock.
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private long next;
  private long commitsSinceCheck;

  /**
   * @param maxBatch most events per store transaction
   * @param capacity most events waiting; more are refused
   */
  public EventWriter(
      ProvStore store,
      MerkleTree tree,
      ProvMapper mapper,
      IriScheme iris,
      int maxBatch,
      int capacity,
      CompactionPolicy compaction,
      ThreadFactory threads) {
    if (maxBatch < 1 || capacity < 1) {
      throw new IllegalArgumentException("maxBatch and capacity must be positive");
    }
    this.store = store;
    this.tree = tree;
    this.mapper = mapper;
    this.iris = iris;
    this.maxBatch = maxBatch;
    this.compaction = compaction;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = threads.newThread(this::run);
    this.thread.setName("arbiter-event-writer");
  }

  /**
   * Reads where the log stands — rebuilding the Merkle tree from the stored ledger entries — and
   * starts writing. Refuses to start when the graph and the ledger disagree.
   */
  public void start() {
    store.forEachEntry(
        tree.size(),
        Long.MAX_VALUE,
        (sequence, bytes) -> {
          if (sequence != tree.size()) {
            throw new IllegalStateException(
                "the ledger has no entry " + tree.size() + " (next is " + sequence + ")");
          }
          tree.appendLeafHash(MerkleHashes.leaf(bytes));
        });
    next = store.nextSequence();
    if (next != tree.size()) {
      throw new IllegalStateException(
          "the graph holds "
              + next
              + " bundles but the ledger "
              + tree.size()
              + " entries: run the verifier");
    }
    running = true;
    thread.start();
  }

  /**
   * Calls {@code listener} with every batch made durable from now on. Batches that fail are not
   * reported (their callers hear of it); one that the store reported as failed but that proved
   * durable is.
   */
  public void onCommitted(CommitListener listener) {
    commitListeners.add(listener);
  }

  /** Whether the writer thread is taking events. */
  public boolean isRunning() {
    return running && thread.isAlive();
  }

  @Override
  public CompletionStage<Recorded> append(DomainEvent event) {
    Pending pending = new Pending(event, new CompletableFuture<>());
    if (!isRunning()) {
      pending
          .done()
          .completeExceptionally(new EventLogUnavailableException("the event writer is stopped"));
    } else if (!queue.offer(pending)) {
      pending
          .done()
          .completeExceptionally(
              new EventLogUnavailableException("the event writer is overloaded"));
    } else if (!running && queue.remove(pending)) {
      // Lost a race with close(): the writer may already have drained the queue for good.
      pending
          .done()
          .completeExceptionally(new EventLogUnavailableException("the event writer is stopped"));
    }
    return pending.done();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    try {
      while (running || !queue.isEmpty()) {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        commit(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "the event writer stopped: nothing more can be recorded", e);
    } finally {
      // Whatever ended the loop, no caller may wait forever and nobody may queue behind a dead
      // writer: stop, and fail everything not yet acknowledged (completing twice is a no-op).
      running = false;
      var stopped = new EventLogUnavailableException("the event writer stopped");
      batch.forEach(p -> p.done().completeExceptionally(stopped));
      for (Pending left; (left = queue.poll()) != null; ) {
        left.done().completeExceptionally(stopped);
      }
    }
  }

  private void commit(List<Pending> batch) {
    List<Bundle> bundles = new ArrayList<>(batch.size());
    List<Pending> mapped = new ArrayList<>(batch.size());
    long sequence = next;
    for (Pending pending : batch) {
      try {
        bundles.add(bundle(pending.event(), sequence));
        mapped.add(pending);
        sequence++;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "cannot map a " + pending.event().type() + " event to PROV", e);
        pending
            .done()
            .completeExceptionally(new EventLogUnavailableException("cannot map the event", e));
      }
    }
    if (bundles.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    long commitNanos;
    try {
      store.append(bundles);
      commitNanos = System.nanoTime() - started;
    } catch (RuntimeException e) {
      commitNanos = System.nanoTime() - started;
      if (!durableDespite(e, bundles.get(0))) {
        LOG.log(
            Level.SEVERE,
            "store transaction failed; " + bundles.size() + " events not recorded",
            e);
        mapped.forEach(
            p ->
                p.done()
                    .completeExceptionally(
                        new EventLogUnavailableException("the store refused the write", e)));
        return;
      }
      LOG.log(
          Level.WARNING, "the store reported a failure after committing; the batch is durable", e);
    }
    next = sequence;
    bundles.forEach(b -> tree.appendLeafHash(b.entry().leafHash()));
    for (int i = 0; i < mapped.size(); i++) {
      Bundle bundle = bundles.get(i);
      mapped.get(i).done().complete(new Recorded(bundle.sequence(), bundle.iri()));
    }
    report(bundles.size(), commitNanos);
    maybeCompact();
  }

  // After the callers were answered: a listener can delay the next batch, never fail this one.
  private void report(int events, long nanos) {
    for (CommitListener listener : commitListeners) {
      try {
        listener.committed(events, nanos);
      } catch (RuntimeException | LinkageError e) {
        // LinkageError too: a metrics library missing a class must not stop the writer.
        LOG.log(Level.WARNING, "a commit listener failed; the batch is durable all the same", e);
      }
    }
  }

  // Runs on the writer thread after callers were answered, so no write waits behind it except the
  // next batch; readers are not blocked.
  private void maybeCompact() {
    if (++commitsSinceCheck < compaction.checkEveryCommits()) {
      return;
    }
    commitsSinceCheck = 0;
    long bytes = store.diskBytes();
    if (compaction.due(bytes)) {
      long started = System.nanoTime();
      try {
        store.compact();
        long after = store.diskBytes();
        compaction.compacted(after);
        LOG.info(
            () ->
                "compacted the store from "
                    + bytes / 1_048_576
                    + " MiB to "
                    + after / 1_048_576
                    + " MiB in "
                    + (System.nanoTime() - started) / 1_000_000
                    + " ms");
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "store compaction failed; will retry at the next check", e);
      }
    }
  }

  /** The event's bundle, spelled as stored, and its ledger entry over that bundle's digest. */
  private Bundle bundle(DomainEvent event, long sequence) {
    String iri = iris.bundle(sequence);
    var triples = store.asStored(mapper.bundle(event, sequence));
    var entry =
        new LedgerEntry(
            sequence,
            event.type(),
            event.time(),
            event.actor(),
            event.subjectIri(),
            iri,
            BundleDigest.sha256(iri, triples));
    return new Bundle(iri, sequence, triples, entry);
  }

  /**
   * Whether a batch whose commit threw is durable all the same (a failure after the commit point):
   * its first bundle is stored exactly as written (the batch is atomic, so it answers for all; a
   * graph someone else put under that name does not count). If even that cannot be known, the
   * writer stops rather than guess a sequence number.
   */
  private boolean durableDespite(RuntimeException failure, Bundle first) {
    try {
      return store
          .graph(first.iri())
          .map(stored -> stored.isIsomorphicWith(first.triples()))
          .orElse(false);
    } catch (RuntimeException unknown) {
      failure.addSuppressed(unknown);
      throw failure;
    }
  }

  /** Stops taking events, writes what is queued, and waits for the writer thread to finish. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
