package io.arbiter.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces small state files (keys, checkpoints, tiles, callback lists) so that after a crash or a
 * power loss the file holds its old content or its new content, never a mix, nothing, or a name
 * pointing at unwritten blocks.
 *
 * <p>A rename alone does not give that: file systems may persist the rename before the data it
 * points at (ext4 with {@code data=writeback}, XFS), or lose the rename itself if the directory was
 * not flushed. So {@link #replace} writes a temporary file beside the target, forces its data to
 * the device, renames it over the target atomically, then forces the directory so the rename is
 * durable too. When it returns, the new content survives a power cut, as far as the device honours
 * flushes (a disk cache that lies about them defeats every scheme; nothing here can tell).
 *
 * <p>Invariant the callers keep: no two threads or processes replace the same file at once (the
 * temporary file's name is fixed, so a crash leftover is simply overwritten next time).
 */
public final class DurableFiles {

  /** {@code rw-------}: for files holding secrets (keys, callback secrets). */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private DurableFiles() {}

  /** {@link #replace(Path, byte[], Set)} with the file system's default permissions. */
  public static void replace(Path file, byte[] content) throws IOException {
    write(file, content, null);
  }

  /**
   * Makes {@code file} hold exactly {@code content}, durably, creating missing parent directories
   * (durably as well). On failure the previous file, if any, is left as it was, and the temporary
   * file is removed when possible.
   *
   * @param permissions the new file's POSIX permissions, set when the temporary file is created so
   *     the content is never readable more widely, even briefly; ignored on file systems without
   *     POSIX permissions, whose own access control then applies
   * @throws IOException from the file system; also when something other than a regular file sits at
   *     the temporary path {@code <file>.tmp} (it is not ours to delete). If only the final flush
   *     of the directory fails, the new content is in place but not known to be durable.
   */
  public static void replace(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    write(file, content, Set.copyOf(permissions));
  }

  /**
   * Flushes a directory's entries (files created, renamed or removed in it) to the device. Call it
   * after creating or renaming a file whose existence under that name must survive a power loss,
   * such as a new journal segment: forcing the file itself persists its data, not its name.
   *
   * <p>A no-op on Windows, which cannot open a directory as a file; there the durability of names
   * rests on the file system's own metadata journal.
   *
   * @throws IOException if the directory cannot be opened or flushed (other than on Windows)
   */
  public static void forceDirectory(Path directory) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      if (WINDOWS && Files.isDirectory(directory)) {
        // Windows refuses to open a directory for reading (AccessDeniedException) and Java offers
        // no other way to flush one; skipping is the best anyone can do from the JVM.
        return;
      }
      throw e;
    }
    try (channel) {
      channel.force(true);
    }
  }

  /**
   * Flushes every file directly in {@code directory}, then the directory itself: files copied or
   * written without a flush of their own survive a power loss from here on.
   */
  public static void forceFiles(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      for (Path file : entries.filter(Files::isRegularFile).toList()) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
    forceDirectory(directory);
  }

  /**
   * Renames a directory into place in one step, and flushes the parent so the new name survives a
   * power loss: whoever looks for {@code target} finds nothing or all of it.
   */
  public static void moveDirectory(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(target.toAbsolutePath().getParent());
  }

  /** Deletes {@code root} and everything under it; nothing when it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void write(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    createDirectories(directory);
    Path temporary = directory.resolve(target.getFileName() + ".tmp");
    // A leftover from a crash. Anything else there (a directory, a link) is not ours to remove, and
    // CREATE_NEW below then fails rather than write through it.
    if (Files.isRegularFile(temporary, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(temporary);
    }
    boolean created = false;
    try {
      try (FileChannel channel = create(temporary, permissions)) {
        created = true;
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temporary, target);
    } catch (IOException | RuntimeException e) {
      if (created) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
    forceDirectory(directory);
  }

  private static FileChannel create(Path temporary, Set<PosixFilePermission> permissions)
      throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (permissions == null || !posix(temporary)) {
      return FileChannel.open(temporary, options);
    }
    FileAttribute<Set<PosixFilePermission>> mode =
        PosixFilePermissions.asFileAttribute(permissions);
    return FileChannel.open(temporary, options, mode);
  }

  private static void move(Path temporary, Path target) throws IOException {
    try {
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Only file systems without an atomic rename within one directory get here (some network
      // and FUSE file systems). The file's data is forced already; a crash during this move can
      // leave the target missing, which no portable call can prevent there.
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Creates the missing directories on the way to {@code directory}, forcing each one's parent so
   * that a file placed in a new directory cannot vanish with it after a power loss.
   */
  private static void createDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Path parent = directory.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(directory);
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(directory)) {
        return; // created meanwhile by another thread, whose own call forces its parent
      }
      throw e;
    }
    if (parent != null) {
      forceDirectory(parent);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
