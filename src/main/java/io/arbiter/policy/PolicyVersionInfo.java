package io.arbiter.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy version with where it stands: its compiled form, state, author, approver and every step
 * it took.
 */
public record PolicyVersionInfo(
    CompiledPolicy policy,
    PolicyState state,
    String author,
    Instant registeredAt,
    Optional<String> previousVersion,
    Optional<String> approver,
    List<Step> history) {

  /** One step of the version's life. */
  public record Step(
      PolicyTransition transition, String actor, Instant time, Optional<String> reason) {}

  public PolicyVersionInfo {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(state, "state");
    history = List.copyOf(history);
  }

  public String id() {
    return policy.id();
  }

  public String version() {
    return policy.version();
  }

  public PolicyDocument document() {
    return policy.document();
  }

  PolicyVersionInfo with(PolicyState next) {
    return new PolicyVersionInfo(
        policy, next, author, registeredAt, previousVersion, approver, history);
  }

  PolicyVersionInfo after(PolicyTransitioned event) {
    List<Step> steps = new java.util.ArrayList<>(history);
    steps.add(new Step(event.transition(), event.actor(), event.time(), event.reason()));
    return new PolicyVersionInfo(
        policy,
        event.transition().target(),
        author,
        registeredAt,
        previousVersion,
        event.transition() == PolicyTransition.APPROVE ? Optional.of(event.actor()) : approver,
        steps);
  }
}
