package io.arbiter.journal;

import io.arbiter.config.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal in segment files under one directory ({@code <data-dir>/journal/}), each named by its
 * first sequence number and laid out as {@link RecordFormat} says.
 *
 * <p>One sequencer thread takes drafts in arrival order, numbers them, writes whatever is waiting
 * (up to {@code maxBatch}) with one write and one {@code force}: group commit. Only then do
 * listeners hear of the records, readers see them and callers get their numbers. A segment that has
 * reached {@code segmentBytes} is sealed — forced, then never written again — and the next record
 * starts a new one.
 *
 * <p>Failures: a write that fails (a full disk, say) is cut off again and its records refused; the
 * journal carries on. A failed {@code force} stops the journal for good: after an fsync error the
 * kernel may have dropped the very pages it could not write, so nothing written since the last good
 * force can be vouched for, and only a restart — which scans and checks every record — can.
 */
public final class FileJournal implements Journal {

  private static final Logger LOG = Logger.getLogger(FileJournal.class.getName());

  /**
   * @param segmentBytes size at which a segment is sealed (a larger single record gets a segment to
   *     itself)
   * @param maxBatch most records per write and force
   * @param queueCapacity most records waiting; more are refused at once
   */
  public record Settings(long segmentBytes, int maxBatch, int queueCapacity) {
    public Settings {
      if (segmentBytes < 4096 || segmentBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "a segment must be 4 KiB to 2 GiB, not " + segmentBytes + " bytes");
      }
      if (maxBatch < 1 || queueCapacity < 1) {
        throw new IllegalArgumentException("maxBatch and queueCapacity must be positive");
      }
    }

