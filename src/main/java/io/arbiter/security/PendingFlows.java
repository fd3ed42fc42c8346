package io.arbiter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-ins under way at the OpenID provider, each under a random id (the browser's flow cookie),
 * for at most a lifetime, at most {@code capacity} of them, and at most {@code perClient} from one
 * client ({@link ClientNetwork}). Anyone may start a flow without signing in, so the table is
 * bounded; when it is full a new flow is refused, never made room for: evicting the oldest would
 * let whoever can start flows fastest cancel other people's sign-ins in progress at will. The price
 * would be that one client who fills it keeps new single sign-ons out until its flows expire; the
 * per-client bound leaves that to someone with {@code capacity / perClient} addresses (or /64
 * networks). Existing sessions and the password form are unaffected either way.
 *
 * <p>Flows are kept in the order they started, so expired ones are purged from the front in time
 * proportional to their number.
 *
 * @param <F> what a flow remembers (state, nonce, PKCE verifier)
 */
final class PendingFlows<F> {

  private record Pending<F>(F flow, String client, Instant started) {}

  private final int capacity;
  private final int perClient;
  private final Duration lifetime;
  private final Clock clock;
  private final LinkedHashMap<String, Pending<F>> flows = new LinkedHashMap<>();

  /**
   * Each client's pending flows' start times, oldest first (its count, and its oldest, at once).
   */
  private final Map<String, ArrayDeque<Instant>> startsByClient = new HashMap<>();

  /**
   * @throws IllegalArgumentException unless {@code capacity > 0}, {@code perClient > 0} and the
   *     lifetime is positive
   */
  PendingFlows(int capacity, int perClient, Duration lifetime, Clock clock) {
    if (capacity <= 0 || perClient <= 0 || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a flow table needs room and a positive lifetime");
    }
    this.capacity = capacity;
    this.perClient = perClient;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * Keeps {@code flow} under {@code id}, an unguessable value of the caller's (the flow cookie):
   * only whoever holds it can {@link #take} the flow.
   *
   * @param address the client's address, as the servlet container reports it
   * @return empty when the flow is kept; when {@code capacity} flows are pending, or {@code
   *     perClient} from this client, nothing is kept and the answer is how long until a place this
   *     client may take is freed (at least a second)
   */
  synchronized Optional<Duration> add(String id, String address, F flow) {
    if (flows.containsKey(id)) {
      throw new IllegalArgumentException("a flow id is used once");
    }
    Instant now = clock.instant();
    purge(now);
    String client = ClientNetwork.of(address);
    ArrayDeque<Instant> own = startsByClient.getOrDefault(client, new ArrayDeque<>());
    boolean full = flows.size() >= capacity;
    boolean clientFull = own.size() >= perClient;
    if (full || clientFull) {
      // A place this client may take is free once both hold: the table's oldest flow has gone
      // (when full) and its own oldest (when at its share).
      Instant freed = Instant.MIN;
      if (full) {
        freed = flows.values().iterator().next().started();
      }
      if (clientFull && own.peekFirst().isAfter(freed)) {
        freed = own.peekFirst();
      }
      Duration wait = Duration.between(now, freed.plus(lifetime));
      return Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
    }
    flows.put(id, new Pending<>(flow, client, now));
    own.addLast(now);
    startsByClient.putIfAbsent(client, own);
    return Optional.empty();
  }

  /** Removes the flow {@code id} (a flow is used once) and returns it unless it has expired. */
  synchronized Optional<F> take(String id) {
    Pending<F> pending = flows.remove(id);
    if (pending == null) {
      return Optional.empty();
    }
    released(pending);
    return expired(pending, clock.instant()) ? Optional.empty() : Optional.of(pending.flow());
  }

  synchronized int size() {
    return flows.size();
  }

  private void purge(Instant now) {
    Iterator<Map.Entry<String, Pending<F>>> oldestFirst = flows.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Pending<F> oldest = oldestFirst.next().getValue();
      if (!expired(oldest, now)) {
        return;
      }
      oldestFirst.remove();
      released(oldest);
    }
  }

  /** The flow's place in its client's share is free again. */
  private void released(Pending<F> pending) {
    ArrayDeque<Instant> own = startsByClient.get(pending.client());
    if (own != null) {
      own.removeFirstOccurrence(pending.started()); // equal starts are interchangeable
      if (own.isEmpty()) {
        startsByClient.remove(pending.client());
      }
    }
  }

  private boolean expired(Pending<F> pending, Instant now) {
    return !now.isBefore(pending.started().plus(lifetime));
  }
}
