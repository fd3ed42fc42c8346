package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounded table of sign-ins under way: full means refused, never someone else's evicted. */
class PendingFlowsTest {

  private static final Duration LIFETIME = Duration.ofMinutes(10);

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T01:00:00Z"));
  private final PendingFlows<String> flows = new PendingFlows<>(3, LIFETIME, clock);

  @Test
  void take_returnsTheFlowOnce() {
    assertTrue(flows.add("a", "flow-a"));
    assertEquals(Optional.of("flow-a"), flows.take("a"));
    assertEquals(Optional.empty(), flows.take("a"), "a flow is used once");
    assertEquals(Optional.empty(), flows.take("never-added"));
  }

  @Test
  void add_whenFull_isRefused_andKeepsEveryPendingFlow() {
    assertTrue(flows.add("victim", "victim's sign-in"));
    clock.advance(Duration.ofMinutes(1));
    assertTrue(flows.add("b", "b"));
    assertTrue(flows.add("c", "c"));
    assertFalse(flows.add("d", "d"), "full");
    assertFalse(flows.add("e", "e"), "still full");
    assertEquals(3, flows.size());
    // Until the oldest flow expires: nine minutes from now.
    assertEquals(Duration.ofMinutes(9), flows.untilFree());
    assertEquals(Optional.empty(), flows.take("d"), "a refused flow was not kept");
    // Flooding did not push the first sign-in out: its browser still finishes it.
    assertEquals(Optional.of("victim's sign-in"), flows.take("victim"));
    assertEquals(Duration.ZERO, flows.untilFree());
    assertTrue(flows.add("f", "f"), "a place freed by a finished sign-in is taken again");
  }

  @Test
  void expiredFlows_areRefused_andPurgedToMakeRoom() {
    assertTrue(flows.add("a", "a"));
    assertTrue(flows.add("b", "b"));
    clock.advance(Duration.ofMinutes(5));
    assertTrue(flows.add("c", "c"));
    clock.advance(Duration.ofMinutes(5)); // a and b reach their lifetime, c is half-way
    assertEquals(Optional.empty(), flows.take("a"), "too late");
    assertTrue(flows.add("d", "d"));
    assertEquals(2, flows.size(), "b was purged, c and d remain");
    assertTrue(flows.add("e", "e"));
    assertFalse(flows.add("f", "f"));
    assertEquals(Duration.ofMinutes(5), flows.untilFree(), "c expires first");
    assertEquals(Optional.of("c"), flows.take("c"));
  }

  @Test
  void constructor_withoutRoomOrLifetime_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PendingFlows<>(0, LIFETIME, clock));
    assertThrows(IllegalArgumentException.class, () -> new PendingFlows<>(1, Duration.ZERO, clock));
  }
}
