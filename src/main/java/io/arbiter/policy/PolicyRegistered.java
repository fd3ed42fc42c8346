package io.arbiter.policy;

import io.arbiter.event.DomainEvent;
import java.time.Instant;

/** A policy version entered the graph ({@code policy.registered}): its document, rules and hash. */
public record PolicyRegistered(
    PolicyDocument document, String actor, Instant time, String subjectIri) implements DomainEvent {

  public static final String TYPE = "policy.registered";

  @Override
  public String type() {
    return TYPE;
  }
}
