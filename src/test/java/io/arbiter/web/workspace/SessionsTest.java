package io.arbiter.web.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-12-06T09:00:00Z"));
  private final Sessions sessions =
      new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12));
  private final Sessions.SignedIn reviewer = new Sessions.SignedIn("reviewer", Set.of("reviewer"));

  @Test
  void start_givesAFreshUnguessableTokenEachTime() {
    String first = sessions.start(reviewer);
    String second = sessions.start(reviewer);
    assertNotEquals(first, second);
    assertEquals(43, first.length(), "256 bits, base64url");
    assertEquals(Optional.of(reviewer), sessions.user(first));
  }

  @Test
  void user_idleLongerThanTheIdleLimit_isSignedOut() {
    String token = sessions.start(reviewer);
    clock.advance(Duration.ofMinutes(29));
    assertTrue(sessions.user(token).isPresent(), "a request keeps it alive");
    clock.advance(Duration.ofMinutes(29));
    assertTrue(sessions.user(token).isPresent());
    clock.advance(Duration.ofMinutes(30));
    assertEquals(Optional.empty(), sessions.user(token));
  }

  @Test
  void user_pastTheMaximumAge_isSignedOutHoweverBusy() {
    String token = sessions.start(reviewer);
    for (int i = 0; i < 24; i++) {
      clock.advance(Duration.ofMinutes(29));
      sessions.user(token);
    }
    clock.advance(Duration.ofMinutes(25));
    assertEquals(Optional.empty(), sessions.user(token), "12 h after sign-in");
  }

  @Test
  void end_signsOut_andUnknownTokensNameNobody() {
    String token = sessions.start(reviewer);
    sessions.end(token);
    assertEquals(Optional.empty(), sessions.user(token));
    assertEquals(Optional.empty(), sessions.user("not-a-token"));
    assertEquals(Optional.empty(), sessions.user(null));
  }

  @Test
  void constructor_idleLongerThanMaximum_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Sessions(clock, Duration.ofHours(2), Duration.ofHours(1)));
  }

  @Test
  void basicCredentials_readsUserAndPassword_andRefusesMalformedHeaders() {
    String[] pair = SignInMechanism.basicCredentials("Basic cmV2aWV3ZXI6YTpi").orElseThrow();
    assertEquals("reviewer", pair[0]);
    assertEquals("a:b", pair[1], "only the first colon separates");
    assertTrue(SignInMechanism.basicCredentials("Bearer x").isEmpty());
    assertTrue(SignInMechanism.basicCredentials("Basic !!!").isEmpty());
    assertTrue(SignInMechanism.basicCredentials("Basic OnB3").isEmpty(), "no user name");
  }

  /**
   * The workspace's list of roles repeats the application's {@code @DeclareRoles} (an annotation
   * takes constants only, not a shared list): the two must name the same roles.
   */
  @Test
  void theWorkspaceKnowsExactlyTheRolesTheApplicationDeclares() {
    Set<String> declared =
        Set.of(
            io.arbiter.web.ArbiterApplication.class
                .getAnnotation(jakarta.annotation.security.DeclareRoles.class)
                .value());
    assertEquals(declared, Set.copyOf(SessionServlet.ROLES));
    assertEquals(SessionServlet.ROLES.size(), declared.size(), "no role listed twice");
  }
}
