package io.arbiter.graph.store;

import io.arbiter.journal.JournalRecord;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compacts the store beside the projection, on its own thread: when the {@link CompactionPolicy}
 * finds the store grown, it copies the store as it stands into a new generation while the projector
 * goes on, applies from the journal what was projected meanwhile (in rounds, each shorter than the
 * last), and holds the projector only for the final few records and the switch ({@link
 * StoreCompaction}). Before the journal, compaction stopped the writer for the whole copy: minutes
 * on a large store.
 */
public final class Compactor implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Compactor.class.getName());

  /** The projector is held for at most about this many records, a few batches' time. */
  static final long HELD_RECORDS = 2_000;

  /** A compaction that can wait starts only while the projection lags by at most this. */
  static final java.time.Duration QUIET_LAG = java.time.Duration.ofSeconds(1);

  /** Catch-up rounds before the projector is held whatever is left (intake may outpace a round). */
  private static final int MAX_ROUNDS = 8;

  private final ProvStore store;
  private final Projector projector;
  private final CompactionPolicy policy;
  private final Thread thread;
  private final AtomicLong commitsSinceCheck = new AtomicLong();
  private volatile long lastLookNanos = System.nanoTime();
  private volatile boolean running;
  private volatile StoreCompaction underWay;

  public Compactor(
      ProvStore store, Projector projector, CompactionPolicy policy, ThreadFactory threads) {
    this.store = store;
    this.projector = projector;
    this.policy = policy;
    this.thread = threads.newThread(this::run);
    this.thread.setName("arbiter-compactor");
  }

  /** Starts watching the store's growth (nothing to do when the policy never compacts). */
  public void start() {
    policy.opened(store.diskBytes());
    projector.onCommitted(
        (records, nanos) -> {
          long commits = commitsSinceCheck.incrementAndGet();
          if (policy.lookNow(commits, System.nanoTime() - lastLookNanos)) {
            LockSupport.unpark(thread);
          }
        });
    running = true;
    thread.start();
  }

  private void run() {
    boolean deferred = false;
    while (running) {
      LockSupport.parkNanos(this, CompactionPolicy.LOOK_INTERVAL.toNanos());
      if (!running
          || !(deferred
              || policy.lookNow(commitsSinceCheck.get(), System.nanoTime() - lastLookNanos))) {
        continue;
      }
      commitsSinceCheck.set(0);
      lastLookNanos = System.nanoTime();
      long bytes = store.diskBytes();
      deferred = false;
      if (!policy.due(bytes)) {
        continue;
      }
      if (projector.lag().compareTo(QUIET_LAG) > 0 && policy.canWait(bytes)) {
        // Off-peak: under load the copy takes the cores the projection needs, and the records
        // projected meanwhile make the catch-up long. Wait for a quiet moment — unless the store
        // has grown so far that it must not wait any longer.
        deferred = true;
        continue;
      }
      try {
        compactNow();
      } catch (java.util.concurrent.CancellationException e) {
        LOG.info("a compaction under way was cancelled: the server is stopping");
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "store compaction failed; will retry at the next check", e);
      }
    }
  }

  /**
   * Compacts the store now, on the calling thread, beside a running projector; returns when the old
   * generation is gone (after its last reader).
   */
  public void compactNow() {
    var begun = store.beginCompaction();
    if (begun.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    long before = store.diskBytes();
    long[] held = new long[2];
    try (StoreCompaction compaction = begun.get()) {
      underWay = compaction;
      long copied = compaction.copy();
      long at = copied;
      for (int round = 0; round < MAX_ROUNDS && running(); round++) {
        long target = projector.projected();
        if (target - at <= HELD_RECORDS) {
          break;
        }
        at = catchUp(compaction, at, target);
      }
      long from = at;
      await(
          projector.betweenBatches(
              () -> {
                long heldAt = System.nanoTime();
                long to = catchUp(compaction, from, projector.projected());
                compaction.switchOver();
                held[0] = System.nanoTime() - heldAt;
                held[1] = to - from;
              }));
      compaction.releaseOld();
      long after = store.diskBytes();
      policy.compacted(after);
      LOG.info(
          () ->
              String.format(
                  "compacted the store from %d MiB to %d MiB in %d ms (%d records copied,"
                      + " %d applied while the projection was held for %d ms; intake not held)",
                  before / 1_048_576,
                  after / 1_048_576,
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                  copied,
                  held[1],
                  TimeUnit.NANOSECONDS.toMillis(held[0])));
    } finally {
      underWay = null;
    }
  }

  /**
   * Compacts a store that nothing writes to meanwhile (a tool's, a benchmark's), on the calling
   * thread.
   */
  public static void compactIdle(ProvStore store) {
    store
        .beginCompaction()
        .ifPresent(
            begun -> {
              try (StoreCompaction compaction = begun) {
                compaction.copy();
                compaction.switchOver();
                compaction.releaseOld();
              }
            });
  }

  /**
   * Applies records {@code from .. to - 1} to the compaction, batch by batch; returns {@code to}.
   */
  private long catchUp(StoreCompaction compaction, long from, long to) {
    long at = from;
    while (at < to) {
      List<JournalRecord> batch = projector.batch(at, to);
      compaction.apply(batch);
      at += batch.size();
    }
    return at;
  }

  /** Not stopping: the watching thread runs, or was never started (a tool's compactNow). */
  private boolean running() {
    return running || !thread.isAlive();
  }

  private static void await(java.util.concurrent.Future<Void> step) {
    try {
      step.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the projector was held", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      throw new IllegalStateException("the projector stopped before the compaction switched", e);
    }
  }

  /**
   * Stops watching; a compaction under way is cancelled (its copy deleted), and the store stays as
   * it was.
   */
  @Override
  public void close() {
    running = false;
    StoreCompaction compaction = underWay;
    if (compaction != null) {
      compaction.cancel(); // a copy of a large store takes minutes: not a reason to hold a stop
    }
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
