package io.arbiter.decision.api;

import java.util.Optional;

/** The {@code wait} preference of an RFC 7240 {@code Prefer} header. */
final class PreferWait {
  private PreferWait() {}

  /** The longest wait granted, in seconds: a held connection is cheap, but not free. */
  static final int MAX_SECONDS = 60;

  /**
   * The seconds to wait, capped at {@link #MAX_SECONDS}; empty when the header asks for no wait or
   * is malformed (a preference that cannot be honoured is ignored, as RFC 7240 says).
   */
  static Optional<Integer> seconds(String prefer) {
    if (prefer == null) {
      return Optional.empty();
    }
    for (String preference : prefer.split(",")) {
      String token = preference.split(";", 2)[0].strip();
      int equals = token.indexOf('=');
      if (equals > 0 && token.substring(0, equals).strip().equalsIgnoreCase("wait")) {
        String value = token.substring(equals + 1).strip().replace("\"", "");
        try {
          int seconds = Integer.parseInt(value);
          return seconds > 0 ? Optional.of(Math.min(seconds, MAX_SECONDS)) : Optional.empty();
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
