package io.arbiter.review;

import io.arbiter.security.Roles;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Who is asking, and which roles they hold. */
public record Caller(String name, Predicate<String> hasRole) {

  /**
   * A caller whose role checks are asked of {@code roles} once per role: listing the review queues
   * checks the caller's roles against every task, and a container's role check (a security
   * context's) is not free — at 30,000 tasks it was most of a reviewer's list.
   */
  public static Caller remembering(String name, Predicate<String> roles) {
    java.util.Map<String, Boolean> known = new java.util.concurrent.ConcurrentHashMap<>();
    return new Caller(name, role -> known.computeIfAbsent(role, roles::test));
  }

  /**
   * A caller whose roles are asked of {@code roles} now, once each: for a caller asked about later,
   * after its request has ended (a reviewer's event stream), when the container can no longer
   * answer.
   */
  public static Caller withRolesNow(String name, Predicate<String> roles) {
    Set<String> held = Roles.ALL.stream().filter(roles).collect(Collectors.toUnmodifiableSet());
    return new Caller(name, held::contains);
  }

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
