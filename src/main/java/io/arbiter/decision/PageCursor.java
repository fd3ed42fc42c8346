package io.arbiter.decision;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * A position in the newest-first order of decisions: opaque to clients, stable under inserts
 * (keyset paging, not offsets).
 */
public record PageCursor(Instant submittedAt, DecisionId id) {

  public String encode() {
    String raw = submittedAt + "|" + id.value();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a client-supplied cursor; empty when it is not one of ours. */
  public static Optional<PageCursor> decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      if (bar < 0) {
        return Optional.empty();
      }
      Instant at = Instant.parse(raw.substring(0, bar));
      return DecisionId.parse(raw.substring(bar + 1)).map(id -> new PageCursor(at, id));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
