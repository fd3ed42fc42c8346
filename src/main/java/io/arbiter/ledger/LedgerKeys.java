package io.arbiter.ledger;

import io.arbiter.config.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Where the checkpoint-signing key comes from: a configured file, or one generated on first start.
 */
public final class LedgerKeys {

  private LedgerKeys() {}

  /**
   * Loads {@code configured} if given (it must exist), else the key in {@code generated}, creating
   * it there with owner-only permissions on first start. The key's name must be {@code name} (the
   * log's origin): a key for another log is refused.
   */
  public static NoteKey load(Optional<Path> configured, Path generated, String name) {
    Path file = configured.orElse(generated);
    try {
      if (!Files.exists(file)) {
        if (configured.isPresent()) {
          throw new IllegalStateException("the configured ledger key " + file + " does not exist");
        }
        return create(file, name);
      }
      NoteKey key = NoteKey.parsePrivate(Files.readString(file, StandardCharsets.UTF_8));
      if (!key.name().equals(name)) {
        throw new IllegalStateException(
            "the ledger key " + file + " is for " + key.name() + ", not " + name);
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the ledger key " + file, e);
    } catch (NoteException e) {
      throw new IllegalStateException(
          "the ledger key " + file + " is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * Generates a key and stores it durably ({@link DurableFiles}), owner-only from the moment the
   * file exists. Losing it after checkpoints were published under it would make every one of them
   * unverifiable with the next key, so it is forced to disk before any checkpoint is signed.
   */
  private static NoteKey create(Path file, String name) throws IOException {
    NoteKey key = NoteKey.generate(name, new SecureRandom());
    DurableFiles.replace(
        file,
        (key.encodePrivate() + "\n").getBytes(StandardCharsets.UTF_8),
        DurableFiles.OWNER_ONLY);
    Path folder = file.toAbsolutePath().getParent();
    if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }
    return key;
  }
}
