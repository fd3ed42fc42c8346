package io.arbiter.event;

/**
 * The log could not record an event (store down, writer stopped, queue full); nothing was written.
 */
public final class EventLogUnavailableException extends RuntimeException {
  public EventLogUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public EventLogUnavailableException(String message) {
    super(message);
  }
}
