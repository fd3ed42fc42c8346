package io.arbiter.drift;

import java.time.Duration;

/**
 * How drift is assessed (configuration {@code arbiter.drift.*}). An alarm is raised when any
 * statistic reaches its alarm threshold and cleared once every statistic is below its clear
 * threshold: the gap between the two keeps an alarm from flapping.
 *
 * @param window how many recent values of each input a window keeps
 * @param minSamples how many values an input's window needs before it is assessed
 * @param interval how often windows are assessed
 */
public record DriftSettings(
    int window,
    int minSamples,
    double psiAlarm,
    double psiClear,
    double ksAlarm,
    double ksClear,
    Duration interval) {

  public DriftSettings {
    if (window < 1 || minSamples < 1 || minSamples > window) {
      throw new IllegalArgumentException(
          "arbiter.drift: need 1 <= min-samples <= window, not " + minSamples + " and " + window);
    }
    if (!(psiClear > 0 && psiClear <= psiAlarm) || !(ksClear > 0 && ksClear <= ksAlarm)) {
      throw new IllegalArgumentException(
          "arbiter.drift: need 0 < clear threshold <= alarm threshold for psi and ks");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("arbiter.drift.interval must be positive");
    }
  }
}
