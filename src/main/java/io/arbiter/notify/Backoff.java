package io.arbiter.notify;

import java.time.Duration;

/**
 * When to try a failed callback again: exponential, doubling from {@code first} up to {@code cap},
 * for at most {@code attempts} tries in all; {@link #jittered} spreads each wait so that the
 * deliveries a receiver's outage failed together do not all come back at the same instant.
 */
public record Backoff(Duration first, Duration cap, int attempts) {

  public Backoff {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || attempts < 1) {
      throw new IllegalArgumentException("backoff needs 0 < first <= cap and attempts >= 1");
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based); empty when it was the last. */
  public java.util.Optional<Duration> after(int attempt) {
    if (attempt >= attempts) {
      return java.util.Optional.empty();
    }
    Duration delay = first;
    for (int i = 1; i < attempt && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return java.util.Optional.of(delay.compareTo(cap) > 0 ? cap : delay);
  }

  /**
   * {@link #after}, with "equal jitter": half the wait, plus a random share of the other half.
   *
   * @param random a uniform draw from [0, 1)
   */
  public java.util.Optional<Duration> jittered(int attempt, double random) {
    return after(attempt)
        .map(
            wait -> {
              long half = wait.toMillis() / 2;
              return Duration.ofMillis(half + (long) (random * (wait.toMillis() - half)));
            });
  }
}
