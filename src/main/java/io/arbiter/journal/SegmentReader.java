package io.arbiter.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment front to back through one large buffer: a record costs no system call of its own,
 * which is what makes scanning a whole journal at start-up or for a rebuild affordable.
 */
final class SegmentReader {

  private static final int BUFFER = 1 << 20;

  private final FileChannel channel;
  private final long end;
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private long bufferStart;

  /**
   * @param end where reading stops: the file's size, or where the journal has written so far
   */
  SegmentReader(FileChannel channel, long end) {
    this.channel = channel;
    this.end = end;
    buffer.limit(0);
  }

  long end() {
    return end;
  }

  /**
   * {@code length} bytes from {@code position} as a buffer whose position and limit frame them, or
   * null if fewer than that remain before the end. The buffer is valid until the next call.
   */
  ByteBuffer window(long position, int length) throws IOException {
    if (length < 0 || position + length > end) {
      return null;
    }
    long bufferEnd = bufferStart + buffer.limit();
    if (position < bufferStart || position + length > bufferEnd) {
      fill(position, length);
    }
    int at = (int) (position - bufferStart);
    return buffer.duplicate().limit(at + length).position(at);
  }

  private void fill(long position, int length) throws IOException {
    if (buffer.capacity() < length) {
      buffer = ByteBuffer.allocate(Math.max(length, BUFFER));
    }
    buffer.clear();
    int wanted = (int) Math.min(buffer.capacity(), end - position);
    buffer.limit(wanted);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("the file ended before byte " + (position + wanted));
      }
    }
    buffer.flip();
    bufferStart = position;
  }

  /**
   * Whether every byte from {@code position} to the end is zero (a file extended, never written).
   */
  boolean zeroFrom(long position) throws IOException {
    for (long at = position; at < end; ) {
      int chunk = (int) Math.min(BUFFER, end - at);
      ByteBuffer window = window(at, chunk);
      for (int i = window.position(); i < window.limit(); i++) {
        if (window.get(i) != 0) {
          return false;
        }
      }
      at += chunk;
    }
    return true;
  }
}
