package io.arbiter.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * Reads a segment at start-up, checking every record's framing, CRC and sequence number.
 *
 * <p>Only the end of the last segment can hold a record that a crash interrupted: a record is
 * acknowledged after its force, so an unforced tail was never acknowledged and is cut off. A tail
 * is taken for torn when the damaged record runs past the end of the file, is the last thing in it,
 * or is followed only by zeros (a file extended but never written). Damage anywhere else — in a
 * sealed segment, or followed by data — is not what a crash leaves: the scan stops with a {@link
 * JournalCorruptException} naming the segment and the offset.
 */
final class SegmentScan {

  private static final Logger LOG = Logger.getLogger(SegmentScan.class.getName());

  /** The records found: their offsets, and where the last whole one ends. */
  record Result(int[] offsets, int count, long end, boolean cut) {}

  private SegmentScan() {}

  static Result scan(
      Path path, FileChannel channel, long first, boolean last, Journal.RecordSink sink)
      throws IOException {
    long size = channel.size();
    SegmentReader reader = new SegmentReader(channel, size);
    ByteBuffer header = reader.window(0, RecordFormat.FILE_HEADER);
    if (header == null) {
      if (last) {
        return cut(path, channel, 0, first, new int[0], 0, "a header cut short");
      }
      throw new JournalCorruptException(path, 0, "the segment header is cut short");
    }
    byte[] magic = new byte[RecordFormat.MAGIC.length];
    header.duplicate().get(magic);
    if (!Arrays.equals(magic, RecordFormat.MAGIC)) {
      throw new JournalCorruptException(path, 0, "not an Arbiter journal segment");
    }
    long stated = header.getLong(header.position() + RecordFormat.MAGIC.length);
    if (stated != first) {
      throw new JournalCorruptException(
          path, RecordFormat.MAGIC.length, "its header says it starts at " + stated);
    }
    int[] offsets = new int[1024];
    int count = 0;
    long position = RecordFormat.FILE_HEADER;
    String[] why = new String[1];
    while (position < size) {
      ByteBuffer frame = reader.window(position, RecordFormat.RECORD_HEADER);
      String damage = null;
      boolean tornIfLast = false;
      int length = 0;
      if (frame == null) {
        damage = "a record header cut short";
        tornIfLast = true;
      } else {
        length = frame.getInt(frame.position());
        int crc = frame.getInt(frame.position() + Integer.BYTES);
        long payloadAt = position + RecordFormat.RECORD_HEADER;
        if (length < RecordFormat.PAYLOAD_FIXED || length > RecordFormat.MAX_PAYLOAD) {
          damage = "an impossible record length " + length;
          tornIfLast = reader.zeroFrom(position);
        } else if (payloadAt + length > size) {
          damage = "a record that runs past the end of the file";
          tornIfLast = true;
        } else {
          JournalRecord record = RecordFormat.parse(reader.window(payloadAt, length), crc, why);
          if (record == null) {
            damage = why[0];
            tornIfLast = payloadAt + length == size || reader.zeroFrom(payloadAt + length);
          } else if (record.sequence() != first + count) {
            throw new JournalCorruptException(
                path,
                position,
                "the record there holds sequence "
                    + record.sequence()
                    + " where "
                    + (first + count)
                    + " belongs");
          } else {
            if (count == offsets.length) {
              offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[count++] = Math.toIntExact(position);
            position = payloadAt + length;
            if (sink != null) {
              sink.accept(record);
            }
            continue;
          }
        }
      }
      if (last && tornIfLast) {
        return cut(path, channel, position, first, offsets, count, damage);
      }
      throw new JournalCorruptException(path, position, damage);
    }
    return new Result(offsets, count, position, false);
  }

  /** Cuts a torn tail off the last segment (and writes its header again if that was torn). */
  private static Result cut(
      Path path, FileChannel channel, long at, long first, int[] offsets, int count, String what)
      throws IOException {
    long size = channel.size();
    LOG.warning(
        () ->
            "journal segment "
                + path
                + ": cutting off "
                + (size - at)
                + " bytes of a write a crash interrupted ("
                + what
                + ") at offset "
                + at
                + "; it was never acknowledged");
    channel.truncate(at);
    long end = at;
    if (at == 0) {
      channel.write(RecordFormat.header(first), 0);
      end = RecordFormat.FILE_HEADER;
    }
    channel.force(true);
    return new Result(offsets, count, end, true);
  }
}
