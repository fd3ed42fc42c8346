package io.arbiter.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JobRegistryTest {

  private static final Duration RETENTION = Duration.ofMinutes(10);
  private static final Duration LONG = Duration.ofSeconds(20);

  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

  /** Runs what it was given only when the test says so, so that a job stays queued. */
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private JobRegistry byHand(int perCaller) {
    return new JobRegistry(clock, queued::add, new JobRegistry.Limits(perCaller, RETENTION));
  }

  private JobRegistry onThreads(int perCaller) {
    return new JobRegistry(clock, threads, new JobRegistry.Limits(perCaller, RETENTION));
  }

  /** A permit that counts its closes. */
  private static final class Permit implements AutoCloseable {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void submit_runsTheWork_queuedThenRunningThenSucceededWithItsResultAndProgress() {
    JobRegistry jobs = byHand(5);
    Permit permit = new Permit();
    Job job =
        jobs.submit(
            "ann",
            "backtest",
            permit,
            progress -> {
              progress.total(3);
              progress.advance(2);
              assertEquals(
                  JobState.RUNNING,
                  jobs.find(currentId(jobs, "ann"), "ann", false).orElseThrow().state());
              progress.advance(1);
              return "the report";
            });
    assertEquals(JobState.QUEUED, job.state());
    assertEquals("ann", job.owner());
    assertEquals("backtest", job.kind());
    assertTrue(job.started().isEmpty());
    assertEquals(0, permit.closed.get(), "held while the job waits");

    clock.advance(Duration.ofSeconds(1));
    queued.poll().run();

    Job done = jobs.find(job.id(), "ann", false).orElseThrow();
    assertEquals(JobState.SUCCEEDED, done.state());
    assertEquals("the report", done.result().orElseThrow());
    assertEquals(3, done.done());
    assertEquals(OptionalLong.of(3), done.total());
    assertEquals(Instant.parse("2026-12-01T10:00:00Z"), done.created());
    assertEquals(Instant.parse("2026-12-01T10:00:01Z"), done.started().orElseThrow());
    assertEquals(Instant.parse("2026-12-01T10:00:01Z"), done.finished().orElseThrow());
    assertEquals(1, permit.closed.get(), "released when the job finished");
  }

  private static String currentId(JobRegistry jobs, String owner) {
    return jobs.list(owner).get(0).id();
  }

  @Test
  void failingWork_failsTheJobWithTheException() {
    JobRegistry jobs = byHand(5);
    Permit permit = new Permit();
    ProblemException problem = new ProblemException(ProblemType.NOT_FOUND, "No such version.");
    Job job =
        jobs.submit(
            "ann",
            "coverage",
            permit,
            progress -> {
              throw problem;
            });
    queued.poll().run();
    Job failed = jobs.find(job.id(), "ann", false).orElseThrow();
    assertEquals(JobState.FAILED, failed.state());
    assertEquals(problem, failed.failure().orElseThrow());
    assertTrue(failed.result().isEmpty());
    assertEquals(1, permit.closed.get());
  }

  @Test
  void cancel_queuedJob_neverRuns_andReleasesItsPermit() {
    JobRegistry jobs = byHand(5);
    Permit permit = new Permit();
    AtomicInteger runs = new AtomicInteger();
    Job job = jobs.submit("ann", "backtest", permit, progress -> runs.incrementAndGet());
    Job cancelled = jobs.cancel(job.id(), "ann", false).orElseThrow();
    assertEquals(JobState.CANCELLED, cancelled.state());
    assertTrue(cancelled.finished().isPresent());
    assertEquals(1, permit.closed.get());
    queued.poll().run();
    assertEquals(0, runs.get(), "a cancelled job's work is never started");
    assertEquals(JobState.CANCELLED, jobs.find(job.id(), "ann", false).orElseThrow().state());
    assertEquals(1, permit.closed.get(), "released once");
  }

  @Test
  void cancel_runningJob_stopsItAtItsNextAdvance() throws InterruptedException {
    JobRegistry jobs = onThreads(5);
    Permit permit = new Permit();
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger afterCancel = new AtomicInteger();
    Job job =
        jobs.submit(
            "ann",
            "verification",
            permit,
            progress -> {
              while (true) {
                progress.advance(1);
                afterCancel.incrementAndGet();
                // counted down after an advance, so a cancel that follows finds work done
                running.countDown();
                Thread.onSpinWait();
              }
            });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    jobs.cancel(job.id(), "ann", false);
    Job cancelled = jobs.await(job.id(), "ann", false, LONG).orElseThrow();
    assertEquals(JobState.CANCELLED, cancelled.state());
    assertTrue(cancelled.done() > 0, "it ran a while: " + cancelled);
    int counted = afterCancel.get();
    assertEquals(counted, jobs.find(job.id(), "ann", false).orElseThrow().done());
    assertEquals(1, permit.closed.get());
  }

  @Test
  void cancel_finishedJob_leavesItAsItFinished() {
    JobRegistry jobs = byHand(5);
    Job job = jobs.submit("ann", "coverage", new Permit(), progress -> "done");
    queued.poll().run();
    assertEquals(JobState.SUCCEEDED, jobs.cancel(job.id(), "ann", false).orElseThrow().state());
  }

  @Test
  void anotherCaller_seesNothing_butAnAdminSeesAndCancelsEveryone() {
    JobRegistry jobs = byHand(5);
    Job job = jobs.submit("ann", "backtest", new Permit(), progress -> "done");
    assertTrue(jobs.find(job.id(), "bob", false).isEmpty());
    assertTrue(jobs.cancel(job.id(), "bob", false).isEmpty());
    assertTrue(jobs.await(job.id(), "bob", false, Duration.ZERO).isEmpty());
    assertEquals(List.of(), jobs.list("bob"));
    assertEquals(JobState.QUEUED, jobs.find(job.id(), "ann", false).orElseThrow().state());
    assertTrue(jobs.find(job.id(), "root", true).isPresent());
    assertEquals(JobState.CANCELLED, jobs.cancel(job.id(), "root", true).orElseThrow().state());
    assertTrue(jobs.find("no-such-job", "root", true).isEmpty());
  }

  @Test
  void finishedJobs_areForgottenAfterTheRetention_unfinishedOnesNever() {
    JobRegistry jobs = byHand(5);
    Job finished = jobs.submit("ann", "coverage", new Permit(), progress -> "done");
    queued.poll().run();
    Job waiting = jobs.submit("ann", "backtest", new Permit(), progress -> "later");
    clock.advance(RETENTION.minusSeconds(1));
    assertTrue(jobs.find(finished.id(), "ann", false).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(jobs.find(finished.id(), "ann", false).isEmpty());
    clock.advance(RETENTION.multipliedBy(10));
    assertEquals(List.of(waiting.id()), jobs.list("ann").stream().map(Job::id).toList());
  }

  @Test
  void perCallerBound_forgetsTheOldestFinished_andRefusesWhenAllAreUnfinished() {
    JobRegistry jobs = byHand(2);
    Job first = jobs.submit("ann", "coverage", new Permit(), progress -> "1");
    clock.advance(Duration.ofSeconds(1));
    queued.poll().run();
    Job second = jobs.submit("ann", "backtest", new Permit(), progress -> "2");
    clock.advance(Duration.ofSeconds(1));
    Job third = jobs.submit("ann", "backtest", new Permit(), progress -> "3");
    assertTrue(jobs.find(first.id(), "ann", false).isEmpty(), "the finished one made room");
    assertEquals(List.of(third.id(), second.id()), jobs.list("ann").stream().map(Job::id).toList());

    Permit refused = new Permit();
    ProblemException full =
        assertThrows(
            ProblemException.class, () -> jobs.submit("ann", "backtest", refused, progress -> "4"));
    assertEquals(ProblemType.TOO_MANY_REQUESTS, full.type());
    assertTrue(full.getMessage().contains("arbiter.jobs.max-per-caller"), full.getMessage());
    assertEquals(1, refused.closed.get(), "a refused job's permit is released");
    assertEquals(2, jobs.list("ann").size());
    jobs.submit("bob", "backtest", new Permit(), progress -> "bob's own room");
    assertEquals(1, jobs.list("bob").size());
  }

  @Test
  void refusingExecutor_refusesTheJobAsServerBusy_andReleasesThePermit() {
    JobRegistry jobs =
        new JobRegistry(
            clock,
            work -> {
              throw new java.util.concurrent.RejectedExecutionException("full");
            },
            new JobRegistry.Limits(2, RETENTION));
    Permit permit = new Permit();
    ProblemException busy =
        assertThrows(
            ProblemException.class, () -> jobs.submit("ann", "backtest", permit, p -> "x"));
    assertEquals(ProblemType.SERVER_BUSY, busy.type());
    assertEquals(1, permit.closed.get());
    assertEquals(List.of(), jobs.list("ann"));
  }

  @Test
  void await_answersWhenTheJobFinishes_orAfterTheWait() throws InterruptedException {
    JobRegistry jobs = onThreads(5);
    CountDownLatch go = new CountDownLatch(1);
    Job job =
        jobs.submit(
            "ann",
            "impact",
            new Permit(),
            progress -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return "report";
            });
    assertFalse(
        jobs.await(job.id(), "ann", false, Duration.ofMillis(50)).orElseThrow().state().finished());
    go.countDown();
    assertEquals(
        "report", jobs.await(job.id(), "ann", false, LONG).orElseThrow().result().orElseThrow());
  }

  @Test
  void limits_mustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new JobRegistry.Limits(0, RETENTION));
    assertThrows(IllegalArgumentException.class, () -> new JobRegistry.Limits(1, Duration.ZERO));
  }
}
