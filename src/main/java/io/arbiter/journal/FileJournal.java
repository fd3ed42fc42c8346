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
   * @param compressSealed whether sealed segments are compressed, in the background
   */
  public record Settings(
      long segmentBytes, int maxBatch, int queueCapacity, boolean compressSealed) {
    public Settings(long segmentBytes, int maxBatch, int queueCapacity) {
      this(segmentBytes, maxBatch, queueCapacity, true);
    }

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

  /**
   * Every segment, oldest first, the last one open; replaced whole when one is added or one is
   * compressed (readers take a snapshot, and read again from the new one if theirs was closed).
   */
  private volatile List<StoredSegment> segments;

  /** Compresses sealed segments, one at a time, off the sequencer. */
  private final java.util.concurrent.ExecutorService compressor;

  /** Records durable and visible; written last, after offsets and segments, by the sequencer. */
  private volatile long size;

  private volatile boolean running;
  private volatile String failure;
  private final java.nio.channels.FileLock lock;
  private ByteBuffer batchBuffer = ByteBuffer.allocate(1 << 20);

  private FileJournal(
      Path directory,
      Settings settings,
      List<StoredSegment> segments,
      java.nio.channels.FileLock lock,
      ThreadFactory threads) {
    this.directory = directory;
    this.lock = lock;
    this.compressor =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = threads.newThread(task);
              thread.setName("arbiter-journal-compressor");
              return thread;
            });
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
      java.util.TreeMap<Long, Boolean> found = new java.util.TreeMap<>(); // first → compressed
      try (var files = Files.list(directory)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          if (name.endsWith(".tmp")) {
            Files.delete(file); // a compression a crash interrupted
          } else if (SegmentFile.firstOf(name) >= 0) {
            found.put(SegmentFile.firstOf(name), false);
          } else if (name.endsWith(CompressedSegment.SUFFIX)
              && SegmentFile.firstOf(name.substring(0, name.length() - 2)) >= 0) {
            long first = SegmentFile.firstOf(name.substring(0, name.length() - 2));
            if (found.containsKey(first)) {
              continue; // the plain segment stands; its compression is done again
            }
            found.put(first, true);
          }
        }
      }
      // A compressed copy beside its plain segment: the plain one was not yet removed. Keep it.
      for (var entry : found.entrySet()) {
        Path compressed = directory.resolve(CompressedSegment.name(entry.getKey()));
        if (!entry.getValue() && Files.exists(compressed)) {
          Files.delete(compressed);
        }
      }
      List<StoredSegment> segments = new ArrayList<>();
      try {
        long expected = 0;
        int index = 0;
        for (var entry : found.entrySet()) {
          long first = entry.getKey();
          boolean last = ++index == found.size();
          StoredSegment segment =
              entry.getValue()
                  ? CompressedSegment.open(
                      directory.resolve(CompressedSegment.name(first)), first, recovered)
                  : plain(directory.resolve(SegmentFile.name(first)), first, last, recovered);
          if (first != expected) {
            segment.close();
            throw new JournalCorruptException(
                segment.path(),
                0,
                "it starts at sequence " + first + " but " + expected + " comes next");
          }
          segments.add(segment);
          expected = segment.next();
        }
        if (segments.isEmpty() || !(segments.get(segments.size() - 1) instanceof SegmentFile)) {
          segments.add(create(directory, expected));
        }
      } catch (IOException | RuntimeException e) {
        for (StoredSegment segment : segments) {
          segment.close();
        }
        throw e;
      }
      FileJournal journal = new FileJournal(directory, settings, segments, lock, threads);
      journal.running = true;
      journal.sequencer.start();
      for (int i = 0; i < segments.size() - 1; i++) {
        if (segments.get(i) instanceof SegmentFile sealed) {
          journal.compressLater(sealed);
        }
      }
      return journal;
    } catch (IOException | RuntimeException e) {
      release(lock);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot open the journal in " + directory, io);
      }
      throw (RuntimeException) e;
    }
  }

  /** A plain segment, scanned; only the last one may be written to, and may have a torn tail. */
  private static SegmentFile plain(Path path, long first, boolean last, RecordSink recovered)
      throws IOException {
    FileChannel channel =
        last
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ);
    try {
      SegmentScan.Result found = SegmentScan.scan(path, channel, first, last, recovered);
      return new SegmentFile(path, first, channel, found.offsets(), found.count(), found.end());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
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
    List<StoredSegment> current = segments;
    SegmentFile segment = (SegmentFile) current.get(current.size() - 1);
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
          SegmentFile sealed = segment;
          segment = roll(next);
          compressLater(sealed);
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
    List<StoredSegment> more = new ArrayList<>(segments);
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
    for (int attempt = 0; ; attempt++) {
      try {
        return Optional.of(segmentOf(segments, sequence).read(sequence));
      } catch (java.nio.channels.ClosedChannelException replaced) {
        if (attempt >= 3 || !running && failure != null) {
          throw new UncheckedIOException("cannot read journal record " + sequence, replaced);
        }
        // The segment was compressed and replaced meanwhile: read it from the new one.
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read journal record " + sequence, e);
      }
    }
  }

  @Override
  public void forEach(long from, long to, RecordSink sink) {
    long end = Math.min(to, size);
    long[] sequence = {Math.max(0, from)};
    RecordSink counting =
        record -> {
          sequence[0] = record.sequence() + 1;
          return sink.accept(record);
        };
    int replaced = 0;
    while (sequence[0] < end) {
      StoredSegment segment = segmentOf(segments, sequence[0]);
      try {
        if (!segment.forEach(sequence[0], Math.min(end, segment.next()), counting)) {
          return;
        }
        sequence[0] = Math.max(sequence[0], Math.min(end, segment.next()));
      } catch (java.nio.channels.ClosedChannelException e) {
        if (++replaced > 3) {
          throw new UncheckedIOException("cannot read the journal from " + sequence[0], e);
        }
        // Compressed and replaced meanwhile: go on from the same record in the new segment.
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the journal from " + sequence[0], e);
      }
    }
  }

  private static StoredSegment segmentOf(List<StoredSegment> all, long sequence) {
    int low = 0;
    int high = all.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (all.get(middle).first() <= sequence) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return all.get(low);
  }

  /** Compresses a sealed segment on the compressor's thread (when the settings say so). */
  private void compressLater(SegmentFile sealed) {
    if (!settings.compressSealed()) {
      return;
    }
    try {
      compressor.execute(() -> compress(sealed));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // Closing: the next start compresses it.
    }
  }

  /**
   * Writes the compressed form beside the sealed segment, forces it and renames it into place,
   * swaps it in for readers, then removes the plain file. A crash at any point leaves the plain
   * segment, or both (the plain one is used and the compression done again), or the compressed one.
   */
  private void compress(SegmentFile sealed) {
    Path target = directory.resolve(CompressedSegment.name(sealed.first()));
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temporary);
      CompressedSegment.write(sealed, temporary);
      Files.move(temporary, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.forceDirectory(directory);
      CompressedSegment compressed = CompressedSegment.open(target, sealed.first(), null);
      writing.lock();
      try {
        List<StoredSegment> swapped = new ArrayList<>(segments);
        swapped.set(swapped.indexOf(sealed), compressed);
        segments = List.copyOf(swapped);
      } finally {
        writing.unlock();
      }
      sealed.close(); // readers of the old file read the new one (ClosedChannelException, above)
      Files.delete(sealed.path());
      DurableFiles.forceDirectory(directory);
      LOG.fine(
          () ->
              "compressed journal segment "
                  + sealed.path().getFileName()
                  + " from "
                  + sealed.bytes()
                  + " to "
                  + compressed.bytes()
                  + " bytes");
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot compress " + sealed.path() + "; it stays as it is", e);
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // the next start removes it
      }
    }
  }

  @Override
  public List<Segment> seal() {
    writing.lock();
    try {
      if (failure != null) {
        throw stopped();
      }
      List<StoredSegment> current = segments;
      SegmentFile open = (SegmentFile) current.get(current.size() - 1);
      if (open.count() > 0) {
        seal(open);
        roll(open.next());
        compressLater(open);
      }
    } catch (IOException e) {
      throw new JournalException("cannot seal the journal's open segment", e);
    } finally {
      writing.unlock();
    }
    // An operator copies the files this answer names: they must not be renamed under the copy, so
    // the answer waits until every sealed segment is in its final form (outside the lock, which the
    // compression takes to swap its segment in).
    awaitCompressions();
    List<Segment> sealed = new ArrayList<>();
    for (StoredSegment segment : segments) {
      if (segment.next() > segment.first()) {
        sealed.add(
            new Segment(
                segment.path().getFileName().toString(),
                segment.first(),
                segment.next() - segment.first(),
                segment.bytes()));
      }
    }
    return sealed;
  }

  /**
   * Waits until the compressions asked for so far are done (the compressor takes them in order).
   */
  private void awaitCompressions() {
    if (!settings.compressSealed()) {
      return;
    }
    try {
      compressor.submit(() -> {}).get();
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      throw new JournalException("the journal is closing", closing);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException("interrupted while the sealed segments were compressed", e);
    } catch (java.util.concurrent.ExecutionException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Override
  public long diskBytes() {
    long bytes = 0;
    for (StoredSegment segment : segments) {
      bytes += segment.bytes();
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
    compressor.shutdownNow();
    try {
      compressor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (StoredSegment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot close " + segment.path(), e);
      }
    }
    release(lock);
  }

  @Override
  public String toString() {
    return "journal in " + directory;
  }
}
