package io.arbiter.policy;

import io.arbiter.event.DomainEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy version took a step in its life ({@code policy.approved}, {@code policy.activated},
 * {@code policy.shadowed}, {@code policy.retired}).
 *
 * @param endedActive the version of the same policy that stopped being active because of this step
 *     (the one an activation displaced, or this version when an active version is retired)
 * @param endedShadow likewise for the shadow version
 * @param reason why, in the actor's words, if given
 */
public record PolicyTransitioned(
    String policyId,
    String version,
    PolicyTransition transition,
    String actor,
    Instant time,
    String subjectIri,
    Optional<String> endedActive,
    Optional<String> endedShadow,
    Optional<String> reason)
    implements DomainEvent {

  public PolicyTransitioned {
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(transition, "transition");
  }

  @Override
  public String type() {
    return transition.eventType();
  }
}
