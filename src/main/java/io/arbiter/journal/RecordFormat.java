package io.arbiter.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * How records are laid out in a segment file. Big-endian throughout.
 *
 * <pre>
 * segment   = header record*
 * header    = "ARBJRNL1" (8 bytes) first-sequence (u64)
 * record    = length (u32) crc (u32) payload          ; length counts the payload only
 * payload   = sequence (u64) entry-length (u32) entry bundle
 * crc       = CRC-32C (Castagnoli) of the payload
 * </pre>
 *
 * The sequence inside each payload lets a reader check that records are where their position says;
 * the CRC covers it, so a record copied to the wrong place or a torn write is caught either way.
 */
final class RecordFormat {

  static final byte[] MAGIC = "ARBJRNL1".getBytes(StandardCharsets.US_ASCII);
  static final int FILE_HEADER = MAGIC.length + Long.BYTES;
  static final int RECORD_HEADER = 2 * Integer.BYTES;
  static final int PAYLOAD_FIXED = Long.BYTES + Integer.BYTES;

  /** The largest payload a record may have; a longer length field is damage, not a record. */
  static final int MAX_PAYLOAD = 256 << 20;

  private RecordFormat() {}

  static ByteBuffer header(long firstSequence) {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.BIG_ENDIAN);
    header.put(MAGIC).putLong(firstSequence).flip();
    return header;
  }

  /** Bytes the record takes in a segment, header included. */
  static int size(byte[] entry, byte[] bundle) {
    long size = (long) RECORD_HEADER + PAYLOAD_FIXED + entry.length + bundle.length;
    if (size - RECORD_HEADER > MAX_PAYLOAD) {
      throw new JournalException(
          "a record of " + size + " bytes is larger than the journal allows (" + MAX_PAYLOAD + ")");
    }
    return (int) size;
  }

  /** Writes one record at {@code out}'s position. */
  static void write(ByteBuffer out, long sequence, byte[] entry, byte[] bundle) {
    int payload = PAYLOAD_FIXED + entry.length + bundle.length;
    out.putInt(payload);
    int crcAt = out.position();
    out.putInt(0);
    int start = out.position();
    out.putLong(sequence).putInt(entry.length).put(entry).put(bundle);
    out.putInt(crcAt, crc(out, start, out.position()));
  }

  static int crc(ByteBuffer buffer, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate().limit(to).position(from));
    return (int) crc.getValue();
  }

  /**
   * The record in {@code payload} (position to limit), or null with the reason in {@code why} when
   * its CRC or its framing is wrong.
   */
  static JournalRecord parse(ByteBuffer payload, int expectedCrc, String[] why) {
    int from = payload.position();
    int to = payload.limit();
    if (crc(payload, from, to) != expectedCrc) {
      why[0] = "CRC-32C mismatch";
      return null;
    }
    if (to - from < PAYLOAD_FIXED) {
      why[0] = "payload shorter than its fixed part";
      return null;
    }
    long sequence = payload.getLong(from);
    int entryLength = payload.getInt(from + Long.BYTES);
    int rest = to - from - PAYLOAD_FIXED;
    if (entryLength < 0 || entryLength > rest) {
      why[0] = "entry length " + entryLength + " exceeds the payload";
      return null;
    }
    byte[] entry = new byte[entryLength];
    byte[] bundle = new byte[rest - entryLength];
    payload.get(from + PAYLOAD_FIXED, entry);
    payload.get(from + PAYLOAD_FIXED + entryLength, bundle);
    return new JournalRecord(sequence, entry, bundle);
  }
}
