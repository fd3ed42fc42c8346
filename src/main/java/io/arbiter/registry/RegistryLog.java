package io.arbiter.registry;

import io.arbiter.event.DomainEvent;
import io.arbiter.event.EventLog;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.concurrent.CompletionException;

/** How the registry records: durably before an entry takes effect, or not at all. */
final class RegistryLog {

  private RegistryLog() {}

  /**
   * Appends {@code event} and waits until it is durable.
   *
   * @throws ProblemException {@code store-unavailable} (503) when it was not recorded: nothing was
   *     written, so the caller may retry
   */
  static void record(EventLog log, DomainEvent event) {
    try {
      log.append(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new ProblemException(
          ProblemType.STORE_UNAVAILABLE,
          "The registry could not record "
              + event.type()
              + " and nothing changed; it is safe to retry.");
    }
  }
}
