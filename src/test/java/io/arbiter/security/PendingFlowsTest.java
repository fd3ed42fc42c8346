package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bounded table of sign-ins under way: full, for everyone or for one client, means refused,
 * never someone else's evicted.
 */
class PendingFlowsTest {

  private static final Duration LIFETIME = Duration.ofMinutes(10);

  private static final String HOME = "192.0.2.10";

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T01:00:00Z"));
  private final PendingFlows<String> flows = new PendingFlows<>(3, 3, LIFETIME, clock);

  /** Kept, from {@link #HOME}. */
  private boolean add(String id, String flow) {
    return flows.add(id, HOME, flow).isEmpty();
  }

  @Test
  void take_returnsTheFlowOnce() {
    assertTrue(add("a", "flow-a"));
    assertEquals(Optional.of("flow-a"), flows.take("a"));
    assertEquals(Optional.empty(), flows.take("a"), "a flow is used once");
    assertEquals(Optional.empty(), flows.take("never-added"));
  }

  @Test
  void add_whenFull_isRefused_andKeepsEveryPendingFlow() {
    assertTrue(flows.add("victim", "198.51.100.7", "victim's sign-in").isEmpty());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(add("b", "b"));
    assertTrue(flows.add("c", "203.0.113.5", "c").isEmpty());
    // Until the oldest flow expires, whoever asks: nine minutes from now.
    assertEquals(Optional.of(Duration.ofMinutes(9)), flows.add("d", HOME, "d"), "full");
    assertEquals(Optional.of(Duration.ofMinutes(9)), flows.add("e", "2001:db8::1", "e"));
    assertEquals(3, flows.size());
    assertEquals(Optional.empty(), flows.take("d"), "a refused flow was not kept");
    // Flooding did not push the first sign-in out: its browser still finishes it.
    assertEquals(Optional.of("victim's sign-in"), flows.take("victim"));
    assertTrue(add("f", "f"), "a place freed by a finished sign-in is taken again");
  }

  @Test
  void expiredFlows_areRefused_andPurgedToMakeRoom() {
    assertTrue(add("a", "a"));
    assertTrue(add("b", "b"));
    clock.advance(Duration.ofMinutes(5));
    assertTrue(add("c", "c"));
    clock.advance(Duration.ofMinutes(5)); // a and b reach their lifetime, c is half-way
    assertEquals(Optional.empty(), flows.take("a"), "too late");
    assertTrue(add("d", "d"));
    assertEquals(2, flows.size(), "b was purged, c and d remain");
    assertTrue(add("e", "e"));
    assertEquals(Optional.of(Duration.ofMinutes(5)), flows.add("f", HOME, "f"), "c expires first");
    assertEquals(Optional.of("c"), flows.take("c"));
  }

  @Test
  void oneClient_isRefusedPastItsShare_whileOthersGoOn() {
    PendingFlows<String> shared = new PendingFlows<>(10, 2, LIFETIME, clock);
    assertTrue(shared.add("a", HOME, "a").isEmpty());
    clock.advance(Duration.ofMinutes(2));
    assertTrue(shared.add("b", HOME, "b").isEmpty());
    // Until this client's own oldest flow expires: eight minutes.
    assertEquals(Optional.of(Duration.ofMinutes(8)), shared.add("c", HOME, "c"));
    assertTrue(shared.add("d", "192.0.2.11", "d").isEmpty(), "another address has its own share");
    assertEquals(3, shared.size());
    // A finished sign-in gives the client its place back.
    assertEquals(Optional.of("a"), shared.take("a"));
    assertTrue(shared.add("e", HOME, "e").isEmpty());
    assertTrue(shared.add("f", HOME, "f").isPresent());
    // So do expired ones, purged as new flows come: b and e, ten minutes after they started.
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertTrue(shared.add("g", HOME, "g").isPresent(), "not yet");
    clock.advance(Duration.ofMillis(1));
    assertTrue(shared.add("g", HOME, "g").isEmpty(), "b and e expired");
    assertTrue(shared.add("h", HOME, "h").isEmpty());
  }

  @Test
  void anIpv6Client_countsByIts64_soFreshAddressesDoNotMultiplyItsShare() {
    PendingFlows<String> shared = new PendingFlows<>(10, 2, LIFETIME, clock);
    assertTrue(shared.add("a", "2001:db8:1:2::1", "a").isEmpty());
    assertTrue(shared.add("b", "2001:db8:1:2:ffff::9", "b").isEmpty());
    assertTrue(shared.add("c", "2001:db8:1:2::abcd", "c").isPresent(), "the same /64");
    assertTrue(shared.add("d", "2001:db8:1:3::1", "d").isEmpty(), "another /64");
    // An IPv4-mapped address is its IPv4 client.
    assertTrue(shared.add("e", HOME, "e").isEmpty());
    assertTrue(shared.add("f", "::ffff:" + HOME, "f").isEmpty());
    assertTrue(shared.add("g", HOME, "g").isPresent());
  }

  @Test
  void aClientAtItsShare_ofAFullTable_waitsForItsOwnOldest_whenThatIsLater() {
    PendingFlows<String> shared = new PendingFlows<>(3, 2, LIFETIME, clock);
    assertTrue(shared.add("other", "198.51.100.7", "other").isEmpty());
    clock.advance(Duration.ofMinutes(3));
    assertTrue(shared.add("a", HOME, "a").isEmpty());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(shared.add("b", HOME, "b").isEmpty());
    // Full, and HOME at its two: the other's flow frees the table in 6 minutes, but HOME may
    // start one only when its own oldest goes, in 9.
    assertEquals(Optional.of(Duration.ofMinutes(9)), shared.add("c", HOME, "c"));
    assertEquals(Optional.of(Duration.ofMinutes(6)), shared.add("d", "203.0.113.5", "d"));
  }

  @Test
  void aFlowId_isUsedOnce() {
    assertTrue(add("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> flows.add("a", HOME, "again"));
    assertEquals(Optional.of("a"), flows.take("a"), "the first is kept as it was");
  }

  @Test
  void aRefusal_neverAsksToWaitLessThanASecond() {
    PendingFlows<String> one = new PendingFlows<>(1, 1, LIFETIME, clock);
    assertTrue(one.add("a", HOME, "a").isEmpty());
    clock.advance(LIFETIME.minusMillis(1));
    assertEquals(Optional.of(Duration.ofSeconds(1)), one.add("b", HOME, "b"));
  }

  @Test
  void constructor_withoutRoomOrLifetime_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PendingFlows<>(0, 1, LIFETIME, clock));
    assertThrows(IllegalArgumentException.class, () -> new PendingFlows<>(1, 0, LIFETIME, clock));
    assertThrows(
        IllegalArgumentException.class, () -> new PendingFlows<>(1, 1, Duration.ZERO, clock));
  }
}
