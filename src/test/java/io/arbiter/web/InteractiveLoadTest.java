package io.arbiter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request counts as interactive until it takes a heavy permit; heavy work steps aside only while
 * one is in flight. (The counter is the process's: each test compares with what it found.)
 */
class InteractiveLoadTest {

  @Test
  void aRequest_countsUntilItLeaves() {
    int before = InteractiveLoad.interactive();
    InteractiveLoad.begin();
    assertEquals(before + 1, InteractiveLoad.interactive());
    InteractiveLoad.end();
    assertEquals(before, InteractiveLoad.interactive());
  }

  @Test
  void aRequestTakingAHeavyPermit_stopsCountingThenAndOnlyThen() {
    int before = InteractiveLoad.interactive();
    InteractiveLoad.begin();
    try (Permits.Permit permit = new Permits("exports", "test.export", 1, 1).acquire("alice")) {
      assertEquals(before, InteractiveLoad.interactive());
      InteractiveLoad.markHeavy(); // a second permit of the same request changes nothing
      assertEquals(before, InteractiveLoad.interactive());
    }
    InteractiveLoad.end();
    assertEquals(before, InteractiveLoad.interactive(), "not taken off twice");
  }

  @Test
  void aPermitOffARequestThread_changesNothing() {
    int before = InteractiveLoad.interactive();
    try (Permits.Permit permit = new Permits("reports", "test.reports", 1, 1).acquire("job")) {
      assertEquals(before, InteractiveLoad.interactive());
    }
    assertEquals(before, InteractiveLoad.interactive());
  }

  /** The pause is bounded: a request that never leaves slows heavy work down, never stops it. */
  @Test
  void stepAside_whileARequestStaysInFlight_stillReturns() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Thread request =
        new Thread(
            () -> {
              InteractiveLoad.begin();
              entered.countDown();
              try {
                leave.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                InteractiveLoad.end();
              }
            });
    request.start();
    entered.await();
    Thread export =
        new Thread(
            () -> {
              for (int i = 0; i < 3; i++) {
                InteractiveLoad.stepAside();
              }
            });
    export.start();
    export.join(TimeUnit.SECONDS.toMillis(30));
    boolean stuck = export.isAlive();
    leave.countDown();
    request.join();
    assertEquals(false, stuck, "three steps beside a request that stays");
  }
}
