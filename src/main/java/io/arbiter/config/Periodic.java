package io.arbiter.config;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work Arbiter repeats on the container's managed scheduler (the SLA sweep, drift assessment, SLO
 * evaluation): at a fixed delay, a run that fails logged and the next one trying again, so one bad
 * run never cancels the schedule.
 */
public final class Periodic {

  private static final Logger LOG = Logger.getLogger(Periodic.class.getName());

  private Periodic() {}

  /**
   * @param what what the task is, for the log ("SLA sweep")
   * @throws IllegalStateException when the interval is not positive
   */
  public static ScheduledFuture<?> every(
      ScheduledExecutorService scheduler, Duration interval, String what, Runnable task) {
    long millis = interval.toMillis();
    if (millis <= 0) {
      throw new IllegalStateException("the interval of the " + what + " must be positive");
    }
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed; retrying at the next interval", e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
  }
}
