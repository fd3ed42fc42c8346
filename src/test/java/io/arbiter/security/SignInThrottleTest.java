package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failed sign-ins slow down the guesser, per name and address and per address, never per name. */
class SignInThrottleTest {

  private static final String HOME = "192.0.2.10";
  private static final String ATTACKER = "198.51.100.7";

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T01:00:00Z"));
  private final SignInThrottle throttle =
      new SignInThrottle(new SignInThrottle.Limits(3, 10, Duration.ofSeconds(8), 1000), clock);

  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      assertEquals(Optional.empty(), throttle.refusal(user, address), "failure " + (i + 1));
      throttle.failed(user, address);
    }
  }

  @Test
  void failuresPastTheFreeOnes_shutForADoublingDelay_upToTheMaximum() {
    fail("ada", HOME, 3);
    assertEquals(Optional.empty(), throttle.refusal("ada", HOME), "three failures are free");
    throttle.failed("ada", HOME); // the fourth
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.refusal("ada", HOME));
    clock.advance(Duration.ofMillis(400));
    assertEquals(Optional.of(Duration.ofMillis(600)), throttle.refusal("ada", HOME));
    clock.advance(Duration.ofMillis(600));
    assertEquals(Optional.empty(), throttle.refusal("ada", HOME), "open again after the delay");
    throttle.failed("ada", HOME);
    assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.refusal("ada", HOME));
    for (long expected : new long[] {4, 8, 8, 8}) {
      clock.advance(throttle.refusal("ada", HOME).orElseThrow());
      throttle.failed("ada", HOME);
      assertEquals(Optional.of(Duration.ofSeconds(expected)), throttle.refusal("ada", HOME));
    }
  }

  @Test
  void anotherAddress_failingWithARealName_doesNotKeepThatPersonOut() {
    fail("ada", ATTACKER, 3);
    throttle.failed("ada", ATTACKER);
    assertTrue(throttle.refusal("ada", ATTACKER).isPresent());
    assertEquals(Optional.empty(), throttle.refusal("ada", HOME), "ada's own address is open");
  }

  @Test
  void oneAddress_sprayingManyNames_isSlowedAsAWhole() {
    for (int i = 0; i < 10; i++) {
      fail("user" + i, ATTACKER, 1);
    }
    throttle.failed("user10", ATTACKER); // the eleventh failure from the address
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.refusal("somebody-new", ATTACKER));
    assertEquals(Optional.empty(), throttle.refusal("somebody-new", HOME));
  }

  @Test
  void success_forgetsThatNamesFailures_butNotTheAddresss() {
    fail("ada", HOME, 3);
    throttle.succeeded("ada", HOME);
    fail("ada", HOME, 3); // three free failures again
    for (int i = 0; i < 4; i++) {
      fail("grace" + i, HOME, 1);
    }
    throttle.succeeded("grace0", HOME); // a known account does not reset the address's count
    throttle.failed("mallory", HOME); // the eleventh failure from HOME
    assertTrue(throttle.refusal("ada", HOME).isPresent(), "the address is shut");
  }

  @Test
  void quietForFifteenMinutes_startsAgainFromNothing() {
    fail("ada", HOME, 3);
    throttle.failed("ada", HOME);
    clock.advance(SignInThrottle.FORGET_AFTER);
    fail("ada", HOME, 3);
    assertEquals(Optional.empty(), throttle.refusal("ada", HOME));
  }

  @Test
  void namesDifferingInCase_shareTheirCount() {
    fail("Ada", HOME, 2);
    fail("ADA", HOME, 1);
    throttle.failed("ada", HOME);
    assertTrue(throttle.refusal("aDa", HOME).isPresent());
  }

  @Test
  void ipv6_countsByTheSlash64() {
    assertEquals("2001:db8:1:2:0:0:0:0/64", ClientNetwork.of("2001:db8:1:2::5"));
    assertEquals(
        ClientNetwork.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
        ClientNetwork.of("2001:0db8:0001:0002:0:0:0:1"));
    assertEquals("2001:0:1:2:0:0:0:0/64", ClientNetwork.of("2001::1:2:3:4:5:6"));
    assertEquals("192.0.2.10", ClientNetwork.of("::ffff:192.0.2.10"));
    assertEquals(HOME, ClientNetwork.of(HOME));
    for (int host = 1; host <= 11; host++) {
      throttle.failed("user" + host, "2001:db8:1:2::" + Integer.toHexString(host));
    }
    assertTrue(throttle.refusal("anyone", "2001:db8:1:2::ffff").isPresent(), "the same /64");
    assertEquals(Optional.empty(), throttle.refusal("anyone", "2001:db8:1:3::1"));
  }

  @Test
  void aFloodOfMadeUpNames_isBounded_andKeepsShutBuckets() {
    SignInThrottle small =
        new SignInThrottle(new SignInThrottle.Limits(1, 1000, Duration.ofSeconds(8), 50), clock);
    small.failed("ada", HOME);
    small.failed("ada", HOME); // shut
    for (int i = 0; i < 200; i++) {
      small.failed("made-up-" + i, ATTACKER);
    }
    assertTrue(small.tracked() <= 51, "tracked (and the overflow bucket) " + small.tracked());
    assertTrue(small.refusal("ada", HOME).isPresent(), "a shut bucket is never dropped");
  }

  @Test
  void attempts_areCountedWhenTaken_soParallelGuessesCannotAllPass() {
    for (int i = 0; i < 4; i++) {
      // Four guesses in flight at once: none checked yet, each counted as it was taken.
      assertEquals(Optional.empty(), throttle.attempt("ada", ATTACKER).refused(), "guess " + i);
    }
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("ada", ATTACKER).refused());
  }

  @Test
  void aRightPassword_takesItsAttemptBack_fromTheAddress() {
    for (int i = 0; i < 3; i++) {
      throttle.attempt("ada", HOME); // wrong passwords
    }
    SignInThrottle.Attempt right = throttle.attempt("ada", HOME);
    assertEquals(Optional.empty(), right.refused());
    right.succeeded();
    fail("ada", HOME, 3); // ada's failures forgotten: three free ones again
    // The address has counted 3 + 3 failures (the right one taken back): four more are free.
    fail("grace", HOME, 1);
    fail("linus", HOME, 1);
    fail("barbara", HOME, 1);
    fail("edsger", HOME, 1);
    throttle.failed("alan", HOME); // the eleventh
    assertTrue(throttle.refusal("someone", HOME).isPresent());
  }

  @Test
  void aRefusedAttempt_isNotCounted_andCannotBeTakenBack() {
    fail("ada", HOME, 3);
    throttle.failed("ada", HOME);
    SignInThrottle.Attempt refused = throttle.attempt("ada", HOME);
    assertEquals(Optional.of(Duration.ofSeconds(1)), refused.refused());
    refused.succeeded(); // nothing to take back
    assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.refusal("ada", HOME));
  }

  @Test
  void aNameOfAnyLength_isOneBucket() {
    String longName = "a".repeat(100_000);
    fail(longName, HOME, 3);
    throttle.failed(longName.toUpperCase(java.util.Locale.ROOT), HOME);
    assertTrue(throttle.refusal(longName, HOME).isPresent());
    assertEquals(2, throttle.tracked(), "its bucket and the address's");
  }

  @Test
  void aTableFullOfShutBuckets_sendsNewGuessersToOneSharedBucket() {
    SignInThrottle small =
        new SignInThrottle(new SignInThrottle.Limits(1, 1, Duration.ofSeconds(8), 4), clock);
    for (String address : new String[] {"192.0.2.1", "192.0.2.2"}) {
      small.failed("x", address);
      small.failed("x", address); // its name and its address buckets shut: four kept, all shut
    }
    assertEquals(Optional.empty(), small.refusal("y", "192.0.2.3"));
    small.failed("y", "192.0.2.3"); // counted twice in the shared bucket: name and address
    assertTrue(small.refusal("z", "192.0.2.4").isPresent(), "new guessers share its delay");
    assertTrue(small.refusal("x", "192.0.2.1").isPresent(), "the shut buckets stay");
  }

  @Test
  void limits_outOfRange_areRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SignInThrottle.Limits(0, 10, Duration.ofSeconds(8), 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SignInThrottle.Limits(3, 10, Duration.ofMillis(10), 10));
  }
}
