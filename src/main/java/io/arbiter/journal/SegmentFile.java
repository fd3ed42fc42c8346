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
final class SegmentFile implements AutoCloseable {

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

  int count() {
    return count;
  }

  long end() {
    return end;
  }

  /** One past the last sequence number in this segment. */
  long next() {
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
  public void close() throws IOException {
    channel.close();
  }
}
