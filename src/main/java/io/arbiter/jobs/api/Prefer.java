package io.arbiter.jobs.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The preferences of RFC 7240 that a report honours: {@code respond-async} (answer {@code 202} with
 * a job rather than hold the request) and {@code wait=N} (seconds the client will wait for the
 * answer inline). Others are ignored, as the RFC asks; so is a malformed {@code wait}.
 */
public record Prefer(boolean respondAsync, Optional<Duration> waitFor) {

  public static final String HEADER = "Prefer";
  public static final String APPLIED = "Preference-Applied";

  /** How a report's {@code Prefer} parameter is documented, the same on every report. */
  public static final String DESCRIPTION =
      "RFC 7240. respond-async: run the report as a job and answer 202 with it at once; add"
          + " wait=N to have it answered inline (200) if it is done within N seconds (at most"
          + " arbiter.jobs.max-wait). Without respond-async the report is answered synchronously.";

  /** No preference: the request is answered synchronously. */
  public static final Prefer NONE = new Prefer(false, Optional.empty());

  /** Reads every {@code Prefer} header of a request (each a comma-separated list); null: none. */
  public static Prefer of(List<String> headers) {
    if (headers == null) {
      return NONE;
    }
    boolean async = false;
    Optional<Duration> wait = Optional.empty();
    for (String header : headers) {
      for (String preference : header.split(",")) {
        // A preference's own parameters follow a semicolon; none of ours has any.
        String token = preference.split(";", 2)[0].trim();
        int equals = token.indexOf('=');
        String name = (equals < 0 ? token : token.substring(0, equals)).trim();
        String value = equals < 0 ? "" : token.substring(equals + 1).trim().replace("\"", "");
        switch (name.toLowerCase(Locale.ROOT)) {
          case "respond-async" -> async = true;
          case "wait" -> wait = wait.isPresent() ? wait : seconds(value);
          default -> {
            // not ours
          }
        }
      }
    }
    return new Prefer(async, wait);
  }

  /** How long to wait: what the client asked, but no longer than {@code max}. */
  public Optional<Duration> waitAtMost(Duration max) {
    return waitFor.map(asked -> asked.compareTo(max) > 0 ? max : asked);
  }

  private static Optional<Duration> seconds(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
  }
}
