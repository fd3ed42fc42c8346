package io.arbiter.graph.api;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many SPARQL queries may run at once: {@code perCaller} for each user, {@code total} for all.
 * A query beyond either is refused at once rather than queued, since a queue of costly queries only
 * moves the overload into waiting threads: {@code 429 too-many-requests} for one caller's own,
 * {@code 503 server-busy} when everyone's together fill the server; both with {@code Retry-After}.
 */
final class QueryPermits {

  /** Releases a permit; idempotent is not needed, as only {@link SparqlService} holds them. */
  interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final int perCaller;
  private final Semaphore total;
  private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

  /** Requires both to be positive. */
  QueryPermits(int perCaller, int total) {
    if (perCaller <= 0 || total <= 0) {
      throw new IllegalArgumentException("query permits must be positive");
    }
    this.perCaller = perCaller;
    this.total = new Semaphore(total);
  }

  /**
   * @throws ProblemException {@code too-many-requests} or {@code server-busy}
   */
  Permit acquire(String caller) {
    running.compute(
        caller,
        (name, now) -> {
          int count = now == null ? 0 : now;
          if (count >= perCaller) {
            throw new ProblemException(
                ProblemType.TOO_MANY_REQUESTS,
                "You have "
                    + count
                    + " SPARQL queries running, as many as one caller may"
                    + " (arbiter.sparql.max-concurrent-per-caller); wait for one to finish.");
          }
          return count + 1;
        });
    if (!total.tryAcquire()) {
      release(caller);
      throw new ProblemException(
          ProblemType.SERVER_BUSY,
          "The server is running as many SPARQL queries as it may (arbiter.sparql.max-concurrent);"
              + " try again shortly.");
    }
    return () -> {
      total.release();
      release(caller);
    };
  }

  private void release(String caller) {
    running.compute(caller, (name, now) -> now == null || now <= 1 ? null : now - 1);
  }
}
