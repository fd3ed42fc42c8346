package io.arbiter.decision;

import io.arbiter.policy.Route;
import java.util.Locale;
import java.util.Optional;

/** Where a decision stands. Derived from its events, never stored as a mutable field. */
public enum DecisionStatus {
  /** The policy approved or rejected it; no human needed. */
  AUTOMATED,
  /** Waiting for a human verdict. */
  PENDING_REVIEW,
  /** Was waiting for humans and is now settled (by verdict, ruling, or the SLA's fail-safe). */
  SETTLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DecisionStatus> fromWireName(String name) {
    for (DecisionStatus status : values()) {
      if (status.wireName().equals(name)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  static DecisionStatus after(Route route) {
    return route.automated() ? AUTOMATED : PENDING_REVIEW;
  }
}
