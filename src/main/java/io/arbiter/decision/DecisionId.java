package io.arbiter.decision;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A decision's identifier: a UUID version 7, so identifiers sort by submission time and reveal
 * nothing else.
 */
public record DecisionId(String value) {

  private static final Pattern FORMAT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public DecisionId {
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a decision id: " + value);
    }
  }

  /** Parses untrusted text (a path parameter); empty when it cannot be one of ours. */
  public static Optional<DecisionId> parse(String text) {
    return text != null && FORMAT.matcher(text).matches()
        ? Optional.of(new DecisionId(text))
        : Optional.empty();
  }

  /** A new identifier for a decision submitted at {@code time} (RFC 9562 UUIDv7 layout). */
  public static DecisionId next(Instant time) {
    long millis = time.toEpochMilli();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new DecisionId(new UUID(msb, lsb).toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
