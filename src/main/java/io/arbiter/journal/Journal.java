package io.arbiter.journal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only journal of events, Arbiter's durability point. Records are numbered gap-free from
 * 0 in the order the journal's single sequencer takes them; a record is acknowledged (its append
 * completes) only once it is durable, and is never changed afterwards.
 *
 * <p>Adapters: {@link FileJournal} (segment files on local disk). A Kafka adapter would number by
 * partition offset; nothing here assumes files.
 */
public interface Journal extends AutoCloseable {

  /**
   * Appends a record. The future completes with its sequence number once it is durable, or
   * exceptionally with a {@link JournalException} when it was not recorded (then it never will be,
   * and no number was used for it).
   */
  CompletableFuture<Long> append(Draft draft);

  /**
   * Registers a listener for every record made durable from now on; register before the first
   * append (start-up), since records already durable are not replayed to it.
   */
  void onDurable(DurableListener listener);

  /** How many records are durable and readable: one past the highest sequence number. */
  long size();

  /** Record {@code sequence}, if it is durable. */
  Optional<JournalRecord> read(long sequence);

  /**
   * Hands every record with {@code from <= sequence < to} to {@code sink} in order, stopping early
   * if the sink returns false. Records appended meanwhile are not read past {@code to}.
   */
  void forEach(long from, long to, RecordSink sink);

  /** Reads in order, one record at a time. */
  @FunctionalInterface
  interface RecordSink {
    /** Returns whether to go on. */
    boolean accept(JournalRecord record);
  }

  /**
   * Closes the segment being written, so that every record so far lies in immutable segments, and
   * returns those segments, named as they stay (compressed first, when sealed segments are): a
   * consistent backup is a copy of them (docs/operations.md).
   */
  List<Segment> seal();

  /** One sealed, immutable piece of the journal. */
  record Segment(String name, long firstSequence, long records, long bytes) {}

  /** Bytes the journal occupies on disk. */
  long diskBytes();

  /** Why the journal takes no more records, if it has stopped (a failed force, say). */
  Optional<String> failure();

  /** Stops taking records, writes and forces what is queued, and releases the files. */
  @Override
  void close();
}
