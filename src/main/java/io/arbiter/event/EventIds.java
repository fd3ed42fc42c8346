package io.arbiter.event;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Event ids: UUID version 7 (RFC 9562) from the event's own time and 74 random bits. They name
 * bundles, so they must never repeat (the random bits see to that) and need no coordination (they
 * are made on the callers' threads, before the journal numbers anything). Their text sorts by time
 * to the millisecond, which keeps bundle IRIs in roughly the order events happened.
 */
public final class EventIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private EventIds() {}

  public static String next(Instant time) {
    long millis = time.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long random = RANDOM.nextLong();
    long high = (millis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
    long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
