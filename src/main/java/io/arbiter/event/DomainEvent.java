package io.arbiter.event;

import java.time.Instant;

/**
 * Something that happened and must be recorded: one event becomes one immutable bundle.
 *
 * <p>Implementations are records owned by the capability that raises them.
 */
public interface DomainEvent {

  /** Stable, dotted event type, e.g. {@code decision.submitted}; part of the public record. */
  String type();

  /** User name of the agent that caused the event (an authenticated caller, or {@code arbiter}). */
  String actor();

  /** When the event happened, from the injected clock. */
  Instant time();

  /** IRI of the resource the event is about; bundles are found by it. */
  String subjectIri();
}
