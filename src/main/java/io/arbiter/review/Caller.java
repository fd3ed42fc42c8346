package io.arbiter.review;

import io.arbiter.security.Roles;
import java.util.function.Predicate;

/** Who is asking, and which roles they hold. */
public record Caller(String name, Predicate<String> hasRole) {

  /** Auditors and admins see every task and everything in it once it is recorded. */
  public boolean oversees() {
    return hasRole.test(Roles.AUDITOR) || hasRole.test(Roles.ADMIN);
  }

  public boolean isLead() {
    return hasRole.test(Roles.LEAD_REVIEWER);
  }

  /** Whether the caller holds one of the queue's roles. */
  public boolean works(QueueSettings queue) {
    return queue.roles().stream().anyMatch(hasRole);
  }
}
