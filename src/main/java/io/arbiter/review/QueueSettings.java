package io.arbiter.review;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who may work a queue and what happens when its tasks run short of time.
 *
 * @param roles the roles whose holders may claim and decide its tasks
 * @param escalateTo where a task goes when its SLA runs short; empty: it stays
 * @param claimTimeout how long a claim holds a reviewer slot
 */
public record QueueSettings(
    String name, Set<String> roles, Optional<String> escalateTo, Duration claimTimeout) {

  public QueueSettings {
    roles = Set.copyOf(roles);
    if (claimTimeout.isNegative() || claimTimeout.isZero()) {
      throw new IllegalArgumentException("claimTimeout must be positive");
    }
  }
}
