package io.arbiter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing at the sign-in form and HTTP Basic. Failed sign-ins are counted in
 * two buckets: one per user name and client address, one per client address. Past a bucket's free
 * failures each further failure shuts it for a delay that doubles, from one second up to {@code
 * maxDelay}; while a bucket is shut every sign-in it covers is refused unchecked (the password is
 * not even looked at, so a guess cannot succeed then), and a bucket untouched for {@link
 * #FORGET_AFTER} starts again from nothing. A successful sign-in empties its user-and-address
 * bucket only; the address bucket keeps counting, so one account the guesser knows cannot reset
 * their spraying of others.
 *
 * <p>No bucket is per user alone, deliberately: it would let anyone, from anywhere, keep a real
 * person out by failing with their name. The price is that a guesser with many addresses is slowed
 * per address only. An IPv6 client counts by its /64 network, which one host usually has to itself,
 * so that it cannot take a fresh address per guess. Behind a proxy every client has the proxy's
 * address, unless the server is told the forwarded one (docs/security.md).
 *
 * <p>At most {@code maxTracked} buckets are kept, each of a fixed size (a name is kept as its
 * digest, whatever its length). When full, forgotten and then unshut buckets are dropped (at most
 * once a second); if every bucket kept is still shut, failures for keys not yet kept share one
 * overflow bucket with the per-address allowance, so a flood slows itself rather than opening the
 * door to new guessers.
 *
 * <p>The server goes through {@link #attempt}: the check and the count are one step, so parallel
 * guesses are counted before any of them is checked, not after.
 */
public final class SignInThrottle {

  /** A bucket not failed in for this long starts again from nothing. */
  public static final Duration FORGET_AFTER = Duration.ofMinutes(15);

  /** The first delay; each further failure doubles it. */
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);

  /**
   * Request attribute: the {@link Duration} a refused sign-in must wait, for the code that answers
   * it (429 with {@code Retry-After}).
   */
  public static final String REFUSED = "io.arbiter.security.sign-in-refused";

  /**
   * @param failuresPerUser failures of one user name from one address before it is slowed
   * @param failuresPerAddress failures from one address, whatever the names, before it is slowed
   * @param maxDelay the longest a bucket is shut at a time
   * @param maxTracked most buckets kept
   */
  public record Limits(
      int failuresPerUser, int failuresPerAddress, Duration maxDelay, int maxTracked) {
    public Limits {
      if (failuresPerUser < 1 || failuresPerAddress < 1 || maxTracked < 1) {
        throw new IllegalArgumentException("sign-in failure limits must be positive");
      }
      if (maxDelay.compareTo(FIRST_DELAY) < 0 || maxDelay.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("the longest sign-in delay must be from PT1S to PT1H");
      }
    }
  }

  private record Bucket(int failures, Instant lastFailure, Instant shutUntil) {}

  private final Limits limits;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** The bucket failures of keys not kept go to while the table is full of shut buckets. */
  private static final String OVERFLOW = "overflow";

  private Instant lastSweep = Instant.MIN;

  public SignInThrottle(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** A sign-in as {@link #attempt} took it: refused, or admitted and counted as failed. */
  public interface Attempt {
    /** The wait a refused sign-in must keep; empty when it was admitted. */
    Optional<Duration> refused();

    /**
     * The password was right: the admitted attempt is taken back from its address's count, and that
     * name's failures from that address are forgotten. Nothing for a refused one.
     */
    void succeeded();
  }

  /**
   * Takes a sign-in of {@code user} from {@code address}: refused while a bucket of it is shut,
   * otherwise counted as a failure at once — so parallel guesses are all counted before any of them
   * is checked — until {@link Attempt#succeeded} says the password was right.
   */
  public synchronized Attempt attempt(String user, String address) {
    Optional<Duration> wait = refusal(user, address);
    if (wait.isEmpty()) {
      failed(user, address);
    }
    return new Attempt() {
      @Override
      public Optional<Duration> refused() {
        return wait;
      }

      @Override
      public void succeeded() {
        if (wait.isEmpty()) {
          synchronized (SignInThrottle.this) {
            buckets.remove(userKey(user, address));
            uncount(addressKey(address), limits.failuresPerAddress());
          }
        }
      }
    };
  }

  /** How long a sign-in of {@code user} from {@code address} must wait; empty if it may go on. */
  public synchronized Optional<Duration> refusal(String user, String address) {
    Instant now = clock.instant();
    String userKey = userKey(user, address);
    String addressKey = addressKey(address);
    Instant until = later(shutUntil(userKey), shutUntil(addressKey));
    if (!buckets.containsKey(userKey) && buckets.size() >= limits.maxTracked()) {
      until = later(until, shutUntil(OVERFLOW)); // its failures would be counted there
    }
    return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
  }

  /** Counts a failed sign-in (a wrong password or an unknown user). */
  public synchronized void failed(String user, String address) {
    Instant now = clock.instant();
    if (buckets.size() >= limits.maxTracked() && !now.isBefore(lastSweep.plusSeconds(1))) {
      lastSweep = now;
      makeRoom(now);
    }
    count(userKey(user, address), limits.failuresPerUser(), now);
    count(addressKey(address), limits.failuresPerAddress(), now);
  }

  /** A successful sign-in: that user's failures from that address are forgotten. */
  public synchronized void succeeded(String user, String address) {
    buckets.remove(userKey(user, address));
  }

  int tracked() {
    return buckets.size();
  }

  private void count(String key, int free, Instant now) {
    if (!buckets.containsKey(key) && buckets.size() >= limits.maxTracked()) {
      // Every bucket kept is still shut: new keys share one, as strict as an address's.
      key = OVERFLOW;
      free = limits.failuresPerAddress();
    }
    int allowed = free;
    buckets.compute(
        key,
        (k, old) -> {
          int failures = old == null || forgotten(old, now) ? 1 : old.failures() + 1;
          return new Bucket(failures, now, shutAfter(failures, allowed, now));
        });
  }

  /** When a bucket with {@code failures} of which {@code free} are free opens again. */
  private Instant shutAfter(int failures, int free, Instant now) {
    if (failures <= free) {
      return now;
    }
    int doublings = Math.min(failures - free - 1, 20);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return now.plus(delay.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : delay);
  }

  /** Takes one failure back from an address bucket (an attempt that turned out right). */
  private void uncount(String key, int free) {
    buckets.computeIfPresent(
        key,
        (k, old) -> {
          int failures = old.failures() - 1;
          if (failures <= 0) {
            return null;
          }
          // Back within its allowance, a bucket this attempt shut is open again.
          Instant shut = failures <= free ? old.lastFailure() : old.shutUntil();
          return new Bucket(failures, old.lastFailure(), shut);
        });
  }

  private void makeRoom(Instant now) {
    buckets.values().removeIf(b -> forgotten(b, now));
    if (buckets.size() >= limits.maxTracked()) {
      buckets.values().removeIf(b -> !b.shutUntil().isAfter(now));
    }
  }

  private static boolean forgotten(Bucket bucket, Instant now) {
    return !now.isBefore(bucket.lastFailure().plus(FORGET_AFTER))
        && !bucket.shutUntil().isAfter(now);
  }

  private Instant shutUntil(String key) {
    Bucket bucket = buckets.get(key);
    return bucket == null ? Instant.MIN : bucket.shutUntil();
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String userKey(String user, String address) {
    // Registries may match names regardless of case (LDAP does): so does the count. The name is
    // kept as a digest, so a bucket costs the same whatever the length of the name sent.
    return "u " + ClientNetwork.of(address) + " " + digest(user.toLowerCase(Locale.ROOT));
  }

  private static String digest(String name) {
    try {
      return java.util.Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String addressKey(String address) {
    return "a " + ClientNetwork.of(address);
  }
}
