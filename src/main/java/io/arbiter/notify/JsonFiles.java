package io.arbiter.notify;

import io.arbiter.config.DurableFiles;
import io.arbiter.event.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small JSON state files next to the store (they hold secrets, so not in the graph): read whole,
 * replaced whole, atomically and durably ({@link DurableFiles}), readable by the owner only.
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
      // Owner-only from its creation: the secrets are never readable by others, even briefly.
      DurableFiles.replace(
          file, content.toString().getBytes(StandardCharsets.UTF_8), DurableFiles.OWNER_ONLY);
      ownerOnly(file.toAbsolutePath().getParent(), "rwx------");
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
