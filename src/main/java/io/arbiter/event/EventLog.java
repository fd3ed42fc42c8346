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

  /**
   * Appends an event and waits until it is durable, for work that simply tries again later when the
   * log cannot take it (drift assessment, SLO evaluation): false, with the cause logged, if it was
   * not recorded.
   */
  default boolean appendOrLog(DomainEvent event) {
    try {
      append(event).toCompletableFuture().join();
      return true;
    } catch (java.util.concurrent.CompletionException e) {
      java.util.logging.Logger.getLogger(EventLog.class.getName())
          .log(java.util.logging.Level.WARNING, "could not record " + event.type(), e.getCause());
      return false;
    }
  }
}
