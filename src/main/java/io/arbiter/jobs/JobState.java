package io.arbiter.jobs;

import java.util.Locale;

/**
 * Where a job is: queued → running → succeeded, failed or cancelled; a queued job may be cancelled
 * before it runs. The last three are final.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** As the API writes it: {@code queued}, {@code running}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
