package io.arbiter.decision;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many submissions may do intake's CPU work at once. Intake and the projection behind it share
 * the same cores, and the scheduler shares a core among the threads that want it: with dozens of
 * request threads routing, mapping and digesting, the projector's single thread gets a sliver, the
 * graph falls behind, and intake is then refused outright. So while the projection keeps up, up to
 * {@code slots} submissions work at once; once it lags by more than {@code softLagMillis}, one at a
 * time — the others wait, without using a core, for at most {@code maxWait} — which leaves the
 * projector the rest. Waiting for the journal's force happens outside: it needs no core.
 */
public final class IntakeAdmission {

  /** A held slot; closing it twice releases it once. */
  public final class Slot implements AutoCloseable {
    private boolean open = true;

    @Override
    public void close() {
      if (open) {
        open = false;
        leave();
      }
    }
  }

  private final int slots;
  private final long softLagMillis;
  private final LongSupplier lagMillis;
  private final long maxWaitNanos;
  private int active;

  /**
   * @param slots most submissions working at once while the projection keeps up
   * @param softLagMillis projection lag past which one submission works at a time
   * @param lagMillis how far the projection lags now, in milliseconds
   * @param maxWait the longest a submission waits for a slot before it is refused
   */
  public IntakeAdmission(int slots, long softLagMillis, LongSupplier lagMillis, Duration maxWait) {
    if (slots < 1 || softLagMillis < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("slots must be positive, lag and wait not negative");
    }
    this.slots = slots;
    this.softLagMillis = softLagMillis;
    this.lagMillis = lagMillis;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** Lets every submission through at once: for tests and tools without a projection. */
  public static IntakeAdmission unlimited() {
    return new IntakeAdmission(Integer.MAX_VALUE, Long.MAX_VALUE, () -> 0, Duration.ZERO);
  }

  /** A slot, or empty if none was free within the wait. */
  public synchronized java.util.Optional<Slot> enter() {
    long deadline = System.nanoTime() + maxWaitNanos;
    while (active >= allowed()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return java.util.Optional.empty();
      }
      try {
        // Woken by a leaving submission; the lag can also fall without one, so look again soon.
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return java.util.Optional.empty();
      }
    }
    active++;
    return java.util.Optional.of(new Slot());
  }

  private int allowed() {
    return lagMillis.getAsLong() > softLagMillis ? 1 : slots;
  }

  private synchronized void leave() {
    active--;
    notifyAll();
  }
}
