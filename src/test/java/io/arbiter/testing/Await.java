package io.arbiter.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits for what a server does in the background — the SLA sweep settling a review, an hour's tally
 * — by reading again until the answer is final or the patience runs out. The caller asserts on the
 * last answer, so a timeout fails with what the server said last, not with a timeout alone.
 */
public final class Await {

  private static final Duration PAUSE = Duration.ofMillis(250);

  private Await() {}

  /** A read of the server's state; a request may throw. */
  @FunctionalInterface
  public interface Read<T> {
    T get() throws Exception;
  }

  /** The first answer {@code done} accepts, or the last one read within {@code patience}. */
  public static <T> T until(Read<T> read, Predicate<T> done, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    T answer = read.get();
    while (!done.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(PAUSE.toMillis());
      answer = read.get();
    }
    return answer;
  }

  /** A decision's {@code status} once it has left {@code pending_review}, within a minute. */
  public static String settled(Read<String> status) throws Exception {
    return until(status, s -> !"pending_review".equals(s), Duration.ofSeconds(60));
  }
}
