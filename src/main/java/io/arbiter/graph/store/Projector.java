package io.arbiter.graph.store;

import io.arbiter.journal.CommitListener;
import io.arbiter.journal.Journal;
import io.arbiter.journal.JournalRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies the journal to the graph store, behind intake: it takes whatever the journal holds beyond
 * the store's watermark (up to {@code maxBatch} records or {@code maxBatchBytes}) and applies it in
 * one store transaction that also moves the watermark, so a crash at any point leaves the store at
 * a batch boundary and the projector resumes there.
 *
 * <p>No store fault stops it: a failed batch is retried with exponential backoff (up to {@code
 * maxBackoff}), reading the store's watermark again first (a failed request may have been applied,
 * or a store may have lost data and need it again), and {@link #failure} says why meanwhile.
 * Between batches it runs what others need done with the projection held ({@link #betweenBatches}):
 * the last step of a compaction.
 */
public final class Projector implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Projector.class.getName());

  /**
   * @param maxBatch most records per store transaction
   * @param maxBatchBytes most bundle bytes per store transaction (a large record still goes alone)
   * @param maxBackoff longest wait between retries of a failing store
   */
  public record Settings(int maxBatch, long maxBatchBytes, Duration maxBackoff) {
    public Settings {
      if (maxBatch < 1 || maxBatchBytes < 1 || maxBackoff.isNegative() || maxBackoff.isZero()) {
        throw new IllegalArgumentException("projection batch and backoff must be positive");
      }
    }

    public static Settings defaults() {
      return new Settings(5_000, 32L << 20, Duration.ofSeconds(30));
    }
  }

  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Journal journal;
  private final ProvStore store;
  private final Unprojected unprojected;
  private final Settings settings;
  private final Thread thread;
  private final Object progress = new Object();
  private volatile long projected;
  private volatile boolean running;
  private volatile String failure;
  private volatile long failingSinceNanos;
  private final Queue<FutureTask<Void>> betweenBatches = new ConcurrentLinkedQueue<>();
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();

  public Projector(
      Journal journal,
      ProvStore store,
      Unprojected unprojected,
      Settings settings,
      ThreadFactory threads) {
    this.journal = journal;
    this.store = store;
    this.unprojected = unprojected;
    this.settings = settings;
    this.thread = threads.newThread(this::run);
    this.thread.setName("arbiter-projector");
  }

  /**
   * Brings the store up to the journal before anything reads it (start-up), on the calling thread.
   *
   * @throws RuntimeException when the store fails: start-up cannot go on without the graph
   */
  public void catchUp() {
    advance(store.projected());
    if (projected > journal.size()) {
      throw new IllegalStateException(
          "the graph store holds "
              + projected
              + " journal records but the journal only "
              + journal.size()
              + ": the journal was cut or replaced; restore it, or rebuild the store from it"
              + " (docs/operations.md)");
    }
    long started = System.nanoTime();
    long from = projected;
    while (projected < journal.size()) {
      List<JournalRecord> batch = batch(projected, journal.size());
      store.project(batch);
      advance(projected + batch.size());
    }
    if (projected > from) {
      long applied = projected - from;
      LOG.info(
          () ->
              "projected "
                  + applied
                  + " journal records into the store in "
                  + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                  + " ms");
    }
  }

  /** Calls {@code listener} with every store transaction that applied records, from now on. */
  public void onCommitted(CommitListener listener) {
    commitListeners.add(listener);
  }

  /** Starts following the journal on the projector's own thread. */
  public void start() {
    running = true;
    thread.start();
  }

  /** Called as records become durable: wakes the projector if it is idle. */
  void wake() {
    LockSupport.unpark(thread);
  }

  /** How many journal records the store holds. */
  public long projected() {
    return projected;
  }

  /** How many durable records the store does not hold yet. */
  public long lagRecords() {
    return Math.max(0, journal.size() - projected);
  }

  /** How long the oldest record the store lacks has waited. */
  public Duration lag() {
    return Duration.ofNanos(unprojected.oldestAgeNanos());
  }

  /** Why the last attempt to apply records failed, while the store keeps failing. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** How long the store has been failing (zero while it is not). */
  public Duration failingFor() {
    return failure == null
        ? Duration.ZERO
        : Duration.ofNanos(System.nanoTime() - failingSinceNanos);
  }

  /**
   * Waits until the store holds at least {@code records} journal records, for at most {@code
   * timeout}; returns whether it does.
   */
  public boolean await(long records, Duration timeout) {
    if (projected >= records) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (projected < records) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return projected >= records;
        }
      }
      return true;
    }
  }

  // The store holds the records already: readers stop going to the journal for them before
  // anyone waiting for them is woken.
  private void advance(long to) {
    unprojected.projected(to);
    synchronized (progress) {
      projected = to;
      progress.notifyAll();
    }
  }

  private void run() {
    long backoff = FIRST_BACKOFF_NANOS;
    while (running) {
      runBetweenBatches();
      long from = projected;
      long to = journal.size();
      if (from >= to) {
        LockSupport.parkNanos(this, IDLE_NANOS);
        continue;
      }
      try {
        List<JournalRecord> batch = batch(from, to);
        long started = System.nanoTime();
        store.project(batch);
        // Metrics and the failure state first: whoever waits for this batch sees them current.
        report(batch.size(), System.nanoTime() - started);
        if (failure != null) {
          LOG.info(() -> "the graph store takes records again; projecting from " + from);
        }
        failure = null;
        advance(from + batch.size());
        backoff = FIRST_BACKOFF_NANOS;
      } catch (RuntimeException | LinkageError e) {
        if (failure == null) {
          failingSinceNanos = System.nanoTime();
          LOG.log(
              Level.SEVERE,
              "the graph store failed to apply journal records from "
                  + from
                  + "; intake goes on, the projector retries",
              e);
        } else {
          LOG.log(Level.FINE, "the graph store still fails", e);
        }
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
        try {
          advance(store.projected());
        } catch (RuntimeException unknown) {
          // Still failing: try again after the next backoff.
        }
      }
    }
  }

  private void report(int records, long nanos) {
    for (CommitListener listener : commitListeners) {
      try {
        listener.committed(records, nanos);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "a commit listener failed; the batch is applied all the same", e);
      }
    }
  }

  /**
   * Runs {@code task} on the projector's thread between two batches: the store takes no records
   * while it runs (intake goes on into the journal). Done when the task is; failed with its
   * exception, or cancelled if the projector stops first.
   */
  Future<Void> betweenBatches(Runnable task) {
    FutureTask<Void> queued = new FutureTask<>(task, null);
    betweenBatches.add(queued);
    if (!running) {
      queued.cancel(false);
    }
    wake();
    return queued;
  }

  private void runBetweenBatches() {
    for (FutureTask<Void> task = betweenBatches.poll();
        task != null;
        task = betweenBatches.poll()) {
      task.run();
    }
  }

  /** Up to a batch of records from {@code from} (fewer at {@code to} or the batch's bytes). */
  List<JournalRecord> batch(long from, long to) {
    List<JournalRecord> records = new ArrayList<>();
    long[] bytes = {0};
    journal.forEach(
        from,
        Math.min(to, from + settings.maxBatch()),
        record -> {
          records.add(record);
          bytes[0] += record.bundle().length;
          return bytes[0] < settings.maxBatchBytes();
        });
    return records;
  }

  /** Stops following the journal (what it has not applied is applied at the next start). */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    betweenBatches.forEach(task -> task.cancel(false));
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
