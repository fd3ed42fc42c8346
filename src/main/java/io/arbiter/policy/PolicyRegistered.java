package io.arbiter.policy;

import io.arbiter.event.DomainEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * A policy version entered the graph as a draft ({@code policy.registered}): its document, rules,
 * hash and author.
 *
 * @param previousVersion the version of the same policy registered before it, which it revises
 */
public record PolicyRegistered(
    PolicyDocument document,
    String actor,
    Instant time,
    String subjectIri,
    Optional<String> previousVersion)
    implements DomainEvent {

  public static final String TYPE = "policy.registered";

  @Override
  public String type() {
    return TYPE;
  }
}