    public static Settings defaults() {
      return new Settings(64L << 20, 4096, 65_536);
    }
  }

  private record Pending(Draft draft, CompletableFuture<Long> done) {}

  private final Path directory;
  private final Settings settings;
  private final BlockingQueue<Pending> queue;
  private final List<DurableListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock writing = new ReentrantLock();
  private final Thread sequencer;

  /** Every segment, oldest first; replaced whole when one is added (readers take a snapshot). */
  private volatile List<SegmentFile> segments;

  /** Records durable and visible; written last, after offsets and segments, by the sequencer. */
  private volatile long size;

  private volatile boolean running;
  private volatile String failure;
  private final java.nio.channels.FileLock lock;
  private ByteBuffer batchBuffer = ByteBuffer.allocate(1 << 20);

  private FileJournal(
      Path directory,
      Settings settings,
      List<SegmentFile> segments,
      java.nio.channels.FileLock lock,
      ThreadFactory threads) {
    this.directory = directory;
    this.lock = lock;
    this.settings = settings;
    this.segments = List.copyOf(segments);
    this.size = segments.get(segments.size() - 1).next();
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.sequencer = threads.newThread(this::run);
    this.sequencer.setName("arbiter-journal");
  }

  /**
   * Opens the journal in {@code directory} (creating it when there is none), checks every record
   * and cuts off a torn tail, hands every record to {@code recovered} in order (to rebuild what is
   * derived from the journal, such as the Merkle tree), and starts the sequencer.
   *
   * @throws JournalCorruptException when a record is damaged where a crash cannot explain it
   */
  public static FileJournal open(
      Path directory, Settings settings, RecordSink recovered, ThreadFactory threads) {
    java.nio.channels.FileLock lock = null;
    try {
      Files.createDirectories(directory);
      lock = lock(directory);
      List<Long> firsts = new ArrayList<>();
      try (var files = Files.list(directory)) {
        files
            .map(file -> SegmentFile.firstOf(file.getFileName().toString()))
            .filter(first -> first >= 0)
            .sorted()
            .forEach(firsts::add);
      }
      List<SegmentFile> segments = new ArrayList<>();
      try {
        long expected = 0;
        for (int i = 0; i < firsts.size(); i++) {
          long first = firsts.get(i);
          Path path = directory.resolve(SegmentFile.name(first));
          if (first != expected) {
            throw new JournalCorruptException(
                path, 0, "it starts at sequence " + first + " but " + expected + " comes next");
          }
          boolean last = i == firsts.size() - 1;
          FileChannel channel =
              last
                  ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                  : FileChannel.open(path, StandardOpenOption.READ);
          SegmentScan.Result found;
          try {
            found = SegmentScan.scan(path, channel, first, last, recovered);
          } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
          }
          SegmentFile segment =
              new SegmentFile(path, first, channel, found.offsets(), found.count(), found.end());
          segments.add(segment);
          expected = segment.next();
        }
        if (segments.isEmpty()) {
          segments.add(create(directory, 0));
        }
      } catch (IOException | RuntimeException e) {
        for (SegmentFile segment : segments) {
          segment.close();
        }
        throw e;
      }
      FileJournal journal = new FileJournal(directory, settings, segments, lock, threads);
      journal.running = true;
      journal.sequencer.start();
      return journal;
    } catch (IOException | RuntimeException e) {
      release(lock);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot open the journal in " + directory, io);
      }
      throw (RuntimeException) e;
    }
  }

  /** One process, one journal: a second opener is refused rather than interleave records. */
  private static java.nio.channels.FileLock lock(Path directory) throws IOException {
    FileChannel channel =
        FileChannel.open(
            directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new JournalException(
          "the journal in " + directory + " is in use by another process (or another Arbiter)");
    }
    return lock;
  }

  private static void release(java.nio.channels.FileLock lock) {
    if (lock != null && lock.channel().isOpen()) {
      try {
        lock.release();
        lock.channel().close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot release the journal's lock", e);
      }
    }
  }

  /** A new, empty segment: its header forced, and its name made durable in the directory. */
  private static SegmentFile create(Path directory, long first) throws IOException {
    Path path = directory.resolve(SegmentFile.name(first));
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      channel.write(RecordFormat.header(first), 0);
      channel.force(true);
      DurableFiles.forceDirectory(directory);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new SegmentFile(path, first, channel, new int[1024], 0, RecordFormat.FILE_HEADER);
  }

  @Override
  public void onDurable(DurableListener listener) {
    listeners.add(listener);
  }

  /** Calls {@code listener} with every group commit from now on (its records and its time). */
  public void onCommitted(CommitListener listener) {
    commitListeners.add(listener);
  }

  @Override
  public CompletableFuture<Long> append(Draft draft) {
    Pending pending = new Pending(draft, new CompletableFuture<>());
    if (!running) {
      pending.done().completeExceptionally(stopped());
    } else if (!queue.offer(pending)) {
      pending.done().completeExceptionally(new JournalException("the journal is overloaded"));
    } else if (!running && queue.remove(pending)) {
      // Lost a race with close(): the sequencer may have drained the queue for good.
      pending.done().completeExceptionally(stopped());
    }
    return pending.done();
  }

  private JournalException stopped() {
    String why = failure;
    return new JournalException(
        why == null ? "the journal is closed" : "the journal has stopped: " + why);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(settings.maxBatch());
    try {
      while (running || !queue.isEmpty()) {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, settings.maxBatch() - 1);
        writing.lock();
        try {
          write(batch);
        } finally {
          writing.unlock();
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = "the sequencer failed: " + e;
      LOG.log(Level.SEVERE, "the journal sequencer stopped: nothing more can be recorded", e);
    } finally {
      running = false;
      JournalException stopped = stopped();
      batch.forEach(p -> p.done().completeExceptionally(stopped));
      for (Pending left; (left = queue.poll()) != null; ) {
        left.done().completeExceptionally(stopped);
      }
    }
  }

  /** Numbers, writes and forces one batch, then tells listeners and callers, in that order. */
  private void write(List<Pending> batch) {
    long started = System.nanoTime();
    long next = size;
    List<SegmentFile> current = segments;
    SegmentFile segment = current.get(current.size() - 1);
    int keep = segment.count();
    long keepEnd = segment.end();
    List<byte[]> entries = new ArrayList<>(batch.size());
    List<Pending> accepted = new ArrayList<>(batch.size());
    boolean rolled = false;
    try {
      ByteBuffer out = buffer(0);
      long at = segment.end();
      for (Pending pending : batch) {
        byte[] entry;
        int bytes;
        try {
          entry = pending.draft().entry(next);
          bytes = RecordFormat.size(entry, pending.draft().bundle());
        } catch (RuntimeException e) {
          pending.done().completeExceptionally(new JournalException("cannot frame the record", e));
          continue;
        }
        if (segment.count() > 0 && at + out.position() + bytes > settings.segmentBytes()) {
          flush(segment, out, at);
          seal(segment);
          segment = roll(next);
          rolled = true;
          keep = 0;
          keepEnd = segment.end();
          at = segment.end();
          out.clear();
        }
        out = ensure(out, bytes);
        segment.added(at + out.position(), bytes);
        RecordFormat.write(out, next, entry, pending.draft().bundle());
        entries.add(entry);
        accepted.add(pending);
        next++;
      }
      flush(segment, out, at);
    } catch (IOException e) {
      if (rolled) {
        // Part of the batch is forced into the segment just sealed: its numbers are spent on disk,
        // so the journal cannot reuse them. Only a restart's scan can tell what stands.
        stop("a write failed after sealing a segment: " + e.getMessage(), accepted, e);
      } else {
        refuse(segment, keep, keepEnd, accepted, e);
      }
      return;
    }
    try {
      segment.channel.force(false);
    } catch (IOException e) {
      stop("a force failed: " + e.getMessage(), accepted, e);
      return;
    }
    long first = size;
    for (int i = 0; i < accepted.size(); i++) {
      for (DurableListener listener : listeners) {
        listener.durable(first + i, accepted.get(i).draft(), entries.get(i));
      }
    }
    size = next;
    for (int i = 0; i < accepted.size(); i++) {
      accepted.get(i).done().complete(first + i);
    }
    report(accepted.size(), System.nanoTime() - started);
  }

  // After the callers were answered: a listener can delay the next batch, never fail this one.
  private void report(int records, long nanos) {
    if (records == 0) {
      return;
    }
    for (CommitListener listener : commitListeners) {
      try {
        listener.committed(records, nanos);
      } catch (RuntimeException | LinkageError e) {
        // LinkageError too: a metrics library missing a class must not stop the sequencer.
        LOG.log(Level.WARNING, "a commit listener failed; the batch is durable all the same", e);
      }
    }
  }

  private ByteBuffer buffer(int needed) {
    if (batchBuffer.capacity() < needed) {
      batchBuffer = ByteBuffer.allocate(needed);
    }
    return batchBuffer.clear();
  }

  /** {@code out}, or a larger copy of it, with room for {@code bytes} more. */
  private ByteBuffer ensure(ByteBuffer out, int bytes) {
    if (out.remaining() >= bytes) {
      return out;
    }
    ByteBuffer larger =
        ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes + (1 << 16)));
    out.flip();
    larger.put(out);
    batchBuffer = larger;
    return larger;
  }

  private static void flush(SegmentFile segment, ByteBuffer out, long at) throws IOException {
    ByteBuffer pending = out.duplicate().flip();
    while (pending.hasRemaining()) {
      segment.channel.write(pending, at + pending.position());
    }
  }

  private static void seal(SegmentFile segment) throws IOException {
    segment.channel.force(true);
  }

  private SegmentFile roll(long first) throws IOException {
    SegmentFile next = create(directory, first);
    List<SegmentFile> more = new ArrayList<>(segments);
    more.add(next);
    segments = List.copyOf(more);
    return next;
  }

  /**
   * A write failed: cuts the segment back to where the batch began and refuses the batch. If even
   * that fails, the journal stops.
   */
  private void refuse(
      SegmentFile segment, int keep, long keepEnd, List<Pending> accepted, IOException cause) {
    LOG.log(Level.SEVERE, "a journal write failed; " + accepted.size() + " records refused", cause);
    try {
      segment.channel.truncate(keepEnd);
      segment.channel.force(true);
      segment.cut(keep, keepEnd);
      JournalException refused = new JournalException("the journal could not write", cause);
      accepted.forEach(p -> p.done().completeExceptionally(refused));
    } catch (IOException e) {
      stop("a failed write could not be cut off: " + e.getMessage(), accepted, e);
    }
  }

  /** Takes no more records: what was written since the last good force cannot be vouched for. */
  private void stop(String why, List<Pending> accepted, IOException cause) {
    failure = why;
    running = false;
    LOG.log(Level.SEVERE, "the journal takes no more records: " + why, cause);
    JournalException stopped = stopped();
    accepted.forEach(p -> p.done().completeExceptionally(stopped));
  }

  @Override
  public Optional<JournalRecord> read(long sequence) {
    if (sequence < 0 || sequence >= size) {
      return Optional.empty();
    }
    SegmentFile segment = segmentOf(segments, sequence);
    long offset = segment.offset(sequence);
    try {
      ByteBuffer frame = segment.read(offset, RecordFormat.RECORD_HEADER);
      int length = frame.getInt(0);
      int crc = frame.getInt(Integer.BYTES);
      ByteBuffer payload = segment.read(offset + RecordFormat.RECORD_HEADER, length);
      return Optional.of(checked(segment, offset, payload, crc, sequence));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal record " + sequence, e);
    }
  }

  private static JournalRecord checked(
      SegmentFile segment, long offset, ByteBuffer payload, int crc, long sequence) {
    String[] why = new String[1];
    JournalRecord record = RecordFormat.parse(payload, crc, why);
    if (record == null) {
      throw new JournalCorruptException(segment.path, offset, why[0]);
    }
    if (record.sequence() != sequence) {
      throw new JournalCorruptException(
          segment.path, offset, "holds sequence " + record.sequence() + ", not " + sequence);
    }
    return record;
  }

  @Override
  public void forEach(long from, long to, RecordSink sink) {
    long end = Math.min(to, size);
    List<SegmentFile> all = segments;
    long sequence = Math.max(0, from);
    try {
      while (sequence < end) {
        SegmentFile segment = segmentOf(all, sequence);
        long last = Math.min(end, segment.next());
        long stop = last < segment.next() ? segment.offset(last) : segment.end();
        SegmentReader reader = new SegmentReader(segment.channel, stop);
        long offset = segment.offset(sequence);
        for (; sequence < last; sequence++) {
          ByteBuffer frame = reader.window(offset, RecordFormat.RECORD_HEADER);
          int length = frame.getInt(frame.position());
          int crc = frame.getInt(frame.position() + Integer.BYTES);
          ByteBuffer payload = reader.window(offset + RecordFormat.RECORD_HEADER, length);
          if (payload == null) {
            throw new JournalCorruptException(segment.path, offset, "a record cut short");
          }
          if (!sink.accept(checked(segment, offset, payload, crc, sequence))) {
            return;
          }
          offset += RecordFormat.RECORD_HEADER + length;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal from " + sequence, e);
    }
  }

  private static SegmentFile segmentOf(List<SegmentFile> all, long sequence) {
    int low = 0;
    int high = all.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (all.get(middle).first <= sequence) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return all.get(low);
  }

  @Override
  public List<Segment> seal() {
    writing.lock();
    try {
      if (failure != null) {
        throw stopped();
      }
      List<SegmentFile> current = segments;
      SegmentFile open = current.get(current.size() - 1);
      if (open.count() > 0) {
        seal(open);
        roll(open.next());
      }
      List<Segment> sealed = new ArrayList<>();
      for (SegmentFile segment : segments) {
        if (segment.count() > 0) {
          sealed.add(
              new Segment(
                  segment.path.getFileName().toString(),
                  segment.first,
                  segment.count(),
                  segment.end()));
        }
      }
      return sealed;
    } catch (IOException e) {
      throw new JournalException("cannot seal the journal's open segment", e);
    } finally {
      writing.unlock();
    }
  }

  @Override
  public long diskBytes() {
    long bytes = 0;
    for (SegmentFile segment : segments) {
      bytes += segment.end();
    }
    return bytes;
  }

  /** Whether the sequencer is taking records. */
  public boolean isRunning() {
    return running && sequencer.isAlive();
  }

  @Override
  public void close() {
    running = false;
    try {
      sequencer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SegmentFile segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot close " + segment.path, e);
      }
    }
    release(lock);
  }

  @Override
  public String toString() {
    return "journal in " + directory;
  }
}
