package io.arbiter.policy;

import java.util.Locale;
import java.util.Optional;

/** Where a decision goes: applied automatically (approve, reject) or to a human. */
public enum Route {
  APPROVE,
  REJECT,
  REVIEW;

  /** The lower-case name used in policy documents, JSON and the graph. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean automated() {
    return this != REVIEW;
  }

  public static Optional<Route> fromWireName(String name) {
    for (Route route : values()) {
      if (route.wireName().equals(name)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }
}
