package io.arbiter.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A sealed segment, compressed: the same record frames, in chunks of about {@link #CHUNK} bytes,
 * each deflated on its own so that one record is read by inflating one chunk. Canonical N-Quads
 * repeat their graph name and IRIs on every line, and compress several times over.
 *
 * <pre>
 * file   = "ARBJRNZ1" first-sequence (u64) records (u32) chunk*
 * chunk  = compressed-length (u32) plain-length (u32) first-sequence (u64) records (u32)
 *          crc (u32, CRC-32C of the compressed bytes) compressed bytes (raw DEFLATE)
 * </pre>
 *
 * The plain bytes of a chunk are whole record frames as {@link RecordFormat} lays them out, each
 * with its own CRC, which every read checks as for a plain segment.
 */
final class CompressedSegment implements StoredSegment {

  static final String SUFFIX = ".journal.z";
  static final byte[] MAGIC = "ARBJRNZ1".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER = MAGIC.length + Long.BYTES + Integer.BYTES;
  static final int CHUNK_HEADER = 4 * Integer.BYTES + Long.BYTES;
  private static final int CHUNK_CRC_AT = CHUNK_HEADER - Integer.BYTES;

  /** Plain bytes per chunk: a random read inflates about this much. */
  static final int CHUNK = 1 << 20;

  private record Chunk(long offset, int compressed, int plain, long first, int records) {}

  private record Inflated(int chunk, ByteBuffer plain) {}

  private final Path path;
  private final long first;
  private final long next;
  private final FileChannel channel;
  private final List<Chunk> chunks;
  private final long bytes;
  private volatile Inflated last;

  private CompressedSegment(
      Path path, long first, long next, FileChannel channel, List<Chunk> chunks, long bytes) {
    this.path = path;
    this.first = first;
    this.next = next;
    this.channel = channel;
    this.chunks = chunks;
    this.bytes = bytes;
  }

  static String name(long first) {
    return String.format("%020d%s", first, SUFFIX);
  }

  /**
   * Writes {@code sealed}'s records, compressed, to {@code target}, and forces it. The caller
   * renames it into place.
   */
  static void write(SegmentFile sealed, Path target) throws IOException {
    try (FileChannel out =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
      header.put(MAGIC).putLong(sealed.first).putInt(sealed.count()).flip();
      long at = write(out, header, 0);
      SegmentReader reader = new SegmentReader(sealed.channel, sealed.end());
      Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
      try {
        long sequence = sealed.first;
        long offset = RecordFormat.FILE_HEADER;
        while (sequence < sealed.next()) {
          long chunkFirst = sequence;
          long chunkStart = offset;
          int records = 0;
          while (sequence < sealed.next() && (records == 0 || offset - chunkStart < CHUNK)) {
            ByteBuffer frame = reader.window(offset, RecordFormat.RECORD_HEADER);
            offset += RecordFormat.RECORD_HEADER + frame.getInt(frame.position());
            sequence++;
            records++;
          }
          ByteBuffer plain = reader.window(chunkStart, (int) (offset - chunkStart));
          at = writeChunk(out, at, deflater, plain, chunkFirst, records);
        }
      } finally {
        deflater.end();
      }
      out.force(true);
    }
  }

  private static long writeChunk(
      FileChannel out, long at, Deflater deflater, ByteBuffer plain, long first, int records)
      throws IOException {
    int length = plain.remaining();
    deflater.reset();
    deflater.setInput(plain.duplicate());
    deflater.finish();
    byte[] buffer = new byte[length + length / 8 + 1024];
    int compressed = 0;
    while (!deflater.finished()) {
      if (compressed == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      compressed += deflater.deflate(buffer, compressed, buffer.length - compressed);
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer, 0, compressed);
    ByteBuffer head = ByteBuffer.allocate(CHUNK_HEADER).order(ByteOrder.BIG_ENDIAN);
    head.putInt(compressed).putInt(length).putLong(first).putInt(records);
    head.putInt((int) crc.getValue()).flip();
    at = write(out, head, at);
    return write(out, ByteBuffer.wrap(buffer, 0, compressed), at);
  }

  private static long write(FileChannel out, ByteBuffer bytes, long at) throws IOException {
    while (bytes.hasRemaining()) {
      at += out.write(bytes, at);
    }
    return at;
  }

  /**
   * Opens a compressed segment, reading its chunk headers; with a {@code sink}, inflates every
   * chunk and checks and hands over every record too (start-up).
   *
   * @throws JournalCorruptException naming the offset of what is damaged
   */
  static CompressedSegment open(Path path, long first, Journal.RecordSink sink) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = channel.size();
      SegmentReader reader = new SegmentReader(channel, size);
      ByteBuffer header = reader.window(0, HEADER);
      if (header == null) {
        throw new JournalCorruptException(path, 0, "the compressed segment header is cut short");
      }
      byte[] magic = new byte[MAGIC.length];
      header.duplicate().get(magic);
      if (!Arrays.equals(magic, MAGIC)
          || header.getLong(header.position() + MAGIC.length) != first) {
        throw new JournalCorruptException(path, 0, "not the compressed segment of " + first);
      }
      int records = header.getInt(header.position() + MAGIC.length + Long.BYTES);
      List<Chunk> chunks = new ArrayList<>();
      long at = HEADER;
      long sequence = first;
      CompressedSegment segment;
      while (at < size) {
        ByteBuffer head = reader.window(at, CHUNK_HEADER);
        if (head == null) {
          throw new JournalCorruptException(path, at, "a chunk header cut short");
        }
        int p = head.position();
        Chunk chunk =
            new Chunk(
                at, head.getInt(p), head.getInt(p + 4), head.getLong(p + 8), head.getInt(p + 16));
        if (chunk.first() != sequence
            || chunk.records() < 1
            || chunk.compressed() < 0
            || at + CHUNK_HEADER + chunk.compressed() > size) {
          throw new JournalCorruptException(path, at, "a chunk that does not follow on");
        }
        chunks.add(chunk);
        sequence += chunk.records();
        at += CHUNK_HEADER + chunk.compressed();
      }
      if (sequence - first != records) {
        throw new JournalCorruptException(
            path, at, "it holds " + (sequence - first) + " records, not " + records);
      }
      segment = new CompressedSegment(path, first, sequence, channel, List.copyOf(chunks), size);
      if (sink != null) {
        segment.forEach(first, sequence, sink);
      }
      return segment;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
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
  public long next() {
    return next;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public JournalRecord read(long sequence) throws IOException {
    int index = chunkOf(sequence);
    ByteBuffer plain = inflate(index);
    Chunk chunk = chunks.get(index);
    int offset = 0;
    for (long at = chunk.first(); at < sequence; at++) {
      offset += RecordFormat.RECORD_HEADER + plain.getInt(offset);
    }
    return record(chunk, plain, offset, sequence);
  }

  @Override
  public boolean forEach(long from, long to, Journal.RecordSink sink) throws IOException {
    long last = Math.min(to, next);
    long sequence = from;
    for (int index = chunkOf(from); sequence < last; index++) {
      Chunk chunk = chunks.get(index);
      ByteBuffer plain = inflate(index);
      int offset = 0;
      for (long at = chunk.first(); at < chunk.first() + chunk.records() && at < last; at++) {
        int length = plain.getInt(offset);
        if (at >= sequence) {
          if (!sink.accept(record(chunk, plain, offset, at))) {
            return false;
          }
          sequence = at + 1;
        }
        offset += RecordFormat.RECORD_HEADER + length;
      }
    }
    return true;
  }

  private JournalRecord record(Chunk chunk, ByteBuffer plain, int offset, long sequence) {
    if (offset + RecordFormat.RECORD_HEADER > plain.limit()) {
      throw new JournalCorruptException(path, chunk.offset(), "a chunk cut short");
    }
    int length = plain.getInt(offset);
    int crc = plain.getInt(offset + Integer.BYTES);
    int from = offset + RecordFormat.RECORD_HEADER;
    if (length < 0 || from + length > plain.limit()) {
      throw new JournalCorruptException(path, chunk.offset(), "a record that overruns its chunk");
    }
    return StoredSegment.checked(
        path, chunk.offset(), plain.duplicate().limit(from + length).position(from), crc, sequence);
  }

  private int chunkOf(long sequence) {
    int low = 0;
    int high = chunks.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (chunks.get(middle).first() <= sequence) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /** Chunk {@code index}'s plain bytes (the last one inflated is kept for the next read). */
  private ByteBuffer inflate(int index) throws IOException {
    Inflated cached = last;
    if (cached != null && cached.chunk() == index) {
      return cached.plain().duplicate();
    }
    Chunk chunk = chunks.get(index);
    ByteBuffer compressed = ByteBuffer.allocate(chunk.compressed());
    long at = chunk.offset() + CHUNK_HEADER;
    while (compressed.hasRemaining()) {
      if (channel.read(compressed, at + compressed.position()) < 0) {
        throw new JournalCorruptException(path, chunk.offset(), "a chunk cut short");
      }
    }
    ByteBuffer head = ByteBuffer.allocate(CHUNK_HEADER);
    while (head.hasRemaining()) {
      if (channel.read(head, chunk.offset() + head.position()) < 0) {
        throw new JournalCorruptException(path, chunk.offset(), "a chunk header cut short");
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(compressed.array(), 0, chunk.compressed());
    if ((int) crc.getValue() != head.getInt(CHUNK_CRC_AT)) {
      throw new JournalCorruptException(path, chunk.offset(), "CRC-32C mismatch of a chunk");
    }
    byte[] plain = new byte[chunk.plain()];
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed.array(), 0, chunk.compressed());
      int filled = 0;
      while (filled < plain.length && !inflater.finished()) {
        int got = inflater.inflate(plain, filled, plain.length - filled);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        filled += got;
      }
      if (filled != plain.length) {
        throw new JournalCorruptException(path, chunk.offset(), "a chunk inflates short");
      }
    } catch (DataFormatException e) {
      throw new JournalCorruptException(path, chunk.offset(), "a chunk does not inflate");
    } finally {
      inflater.end();
    }
    ByteBuffer buffer = ByteBuffer.wrap(plain).order(ByteOrder.BIG_ENDIAN);
    last = new Inflated(index, buffer);
    return buffer.duplicate();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
