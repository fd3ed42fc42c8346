package io.arbiter.review;

import io.arbiter.security.Roles;
import java.util.function.Predicate;

/** Who is asking, and which roles they hold. */
public record Caller(String name, Predicate<String> hasRole) {

  /** Auditors and admins see every task and everything in it once it is recorded. */
  public boolean oversees() {
    return hasRole.test(Roles.AUDITOR) || hasRole.test(Roles.ADMIN);
  }

  /**
   * Whether the caller can read models' outputs outside review (every decision, SPARQL, replay and
   * backtest traces): such a person cannot review blind.
   */
  public boolean seesModelOutputsElsewhere() {
    return oversees() || hasRole.test(Roles.POLICY_AUTHOR) || hasRole.test(Roles.POLICY_APPROVER);
  }

  public boolean isLead() {
    return hasRole.test(Roles.LEAD_REVIEWER);
  }

  /** Whether the caller holds one of the queue's roles. */
  public boolean works(QueueSettings queue) {
    return queue.roles().stream().anyMatch(hasRole);
  }
}
