package io.arbiter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-ins under way at the OpenID provider, each under a random id (the browser's flow cookie),
 * for at most a lifetime, and at most {@code capacity} of them. Anyone may start a flow without
 * signing in, so the table is bounded; when it is full a new flow is refused, never made room for:
 * evicting the oldest would let whoever can start flows fastest cancel other people's sign-ins in
 * progress at will. The price is that a client who fills it keeps new single sign-ons out until its
 * flows expire ({@link #untilFree}); existing sessions and the password form are unaffected.
 *
 * <p>Flows are kept in the order they started, so expired ones are purged from the front in time
 * proportional to their number.
 *
 * @param <F> what a flow remembers (state, nonce, PKCE verifier)
 */
final class PendingFlows<F> {

  private record Pending<F>(F flow, Instant started) {}

  private final int capacity;
  private final Duration lifetime;
  private final Clock clock;
  private final LinkedHashMap<String, Pending<F>> flows = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException unless {@code capacity > 0} and the lifetime is positive
   */
  PendingFlows(int capacity, Duration lifetime, Clock clock) {
    if (capacity <= 0 || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a flow table needs room and a positive lifetime");
    }
    this.capacity = capacity;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * Keeps {@code flow} under {@code id}, an unguessable value of the caller's (the flow cookie):
   * only whoever holds it can {@link #take} the flow.
   *
   * @return false, keeping nothing, when {@code capacity} flows are pending
   */
  synchronized boolean add(String id, F flow) {
    Instant now = clock.instant();
    purge(now);
    if (flows.size() >= capacity) {
      return false;
    }
    flows.put(id, new Pending<>(flow, now));
    return true;
  }

  /** Removes the flow {@code id} (a flow is used once) and returns it unless it has expired. */
  synchronized Optional<F> take(String id) {
    Pending<F> pending = flows.remove(id);
    if (pending == null || expired(pending, clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(pending.flow());
  }

  /** How long until the oldest pending flow expires, which frees a place; zero when one is free. */
  synchronized Duration untilFree() {
    Instant now = clock.instant();
    purge(now);
    if (flows.size() < capacity) {
      return Duration.ZERO;
    }
    Instant oldest = flows.values().iterator().next().started();
    return Duration.between(now, oldest.plus(lifetime));
  }

  synchronized int size() {
    return flows.size();
  }

  private void purge(Instant now) {
    Iterator<Map.Entry<String, Pending<F>>> oldestFirst = flows.entrySet().iterator();
    while (oldestFirst.hasNext() && expired(oldestFirst.next().getValue(), now)) {
      oldestFirst.remove();
    }
  }

  private boolean expired(Pending<F> pending, Instant now) {
    return !now.isBefore(pending.started().plus(lifetime));
  }
}
