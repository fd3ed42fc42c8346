package io.arbiter.web;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How many costly requests of one kind (SPARQL queries, exports, verifications) may run at once:
 * {@code perCaller} for each user, {@code total} for all. One beyond either is refused at once
 * rather than queued, since a queue of costly requests only moves the overload into waiting
 * threads: {@code 429 too-many-requests} for one caller's own, {@code 503 server-busy} when
 * everyone's together fill the server; both with {@code Retry-After}.
 *
 * @param what the requests, for the messages: "SPARQL queries", "exports", …
 * @param setting the configuration prefix whose {@code max-concurrent-per-caller} and {@code
 *     max-concurrent} set the two numbers, named in the messages
 */
public final class Permits {

  /** Releases a permit; closing it again does nothing. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final String what;
  private final String setting;
  private final int perCaller;
  private final Semaphore total;
  private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

  /**
   * The permits the application's configuration sets: {@code setting.max-concurrent-per-caller} and
   * {@code setting.max-concurrent} (MicroProfile Config), so that each kind of costly request reads
   * its two numbers the same way.
   */
  public static Permits configured(String what, String setting) {
    Config config = ConfigProvider.getConfig();
    return new Permits(
        what,
        setting,
        config.getValue(setting + ".max-concurrent-per-caller", Integer.class),
        config.getValue(setting + ".max-concurrent", Integer.class));
  }

  /** Requires both numbers to be positive. */
  public Permits(String what, String setting, int perCaller, int total) {
    if (perCaller <= 0 || total <= 0) {
      throw new IllegalArgumentException(setting + " permits must be positive");
    }
    this.what = what;
    this.setting = setting;
    this.perCaller = perCaller;
    this.total = new Semaphore(total);
  }

  /**
   * @throws ProblemException {@code too-many-requests} or {@code server-busy}
   */
  public Permit acquire(String caller) {
    running.compute(
        caller,
        (name, now) -> {
          int count = now == null ? 0 : now;
          if (count >= perCaller) {
            throw new ProblemException(
                ProblemType.TOO_MANY_REQUESTS,
                "You have "
                    + count
                    + " "
                    + what
                    + " running, as many as one caller may ("
                    + setting
                    + ".max-concurrent-per-caller); wait for one to finish.");
          }
          return count + 1;
        });
    if (!total.tryAcquire()) {
      release(caller);
      throw new ProblemException(
          ProblemType.SERVER_BUSY,
          "The server is running as many "
              + what
              + " as it may ("
              + setting
              + ".max-concurrent); try again shortly.");
    }
    // Heavy work from here on: interactive requests no longer wait behind this one's steps.
    InteractiveLoad.markHeavy();
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.getAndSet(false)) {
        total.release();
        release(caller);
      }
    };
  }

  private void release(String caller) {
    running.compute(caller, (name, now) -> now == null || now <= 1 ? null : now - 1);
  }
}
