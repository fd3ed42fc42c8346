package io.arbiter.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A segment as readers see it, plain ({@link SegmentFile}) or compressed once sealed ({@link
 * CompressedSegment}). Every read checks each record's CRC and sequence number.
 */
interface StoredSegment extends AutoCloseable {

  Path path();

  /** The first sequence number in this segment. */
  long first();

  /** One past the last sequence number in this segment. */
  long next();

  /** Bytes on disk. */
  long bytes();

  /**
   * Record {@code sequence}, which this segment holds.
   *
   * @throws java.nio.channels.ClosedChannelException if the segment was replaced meanwhile (read it
   *     again from the journal's current segments)
   */
  JournalRecord read(long sequence) throws IOException;

  /**
   * Hands records {@code from <= sequence < to} (within this segment) to {@code sink} in order;
   * returns false if the sink asked to stop.
   */
  boolean forEach(long from, long to, Journal.RecordSink sink) throws IOException;

  @Override
  void close() throws IOException;

  /** The record in {@code payload}, or the damage named. */
  static JournalRecord checked(
      Path path, long offset, java.nio.ByteBuffer payload, int crc, long sequence) {
    String[] why = new String[1];
    JournalRecord record = RecordFormat.parse(payload, crc, why);
    if (record == null) {
      throw new JournalCorruptException(path, offset, why[0]);
    }
    if (record.sequence() != sequence) {
      throw new JournalCorruptException(
          path, offset, "holds sequence " + record.sequence() + ", not " + sequence);
    }
    return record;
  }
}
