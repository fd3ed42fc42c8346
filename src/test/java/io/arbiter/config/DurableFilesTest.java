package io.arbiter.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DurableFiles} on the real file system. What it is for, surviving a power cut, cannot be
 * tested here; these tests check everything around it: the content, the permissions, the clean-up,
 * and that a failed replacement leaves the old file alone.
 */
class DurableFilesTest {

  @TempDir Path dir;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replace_newFileInNewDirectories_writesContentAndNoTemporary() throws IOException {
    Path file = dir.resolve("a/b/state.json");
    DurableFiles.replace(file, utf8("[1,2]"));
    assertEquals("[1,2]", Files.readString(file));
    assertEquals(List.of("state.json"), names(file.getParent()));
  }

  @Test
  void replace_existingFile_replacesAllOfIt() throws IOException {
    Path file = dir.resolve("state.json");
    Files.writeString(file, "a much longer old content than the new one");
    DurableFiles.replace(file, utf8("new"));
    assertEquals("new", Files.readString(file));
    assertEquals(List.of("state.json"), names(dir));
  }

  @Test
  void replace_emptyContent_leavesAnEmptyFile() throws IOException {
    Path file = dir.resolve("empty");
    Files.writeString(file, "old");
    DurableFiles.replace(file, new byte[0]);
    assertArrayEquals(new byte[0], Files.readAllBytes(file));
  }

  @Test
  void replace_ownerOnly_newAndReplacedFilesAreRwOwnerOnly() throws IOException {
    Path file = dir.resolve("secret");
    DurableFiles.replace(file, utf8("one"), DurableFiles.OWNER_ONLY);
    assertEquals("rw-------", permissions(file));
    // A file that was readable by everyone is replaced by one that is not.
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    DurableFiles.replace(file, utf8("two"), DurableFiles.OWNER_ONLY);
    assertEquals("rw-------", permissions(file));
    assertEquals("two", Files.readString(file));
  }

  @Test
  void replace_leftoverTemporaryFromACrash_isOverwrittenAndRemoved() throws IOException {
    Path file = dir.resolve("secret");
    Path leftover = dir.resolve("secret.tmp");
    Files.writeString(leftover, "half a write, readable by all");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));
    DurableFiles.replace(file, utf8("whole"), DurableFiles.OWNER_ONLY);
    assertEquals("whole", Files.readString(file));
    assertEquals("rw-------", permissions(file), "not the leftover's permissions");
    assertEquals(List.of("secret"), names(dir));
  }

  @Test
  void replace_somethingNotOursAtTheTemporaryPath_failsAndKeepsTheOldFile() throws IOException {
    Path file = dir.resolve("checkpoint");
    Files.writeString(file, "old");
    Path blocker = Files.createDirectory(dir.resolve("checkpoint.tmp"));
    assertThrows(IOException.class, () -> DurableFiles.replace(file, utf8("new")));
    assertEquals("old", Files.readString(file));
    assertTrue(Files.isDirectory(blocker), "a directory at the temporary path is not deleted");
  }

  @Test
  void replace_whenTheMoveFails_removesTheTemporary() throws IOException {
    // A non-empty directory where the file should go: the content is written, the rename refused.
    Path target = Files.createDirectory(dir.resolve("taken"));
    Files.writeString(target.resolve("inside"), "kept");
    assertThrows(IOException.class, () -> DurableFiles.replace(target, utf8("new")));
    assertEquals("kept", Files.readString(target.resolve("inside")));
    assertEquals(List.of("taken"), names(dir));
  }

  @Test
  void forceDirectory_existingDirectory_succeeds() throws IOException {
    DurableFiles.forceDirectory(dir);
  }

  @Test
  void forceDirectory_missingDirectory_throws() {
    assertThrows(
        NoSuchFileException.class, () -> DurableFiles.forceDirectory(dir.resolve("missing")));
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
