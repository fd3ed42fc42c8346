package io.arbiter.notify;

import io.arbiter.event.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small JSON state files next to the store (they hold secrets, so not in the graph): read whole,
 * replaced whole and atomically, readable by the owner only.
 */
final class JsonFiles {
  private JsonFiles() {}

  static JsonArray readArray(Path file) {
    if (!Files.exists(file)) {
      return JsonValue.EMPTY_JSON_ARRAY;
    }
    try (var reader =
        Jsonp.PROVIDER.createReader(
            new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
      return reader.readArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static void writeArray(Path file, JsonArray content) {
    try {
      Path folder = file.getParent();
      Files.createDirectories(folder);
      ownerOnly(folder, "rwx------");
      Path temp = folder.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      // Owner-only from its creation: the secrets are never readable by others, even briefly.
      try {
        Files.createFile(
            temp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(temp);
      }
      Files.writeString(temp, content.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void ownerOnly(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own access control applies.
    }
  }
}
