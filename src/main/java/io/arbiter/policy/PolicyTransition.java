package io.arbiter.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** A step in a policy version's life, each recorded as its own event. */
public enum PolicyTransition {
  APPROVE("approve", "policy.approved", PolicyState.APPROVED, Set.of(PolicyState.DRAFT)),
  ACTIVATE(
      "activate",
      "policy.activated",
      PolicyState.ACTIVE,
      Set.of(PolicyState.APPROVED, PolicyState.SHADOW)),
  SHADOW("shadow", "policy.shadowed", PolicyState.SHADOW, Set.of(PolicyState.APPROVED)),
  RETIRE(
      "retire",
      "policy.retired",
      PolicyState.RETIRED,
      Set.of(PolicyState.DRAFT, PolicyState.APPROVED, PolicyState.ACTIVE, PolicyState.SHADOW));

  private final String wireName;
  private final String eventType;
  private final PolicyState target;
  private final Set<PolicyState> from;

  PolicyTransition(String wireName, String eventType, PolicyState target, Set<PolicyState> from) {
    this.wireName = wireName;
    this.eventType = eventType;
    this.target = target;
    this.from = from;
  }

  public String wireName() {
    return wireName;
  }

  public String eventType() {
    return eventType;
  }

  /** The state a version is in after this step. */
  public PolicyState target() {
    return target;
  }

  /** Whether a version in {@code state} may take this step. */
  public boolean allowedFrom(PolicyState state) {
    return from.contains(state);
  }

  public static Optional<PolicyTransition> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  public static Optional<PolicyTransition> fromEventType(String type) {
    return Arrays.stream(values()).filter(t -> t.eventType.equals(type)).findFirst();
  }
}
