package io.arbiter.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many interactive requests are in flight, so that heavy work can step aside for them.
 *
 * <p>Every request counts as interactive from the moment it enters until it leaves, unless it takes
 * a permit for heavy work ({@link Permits}: exports, verifications, SPARQL and audit queries,
 * reports, event streams), which marks it heavy on its own thread. Heavy work that runs in steps,
 * such as an export's records, calls {@link #stepAside()} between steps: while an interactive
 * request is in flight it pauses for a moment, so that on a machine of two cores a reviewer's
 * request does not share its core with a stream of quads. The pause is bounded per step, so a
 * server that is never idle slows an export down but never stops it.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class InteractiveLoad extends HttpFilter {

  /** The longest one step waits for interactive requests to finish. */
  static final long MAX_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final long PAUSE_MILLIS = 1;

  private static final AtomicInteger INTERACTIVE = new AtomicInteger();

  /** The request on this thread, if any: whether it has been marked heavy. */
  private static final ThreadLocal<boolean[]> REQUEST = new ThreadLocal<>();

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    begin();
    try {
      chain.doFilter(request, response);
    } finally {
      end();
    }
  }

  /** A request enters, as interactive. */
  static void begin() {
    REQUEST.set(new boolean[1]);
    INTERACTIVE.incrementAndGet();
  }

  /** The request on this thread leaves. */
  static void end() {
    boolean[] heavy = REQUEST.get();
    REQUEST.remove();
    if (heavy != null && !heavy[0]) {
      INTERACTIVE.decrementAndGet();
    }
  }

  /** The request on this thread is heavy work from now on (no-op off a request thread). */
  static void markHeavy() {
    boolean[] heavy = REQUEST.get();
    if (heavy != null && !heavy[0]) {
      heavy[0] = true;
      INTERACTIVE.decrementAndGet();
    }
  }

  /** Interactive requests in flight now. */
  static int interactive() {
    return INTERACTIVE.get();
  }

  /**
   * Between two steps of heavy work: waits, in pauses of a millisecond and for at most {@link
   * #MAX_STEP_NANOS}, while an interactive request is in flight. Returns at once when none is.
   */
  public static void stepAside() {
    if (INTERACTIVE.get() <= 0) {
      return;
    }
    long deadline = System.nanoTime() + MAX_STEP_NANOS;
    try {
      while (INTERACTIVE.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(PAUSE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
