package io.arbiter.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {

  @TempDir Path directory;

  /** A draft whose entry states its sequence, so a record read back shows where it landed. */
  record TestDraft(String text) implements Draft {
    @Override
    public byte[] bundle() {
      return ("<urn:s> <urn:p> \"" + text + "\" <urn:g> .\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] entry(long sequence) {
      return ("{\"seq\":" + sequence + ",\"text\":\"" + text + "\"}")
          .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String bundleIri() {
      return "urn:g:" + text;
    }

    @Override
    public String subjectIri() {
      return "urn:s";
    }
  }

  private static Thread thread(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  private FileJournal open(long segmentBytes, List<JournalRecord> recovered) {
    return FileJournal.open(
        directory,
        new FileJournal.Settings(segmentBytes, 64, 8192, false),
        record -> recovered.add(record),
        FileJournalTest::thread);
  }

  private FileJournal open(long segmentBytes) {
    return open(segmentBytes, new ArrayList<>());
  }

  private static long append(Journal journal, String text) {
    return journal.append(new TestDraft(text)).join();
  }

  private static String text(JournalRecord record) {
    String entry = new String(record.entry(), StandardCharsets.UTF_8);
    return entry.substring(entry.indexOf("\"text\":\"") + 8, entry.length() - 2);
  }

  @Test
  void numbersRecordsFromZeroAndReadsThemBack() {
    try (FileJournal journal = open(1 << 20)) {
      assertEquals(0, append(journal, "a"));
      assertEquals(1, append(journal, "b"));
      assertEquals(2, journal.size());
      JournalRecord b = journal.read(1).orElseThrow();
      assertEquals(1, b.sequence());
      assertArrayEquals(new TestDraft("b").entry(1), b.entry());
      assertArrayEquals(new TestDraft("b").bundle(), b.bundle());
      assertTrue(journal.read(2).isEmpty());
      assertTrue(journal.read(-1).isEmpty());
    }
  }

  @Test
  void recordsSurviveReopeningInOrderAcrossSegments() throws IOException {
    try (FileJournal journal = open(4096)) {
      for (int i = 0; i < 300; i++) {
        assertEquals(i, append(journal, "r" + i));
      }
    }
    long segments;
    try (var files = Files.list(directory)) {
      segments = files.count();
    }
    assertTrue(segments > 5, "4 KiB segments must have rolled, got " + segments);
    List<JournalRecord> recovered = new ArrayList<>();
    try (FileJournal journal = open(4096, recovered)) {
      assertEquals(300, journal.size());
      assertEquals(300, recovered.size());
      for (int i = 0; i < 300; i++) {
        assertEquals(i, recovered.get(i).sequence());
        assertEquals("r" + i, text(recovered.get(i)));
      }
      List<String> read = new ArrayList<>();
      journal.forEach(
          37,
          251,
          record -> {
            read.add(text(record));
            return true;
          });
      assertEquals(214, read.size());
      assertEquals("r37", read.get(0));
      assertEquals("r250", read.get(213));
      assertEquals(300, append(journal, "after"));
    }
  }

  @Test
  void forEachStopsWhenTheSinkSaysSo() {
    try (FileJournal journal = open(1 << 20)) {
      for (int i = 0; i < 10; i++) {
        append(journal, "r" + i);
      }
      List<Long> seen = new ArrayList<>();
      journal.forEach(
          2,
          Long.MAX_VALUE,
          record -> {
            seen.add(record.sequence());
            return seen.size() < 3;
          });
      assertEquals(List.of(2L, 3L, 4L), seen);
    }
  }

  @Test
  void concurrentAppendsGetDistinctGapFreeNumbersAndKeepTheirContent() throws Exception {
    List<Long> heard = Collections.synchronizedList(new ArrayList<>());
    try (FileJournal journal = open(64 << 10)) {
      journal.onDurable((sequence, draft, entry) -> heard.add(sequence));
      ExecutorService clients = Executors.newFixedThreadPool(16);
      List<CompletableFuture<Long>> numbers = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        TestDraft draft = new TestDraft("c" + i);
        numbers.add(
            CompletableFuture.supplyAsync(() -> journal.append(draft), clients)
                .thenCompose(number -> number));
      }
      for (int i = 0; i < numbers.size(); i++) {
        long sequence = numbers.get(i).get(10, TimeUnit.SECONDS);
        assertEquals("c" + i, text(journal.read(sequence).orElseThrow()));
      }
      assertEquals(2000, journal.size());
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < 2000; i++) {
        expected.add(i);
      }
      assertEquals(expected, heard, "listeners hear every record once, in sequence order");
      clients.shutdown();
    }
  }

  @Test
  void listenersHearARecordBeforeItsCaller() throws Exception {
    try (FileJournal journal = open(1 << 20)) {
      List<Long> heard = Collections.synchronizedList(new ArrayList<>());
      journal.onDurable((sequence, draft, entry) -> heard.add(sequence));
      long sequence = append(journal, "x");
      assertEquals(List.of(sequence), heard);
    }
  }

  @Test
  void aTornTailAtAnyByteIsCutAndEveryWholeRecordKept() throws IOException {
    List<Long> ends = new ArrayList<>();
    try (FileJournal journal = open(1 << 20)) {
      for (int i = 0; i < 40; i++) {
        append(journal, "t" + i + "-".repeat(i));
        ends.add(journal.diskBytes());
      }
    }
    Path segment = onlySegment();
    byte[] whole = Files.readAllBytes(segment);
    Random random = new Random(16);
    for (int trial = 0; trial < 60; trial++) {
      int cut = RecordFormat.FILE_HEADER + random.nextInt(whole.length - RecordFormat.FILE_HEADER);
      Files.write(segment, java.util.Arrays.copyOf(whole, cut));
      long whole_records = ends.stream().filter(end -> end <= cut).count();
      List<JournalRecord> recovered = new ArrayList<>();
      try (FileJournal journal = open(1 << 20, recovered)) {
        assertEquals(whole_records, journal.size(), "cut at byte " + cut);
        assertEquals(whole_records, recovered.size());
        // The journal goes on from the cut, and what it appends survives the next start.
        assertEquals(whole_records, append(journal, "next"));
      }
      try (FileJournal journal = open(1 << 20)) {
        assertEquals(whole_records + 1, journal.size());
        assertEquals("next", text(journal.read(whole_records).orElseThrow()));
      }
    }
  }

  @Test
  void zerosAfterTheLastRecordAreATornTail() throws IOException {
    try (FileJournal journal = open(1 << 20)) {
      append(journal, "a");
      append(journal, "b");
    }
    Path segment = onlySegment();
    long size = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(size + 8192); // extended by the file system, never written
    }
    try (FileJournal journal = open(1 << 20)) {
      assertEquals(2, journal.size());
    }
    assertEquals(size, Files.size(segment));
  }

  @Test
  void aDamagedRecordInASealedSegmentStopsStartUpNamingSegmentAndOffset() throws IOException {
    try (FileJournal journal = open(4096)) {
      for (int i = 0; i < 100; i++) {
        append(journal, "s" + i);
      }
    }
    List<Path> segments = segments();
    Path first = segments.get(0);
    long offset = RecordFormat.FILE_HEADER + 100;
    flipByte(first, offset);
    JournalCorruptException failure = assertThrows(JournalCorruptException.class, () -> open(4096));
    assertEquals(first, failure.segment());
    assertTrue(failure.offset() <= offset, "the damaged record starts at or before the flip");
    assertTrue(failure.getMessage().contains(first.toString()), failure.getMessage());
    assertTrue(failure.getMessage().contains("offset " + failure.offset()), failure.getMessage());
  }

  @Test
  void aDamagedRecordFollowedByRecordsInTheLastSegmentIsNotTakenForATornTail() throws IOException {
    try (FileJournal journal = open(1 << 20)) {
      for (int i = 0; i < 10; i++) {
        append(journal, "m" + i);
      }
    }
    Path segment = onlySegment();
    flipByte(segment, RecordFormat.FILE_HEADER + 30);
    assertThrows(JournalCorruptException.class, () -> open(1 << 20));
    assertEquals(true, Files.size(segment) > RecordFormat.FILE_HEADER + 30, "nothing was cut");
  }

  @Test
  void aMissingSegmentStopsStartUp() throws IOException {
    try (FileJournal journal = open(4096)) {
      for (int i = 0; i < 300; i++) {
        append(journal, "g" + i);
      }
    }
    List<Path> segments = segments();
    assertTrue(segments.size() >= 3, "needs a segment in the middle");
    Files.delete(segments.get(1));
    JournalCorruptException failure = assertThrows(JournalCorruptException.class, () -> open(4096));
    assertEquals(segments.get(2), failure.segment());
  }

  @Test
  void sealingLeavesEveryRecordInImmutableSegmentsAndWritesOnInANewOne() throws IOException {
    try (FileJournal journal = open(1 << 20)) {
      append(journal, "a");
      append(journal, "b");
      List<Journal.Segment> sealed = journal.seal();
      assertEquals(1, sealed.size());
      assertEquals(0, sealed.get(0).firstSequence());
      assertEquals(2, sealed.get(0).records());
      byte[] before = Files.readAllBytes(directory.resolve(sealed.get(0).name()));
      assertEquals(before.length, sealed.get(0).bytes());
      assertEquals(2, append(journal, "c"));
      assertArrayEquals(before, Files.readAllBytes(directory.resolve(sealed.get(0).name())));
      assertEquals(2, journal.seal().size());
      assertEquals(2, journal.seal().size(), "sealing twice without a record adds no segment");
    }
    try (FileJournal journal = open(1 << 20)) {
      assertEquals(3, journal.size());
    }
  }

  @Test
  void aFullQueueRefusesAtOnce() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestDraft slow = new TestDraft("slow");
    Draft blocking =
        new Draft() {
          @Override
          public byte[] bundle() {
            return slow.bundle();
          }

          @Override
          public byte[] entry(long sequence) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return slow.entry(sequence);
          }

          @Override
          public String bundleIri() {
            return slow.bundleIri();
          }

          @Override
          public String subjectIri() {
            return slow.subjectIri();
          }
        };
    try (FileJournal journal =
        FileJournal.open(
            directory,
            new FileJournal.Settings(1 << 20, 1, 2),
            record -> true,
            FileJournalTest::thread)) {
      CompletableFuture<Long> first = journal.append(blocking);
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the sequencer took the first record");
      CompletableFuture<Long> second = journal.append(new TestDraft("q1"));
      CompletableFuture<Long> third = journal.append(new TestDraft("q2"));
      CompletableFuture<Long> refused = journal.append(new TestDraft("over"));
      ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
      assertTrue(failure.getCause().getMessage().contains("overloaded"));
      release.countDown();
      assertEquals(0, first.get(10, TimeUnit.SECONDS));
      assertEquals(1, second.get(10, TimeUnit.SECONDS));
      assertEquals(2, third.get(10, TimeUnit.SECONDS));
      assertEquals(3, journal.size(), "the refused record used no number");
    }
  }

  @Test
  void aSecondOpenerOfTheSameJournalIsRefused_untilTheFirstCloses() {
    try (FileJournal first = open(1 << 20)) {
      append(first, "a");
      JournalException refused = assertThrows(JournalException.class, () -> open(1 << 20));
      assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
    }
    try (FileJournal again = open(1 << 20)) {
      assertEquals(1, again.size());
    }
  }

  private FileJournal openCompressing(long segmentBytes, List<JournalRecord> recovered) {
    return FileJournal.open(
        directory,
        new FileJournal.Settings(segmentBytes, 64, 8192, true),
        record -> recovered.add(record),
        FileJournalTest::thread);
  }

  private List<Path> files(String suffix) throws IOException {
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** Sealed segments are compressed behind the writer; every record reads back the same. */
  @Test
  void sealedSegmentsAreCompressed_andReadBackTheSame_beforeAndAfterReopening() throws Exception {
    long plainBytes;
    try (FileJournal journal = openCompressing(16 << 10, new ArrayList<>())) {
      for (int i = 0; i < 600; i++) {
        append(journal, "z" + i + "-<urn:a:long:iri:repeated:on:every:line>".repeat(3));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (files(".journal").size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, files(".journal").size(), "only the open segment stays plain");
      assertTrue(files(".journal.z").size() > 3, "sealed segments were compressed");
      for (int i = 0; i < 600; i += 37) {
        assertTrue(text(journal.read(i).orElseThrow()).startsWith("z" + i + "-"));
      }
      List<Long> read = new ArrayList<>();
      journal.forEach(
          5,
          595,
          record -> {
            read.add(record.sequence());
            return true;
          });
      assertEquals(590, read.size());
      assertEquals(5L, read.get(0));
      assertEquals(594L, read.get(589));
      plainBytes = 600L * journal.read(0).orElseThrow().bundle().length;
      assertTrue(
          journal.diskBytes() < plainBytes / 2,
          "compressed: " + journal.diskBytes() + " bytes for " + plainBytes + " of bundles");
    }
    List<JournalRecord> recovered = new ArrayList<>();
    try (FileJournal journal = openCompressing(16 << 10, recovered)) {
      assertEquals(600, journal.size());
      assertEquals(600, recovered.size());
      for (int i = 0; i < 600; i++) {
        assertEquals(i, recovered.get(i).sequence());
      }
      assertEquals(600, append(journal, "after"));
    }
  }

  /**
   * A backup copies the files a seal names: with compression on, they must not be renamed after.
   */
  @Test
  void aSealNamesSegmentsInTheirFinalForm_whenTheyAreCompressed() throws Exception {
    try (FileJournal journal = openCompressing(16 << 10, new ArrayList<>())) {
      for (int i = 0; i < 200; i++) {
        append(journal, "s" + i + "-<urn:a:long:iri:repeated:on:every:line>".repeat(3));
      }
      List<Journal.Segment> sealed = journal.seal();
      assertTrue(sealed.size() > 3, sealed.toString());
      long records = 0;
      for (Journal.Segment segment : sealed) {
        assertTrue(segment.name().endsWith(".journal.z"), segment.name());
        Path file = directory.resolve(segment.name());
        assertEquals(segment.bytes(), Files.size(file), segment.name());
        records += segment.records();
      }
      assertEquals(200, records);
      append(journal, "after");
      for (Journal.Segment segment : sealed) {
        assertTrue(Files.exists(directory.resolve(segment.name())), segment.name());
      }
    }
  }

  @Test
  void aDamagedCompressedSegmentStopsStartUpNamingItAndTheOffset() throws Exception {
    try (FileJournal journal = openCompressing(16 << 10, new ArrayList<>())) {
      for (int i = 0; i < 300; i++) {
        append(journal, "d" + i + "-" + "x".repeat(100));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (files(".journal").size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    Path compressed = files(".journal.z").get(0);
    flipByte(compressed, Files.size(compressed) / 2);
    JournalCorruptException failure =
        assertThrows(
            JournalCorruptException.class, () -> openCompressing(16 << 10, new ArrayList<>()));
    assertEquals(compressed, failure.segment());
    assertTrue(failure.getMessage().contains(compressed.toString()), failure.getMessage());
  }

  @Test
  void leftoversOfAnInterruptedCompressionAreCleanedUp_andThePlainSegmentStands() throws Exception {
    try (FileJournal journal = open(4096)) {
      for (int i = 0; i < 200; i++) {
        append(journal, "l" + i);
      }
    }
    List<Path> plain = segments();
    Path first = plain.get(0);
    // A crash after the compressed copy was renamed into place, before the plain file went; and
    // one during another compression.
    Files.writeString(first.resolveSibling(first.getFileName() + ".z"), "not even compressed");
    Files.writeString(
        plain.get(1).resolveSibling(plain.get(1).getFileName() + ".z.tmp"), "half written");
    try (FileJournal journal = open(4096)) {
      assertEquals(200, journal.size());
      assertEquals("l0", text(journal.read(0).orElseThrow()));
    }
    assertTrue(files(".z").isEmpty(), "the stale copy was removed");
    assertTrue(files(".tmp").isEmpty(), "the half-written one too");
  }

  @Test
  void aClosedJournalRefuses() {
    FileJournal journal = open(1 << 20);
    journal.close();
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> journal.append(new TestDraft("x")).get());
    assertTrue(failure.getCause() instanceof JournalException);
  }

  private Path onlySegment() throws IOException {
    List<Path> all = segments();
    assertEquals(1, all.size());
    return all.get(0);
  }

  private List<Path> segments() throws IOException {
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".journal")).sorted().toList();
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x5a);
    }
  }
}
