package io.arbiter.event;

import java.util.concurrent.CompletionStage;

/**
 * The append-only log of domain events. One writer assigns gap-free sequence numbers; an event is
 * acknowledged only once it is durable.
 */
public interface EventLog {

  /**
   * Appends an event. The returned stage completes once the event's bundle is committed, or
   * exceptionally with {@link EventLogUnavailableException} if it could not be recorded; then
   * nothing of it was written.
   */
  CompletionStage<Recorded> append(DomainEvent event);
}
