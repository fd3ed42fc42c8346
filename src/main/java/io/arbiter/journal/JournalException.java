package io.arbiter.journal;

/**
 * The journal could not take or give a record: the disk refused a write, the journal stopped, or it
 * is full. Nothing of a refused record was acknowledged.
 */
public class JournalException extends RuntimeException {

  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
