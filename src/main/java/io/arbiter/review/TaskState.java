package io.arbiter.review;

import java.util.Locale;
import java.util.Optional;

/** Where a review task stands; derived from its events. */
public enum TaskState {
  /** Waiting for verdicts. */
  OPEN,
  /** The reviewers disagreed; waiting for a lead reviewer's ruling. */
  ADJUDICATION,
  /** Decided by the reviewers, or by a lead after they disagreed. */
  SETTLED,
  /** The SLA ran out; the fail-safe outcome was applied. */
  TIMED_OUT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this == SETTLED || this == TIMED_OUT;
  }

  public static Optional<TaskState> fromWireName(String name) {
    for (TaskState state : values()) {
      if (state.wireName().equals(name)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
