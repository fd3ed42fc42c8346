package io.arbiter.jobs;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs running and recently finished, in memory (a job is a convenience for reading a report
 * later, not a record: a restart forgets them, and the reports can be asked for again).
 *
 * <p>What holds: each caller has at most {@link Limits#perCaller} jobs kept; starting one more
 * forgets that caller's oldest finished job, and is refused ({@code too-many-requests}) when all of
 * them are still unfinished. A finished job is forgotten {@link Limits#retention} after it
 * finished. How many run at once is not this class's concern: the caller acquires a permit of the
 * report's kind ({@code web.Permits}) before it submits, and the job holds it until it finishes, so
 * the executor never has more work than the permits allow.
 */
public final class JobRegistry {

  /** A report to run; what it returns is the job's result. */
  @FunctionalInterface
  public interface Work {
    Object run(Progress progress);
  }

  /**
   * @param perCaller jobs kept for one caller, finished or not; positive
   * @param retention how long a finished job stays readable; positive
   */
  public record Limits(int perCaller, Duration retention) {
    public Limits {
      if (perCaller <= 0 || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("job limits must be positive");
      }
    }
  }

  private final Clock clock;
  private final Executor executor;
  private final Limits limits;
  private final ConcurrentHashMap<String, Entry> jobs = new ConcurrentHashMap<>();

  public JobRegistry(Clock clock, Executor executor, Limits limits) {
    this.clock = clock;
    this.executor = executor;
    this.limits = limits;
  }

  /**
   * Queues {@code work} as a job of {@code owner}'s. The permit is closed when the job finishes (or
   * at once, if it cannot be queued).
   *
   * @throws ProblemException {@code too-many-requests} when the owner's jobs are all unfinished and
   *     as many as one caller may keep; {@code server-busy} when the executor refuses it
   */
  public Job submit(String owner, String kind, AutoCloseable permit, Work work) {
    Entry entry = new Entry(UUID.randomUUID().toString(), kind, owner, permit, work);
    try {
      synchronized (this) {
        forgetExpired();
        makeRoom(owner);
        jobs.put(entry.id, entry);
      }
      executor.execute(entry::run);
    } catch (RejectedExecutionException e) {
      jobs.remove(entry.id);
      entry.release();
      throw new ProblemException(
          ProblemType.SERVER_BUSY, "The server cannot start another job now; try again shortly.");
    } catch (RuntimeException e) {
      jobs.remove(entry.id);
      entry.release();
      throw e;
    }
    return entry.snapshot();
  }

  /** The job, if it exists and {@code caller} may see it: its owner, or anyone when admin. */
  public Optional<Job> find(String id, String caller, boolean admin) {
    return visible(id, caller, admin).map(Entry::snapshot);
  }

  /** {@code owner}'s jobs, newest first. */
  public List<Job> list(String owner) {
    forgetExpired();
    return jobs.values().stream()
        .filter(e -> e.owner.equals(owner))
        .sorted(Comparator.comparing((Entry e) -> e.created).reversed())
        .map(Entry::snapshot)
        .toList();
  }

  /**
   * Cancels the job: a queued one never runs, a running one stops at its report's next {@link
   * Progress#advance}. A finished job stays as it finished. Empty as {@link #find} is.
   */
  public Optional<Job> cancel(String id, String caller, boolean admin) {
    return visible(id, caller, admin)
        .map(
            entry -> {
              entry.cancel();
              return entry.snapshot();
            });
  }

  /**
   * The job once it finished, or as it stands after {@code wait}, whichever comes first. Empty as
   * {@link #find} is.
   */
  public Optional<Job> await(String id, String caller, boolean admin, Duration wait) {
    Optional<Entry> entry = visible(id, caller, admin);
    entry.ifPresent(e -> e.awaitFinish(wait));
    return entry.map(Entry::snapshot);
  }

  /** Cancels every unfinished job (the application is stopping). */
  public void cancelAll() {
    jobs.values().forEach(Entry::cancel);
  }

  private Optional<Entry> visible(String id, String caller, boolean admin) {
    forgetExpired();
    return Optional.ofNullable(jobs.get(id)).filter(e -> admin || e.owner.equals(caller));
  }

  private void forgetExpired() {
    Instant now = clock.instant();
    jobs.values()
        .removeIf(
            e -> {
              Instant finished = e.finished;
              return finished != null && !finished.plus(limits.retention()).isAfter(now);
            });
  }

  /**
   * Called holding this registry's lock, so that two submissions cannot both take the last room.
   */
  private void makeRoom(String owner) {
    List<Entry> kept =
        jobs.values().stream()
            .filter(e -> e.owner.equals(owner))
            .sorted(Comparator.comparing((Entry e) -> e.created))
            .toList();
    int excess = kept.size() - limits.perCaller() + 1;
    for (Entry old : kept) {
      if (excess <= 0) {
        return;
      }
      if (old.finished != null) {
        jobs.remove(old.id);
        excess--;
      }
    }
    if (excess > 0) {
      throw new ProblemException(
          ProblemType.TOO_MANY_REQUESTS,
          "You have "
              + kept.size()
              + " unfinished jobs, as many as one caller may keep (arbiter.jobs.max-per-caller);"
              + " wait for one to finish or cancel one.");
    }
  }

  /** One job; its state changes under its own lock, its progress without one. */
  private final class Entry implements Progress {
    final String id;
    final String kind;
    final String owner;
    final Instant created;
    private final AutoCloseable permit;
    private final AtomicBoolean permitOpen = new AtomicBoolean(true);
    private final Work work;
    private final AtomicLong done = new AtomicLong();
    private final CountDownLatch finishing = new CountDownLatch(1);
    private volatile long total = -1;
    private volatile boolean cancelled;
    private volatile JobState state = JobState.QUEUED;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile Object result;
    private volatile RuntimeException failure;

    Entry(String id, String kind, String owner, AutoCloseable permit, Work work) {
      this.id = id;
      this.kind = kind;
      this.owner = owner;
      this.created = clock.instant();
      this.permit = permit;
      this.work = work;
    }

    void run() {
      synchronized (this) {
        if (state != JobState.QUEUED) {
          return; // cancelled while queued
        }
        state = JobState.RUNNING;
        started = clock.instant();
      }
      try {
        Object report = work.run(this);
        end(cancelled ? JobState.CANCELLED : JobState.SUCCEEDED, report, null);
      } catch (CancellationException e) {
        end(JobState.CANCELLED, null, null);
      } catch (RuntimeException e) {
        end(cancelled ? JobState.CANCELLED : JobState.FAILED, null, e);
      } catch (Error e) {
        end(JobState.FAILED, null, new IllegalStateException("the report failed", e));
        if (e instanceof VirtualMachineError) {
          throw e;
        }
      }
    }

    synchronized void cancel() {
      cancelled = true;
      if (state == JobState.QUEUED) {
        end(JobState.CANCELLED, null, null);
      }
    }

    private synchronized void end(JobState how, Object report, RuntimeException why) {
      if (state.finished()) {
        return;
      }
      state = how;
      result = report;
      failure = why;
      finished = clock.instant();
      release();
      finishing.countDown();
    }

    void release() {
      if (permitOpen.getAndSet(false)) {
        try {
          permit.close();
        } catch (Exception e) {
          throw new IllegalStateException("a job's permit could not be released", e);
        }
      }
    }

    void awaitFinish(Duration wait) {
      try {
        finishing.await(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void total(long units) {
      if (units < 0) {
        throw new IllegalArgumentException("a total must not be negative");
      }
      total = units;
    }

    @Override
    public void advance(long units) {
      if (cancelled) {
        throw new CancellationException("job " + id + " was cancelled");
      }
      done.addAndGet(units);
    }

    synchronized Job snapshot() {
      long all = total;
      return new Job(
          id,
          kind,
          owner,
          state,
          done.get(),
          all < 0 ? OptionalLong.empty() : OptionalLong.of(all),
          created,
          Optional.ofNullable(started),
          Optional.ofNullable(finished),
          Optional.ofNullable(result),
          Optional.ofNullable(failure));
    }
  }
}
