package io.arbiter.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file: its first sequence number, the byte offset of each of its records, and where it
 * ends. Only the journal's sequencer adds records, and only to the last segment; readers see a
 * record once the journal has published its sequence number (a volatile write after the offsets),
 * so they never read an offset being written.
 */
final class SegmentFile implements StoredSegment {

  static final String SUFFIX = ".journal";

  final Path path;
  final long first;
  final FileChannel channel;
  // Volatile: readers on other threads take them after the journal published a size; a resized
  // array must reach them with its contents.
  private volatile int[] offsets;
  private volatile int count;
  private volatile long end;

  SegmentFile(Path path, long first, FileChannel channel, int[] offsets, int count, long end) {
    this.path = path;
    this.first = first;
    this.channel = channel;
    this.offsets = offsets;
    this.count = count;
    this.end = end;
  }

  static String name(long first) {
    return String.format("%020d%s", first, SUFFIX);
  }

  /** The first sequence number a file name states, or -1 if it is not a segment's name. */
  static long firstOf(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public long first() {
    return first;
  }

  @Override
  public long bytes() {
    return end;
  }

  int count() {
    return count;
  }

  long end() {
    return end;
  }

  /** One past the last sequence number in this segment. */
  @Override
  public long next() {
    return first + count;
  }

  long offset(long sequence) {
    return offsets[(int) (sequence - first)];
  }

  /** Notes a record the sequencer has just written at {@code offset}, {@code bytes} long. */
  void added(long offset, int bytes) {
    int[] current = offsets;
    if (count == current.length) {
      current = Arrays.copyOf(current, Math.max(1024, current.length * 2));
    }
    current[count] = Math.toIntExact(offset);
    offsets = current;
    count = count + 1;
    end = offset + bytes;
  }

  /** Forgets records from {@code count} on (a write that failed part-way is cut off). */
  void cut(int keep, long at) {
    count = keep;
    end = at;
  }

  /** Reads {@code length} bytes at {@code position} in full. */
  ByteBuffer read(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException(path + " ends before byte " + (position + length));
      }
    }
    return buffer.flip();
  }

  @Override
  public JournalRecord read(long sequence) throws IOException {
    long offset = offset(sequence);
    ByteBuffer frame = read(offset, RecordFormat.RECORD_HEADER);
    int length = frame.getInt(0);
    int crc = frame.getInt(Integer.BYTES);
    ByteBuffer payload = read(offset + RecordFormat.RECORD_HEADER, length);
    return StoredSegment.checked(path, offset, payload, crc, sequence);
  }

  @Override
  public boolean forEach(long from, long to, Journal.RecordSink sink) throws IOException {
    long last = Math.min(to, next());
    long stop = last < next() ? offset(last) : end;
    SegmentReader reader = new SegmentReader(channel, stop);
    long offset = offset(from);
    for (long sequence = from; sequence < last; sequence++) {
      ByteBuffer frame = reader.window(offset, RecordFormat.RECORD_HEADER);
      if (frame == null) {
        throw new JournalCorruptException(path, offset, "a record cut short");
      }
      int length = frame.getInt(frame.position());
      int crc = frame.getInt(frame.position() + Integer.BYTES);
      ByteBuffer payload = reader.window(offset + RecordFormat.RECORD_HEADER, length);
      if (payload == null) {
        throw new JournalCorruptException(path, offset, "a record cut short");
      }
      if (!sink.accept(StoredSegment.checked(path, offset, payload, crc, sequence))) {
        return false;
      }
      offset += RecordFormat.RECORD_HEADER + length;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
