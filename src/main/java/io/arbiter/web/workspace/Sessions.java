package io.arbiter.web.workspace;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The workspace's sign-in sessions: an unguessable token (256 random bits, the cookie's value) to
 * the user it was issued to and the roles the user registry gave them at sign-in (no password is
 * kept). A role taken away in the registry applies at the next sign-in; ending a session, or
 * waiting for it to expire, is how it applies sooner. A session ends when it has been idle for
 * {@code arbiter.web.session-idle}, {@code arbiter.web.session-max} after sign-in, or on sign-out.
 * Sessions live in memory: a restart signs everyone out, which is the safe direction.
 */
@ApplicationScoped
public class Sessions {

  /** At most this many live sessions; past it the oldest are dropped (a bound, not a feature). */
  static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private Clock clock;
  private Duration idle;
  private Duration max;

  /** A signed-in user's session. */
  record Session(SignedIn who, Instant started, Instant lastSeen) {}

  /**
   * Who a session is for: the user, the roles they held at sign-in, the tenants their single
   * sign-on token claimed (none for a password sign-in), and the ID token of a single sign-on, kept
   * only to name the session to the provider at sign-out: it goes to the browser then, in the
   * provider's end-session address ({@code id_token_hint}), which is why its audience, the client
   * id, may not be the API's (SecurityWiring refuses that).
   */
  public record SignedIn(
      String user,
      java.util.Set<String> roles,
      java.util.Set<String> tenants,
      Optional<String> idToken) {
    public SignedIn {
      roles = java.util.Set.copyOf(roles);
      tenants = java.util.Set.copyOf(tenants);
    }

    public SignedIn(String user, java.util.Set<String> roles) {
      this(user, roles, java.util.Set.of(), Optional.empty());
    }
  }

  protected Sessions() {}

  @Inject
  public Sessions(
      Clock clock,
      @ConfigProperty(name = "arbiter.web.session-idle") Duration idle,
      @ConfigProperty(name = "arbiter.web.session-max") Duration max) {
    if (idle.isNegative() || idle.isZero() || max.compareTo(idle) < 0) {
      throw new IllegalArgumentException(
          "arbiter.web.session-idle must be positive and at most arbiter.web.session-max");
    }
    this.clock = clock;
    this.idle = idle;
    this.max = max;
  }

  /** Starts a session for {@code who}; returns its token. */
  public String start(SignedIn who) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().removeIf(e -> !live(e.getValue(), now));
      while (sessions.size() >= MAX_SESSIONS) {
        sessions.entrySet().stream()
            .min(java.util.Comparator.comparing(e -> e.getValue().lastSeen()))
            .ifPresent(e -> sessions.remove(e.getKey()));
      }
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(token, new Session(who, now, now));
    return token;
  }

  /** Who holds a live session, which this call keeps alive; empty for anything else. */
  public Optional<SignedIn> user(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Session touched =
        sessions.computeIfPresent(
            token, (t, s) -> live(s, now) ? new Session(s.who(), s.started(), now) : null);
    return Optional.ofNullable(touched).map(Session::who);
  }

  /** Ends a session (sign-out); returns whom it was for, empty for unknown tokens. */
  public Optional<SignedIn> end(String token) {
    return Optional.ofNullable(token == null ? null : sessions.remove(token)).map(Session::who);
  }

  /** How long an idle session lasts: the cookie's Max-Age. */
  public Duration maxAge() {
    return max;
  }

  private boolean live(Session s, Instant now) {
    return now.isBefore(s.lastSeen().plus(idle)) && now.isBefore(s.started().plus(max));
  }
}
