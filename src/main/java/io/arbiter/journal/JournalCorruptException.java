package io.arbiter.journal;

import java.nio.file.Path;

/**
 * A record that is not what was written, somewhere a crash cannot explain: not at the tail of the
 * last segment. Start-up stops rather than serve or extend a journal it cannot trust; the message
 * names the segment and the byte offset so an operator can restore that segment from a backup.
 */
public final class JournalCorruptException extends JournalException {

  private final Path segment;
  private final long offset;

  public JournalCorruptException(Path segment, long offset, String what) {
    super(
        "journal segment "
            + segment
            + " is damaged at byte offset "
            + offset
            + ": "
            + what
            + " (restore this segment from a backup; see docs/operations.md)");
    this.segment = segment;
    this.offset = offset;
  }

  public Path segment() {
    return segment;
  }

  public long offset() {
    return offset;
  }
}
