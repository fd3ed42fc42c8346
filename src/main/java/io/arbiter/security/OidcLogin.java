package io.arbiter.security;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.jose4j.jwt.JwtClaims;

/**
 * Browser sign-in through the OpenID provider: the authorization code flow with PKCE, a state and a
 * nonce (OpenID Connect Core 3.1). {@link #start} remembers a flow under a random id, which the
 * browser keeps in a cookie, and names the provider's login page to send it to; {@link #finish}
 * takes the code the provider sends back, only for the flow of that browser and that state, once,
 * within {@link #FLOW_LIFETIME}, exchanges it at the token endpoint (authenticated with the client
 * secret) and accepts the ID token only if it is the provider's, for this client, unexpired, and
 * carries the flow's nonce. The provider's endpoints come from its discovery document, read when
 * first needed; with its {@code end_session_endpoint}, {@link #endSession} signs the person out of
 * the provider as well.
 */
public final class OidcLogin {

  private static final Logger LOG = Logger.getLogger(OidcLogin.class.getName());

  /** How long a started sign-in may take at the provider. */
  public static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The default of {@code arbiter.sso.max-pending-flows}: most sign-ins under way at once. */
  public static final int MAX_FLOWS = 10_000;

  /**
   * The default of {@code arbiter.sso.max-pending-flows-per-address}: most sign-ins under way from
   * one client address (an IPv6 /64). Room for the people behind one office's NAT signing in at the
   * same few minutes; a client alone needs a hundred addresses to fill the table.
   */
  public static final int MAX_FLOWS_PER_ADDRESS = 100;

  /** What {@link #start} gives: where to send the browser, or why not now. */
  public sealed interface Started permits Start, Unavailable {}

  /** Where the browser goes, and the flow id to keep in its cookie. */
  public record Start(String flowId, URI authorization) implements Started {}

  /**
   * No sign-in can start now.
   *
   * @param full whether {@code arbiter.sso.max-pending-flows} sign-ins are under way, or {@code
   *     arbiter.sso.max-pending-flows-per-address} from the caller's address (else the provider's
   *     discovery document could not be read)
   * @param retryAfter when to try again
   */
  public record Unavailable(boolean full, Duration retryAfter) implements Started {}

  /**
   * A finished sign-in: who the provider signed in, and the ID token it issued for that, kept with
   * the session as the {@code id_token_hint} of the provider's sign-out.
   */
  public record SignedOn(TokenIdentity who, String idToken) {}

  private record Flow(String state, String nonce, String verifier, URI redirect) {}

  /** The provider's endpoints; {@code endSession} only if it offers RP-Initiated Logout. */
  private record Endpoints(URI authorization, URI token, Optional<URI> endSession) {}

  private final SsoSettings settings;
  private final String clientId;
  private final String clientSecret;
  private final BearerTokens idTokens;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PendingFlows<Flow> flows;
  private final Clock clock;
  private final AtomicLong refusedUnlogged = new AtomicLong();
  private final AtomicReference<Instant> refusalLogged = new AtomicReference<>(Instant.MIN);
  private volatile Endpoints endpoints;

  /**
   * @param tokens the API's verifier, whose provider and keys check the ID tokens too
   * @param maxPendingFlows most sign-ins under way at once ({@link PendingFlows})
   * @param maxPendingFlowsPerAddress most of them from one client address
   */
  public OidcLogin(
      SsoSettings settings,
      String clientId,
      String clientSecret,
      BearerTokens tokens,
      int maxPendingFlows,
      int maxPendingFlowsPerAddress,
      Clock clock) {
    this.flows =
        new PendingFlows<>(maxPendingFlows, maxPendingFlowsPerAddress, FLOW_LIFETIME, clock);
    this.clock = clock;
    this.settings = settings;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.idTokens = tokens.forAudience(clientId);
  }

  /**
   * A new sign-in, returning to {@code redirect} (Arbiter's callback as the browser reaches it),
   * for a browser at {@code address}.
   *
   * @return the provider's login page to send the browser to, or {@link Unavailable} when the
   *     provider's endpoints cannot be learnt or too many sign-ins are under way
   */
  public Started start(URI redirect, String address) {
    Optional<Endpoints> at = endpoints();
    if (at.isEmpty()) {
      return new Unavailable(false, Duration.ofSeconds(30));
    }
    Flow flow = new Flow(random(), random(), random(), redirect);
    String id = random();
    Optional<Duration> refused = flows.add(id, address, flow);
    if (refused.isPresent()) {
      logRefusal();
      return new Unavailable(true, refused.get());
    }
    String query =
        "response_type=code&scope=openid%20profile&client_id="
            + encode(clientId)
            + "&redirect_uri="
            + encode(redirect.toString())
            + "&state="
            + flow.state()
            + "&nonce="
            + flow.nonce()
            + "&code_challenge="
            + challenge(flow.verifier())
            + "&code_challenge_method=S256";
    return new Start(id, withQuery(at.get().authorization(), query));
  }

  /**
   * The person the provider signed in, or empty when the callback is not the answer to this
   * browser's flow, or the code or the ID token does not hold.
   *
   * @param client the callback request's remote address, which a refusal's log line names
   */
  public Optional<SignedOn> finish(String flowId, String state, String code, String client) {
    Optional<Flow> taken = flows.take(flowId); // once only, whatever happens next
    if (taken.isEmpty()
        || !MessageDigest.isEqual(
            taken.get().state().getBytes(StandardCharsets.US_ASCII),
            state.getBytes(StandardCharsets.US_ASCII))) {
      LOG.info(
          () ->
              "An OpenID sign-in from "
                  + client
                  + " was refused: no such flow, another state, or too late");
      return Optional.empty();
    }
    Flow flow = taken.get();
    String from = "the sign-in from " + client + " (an ID token)";
    Optional<String> idToken = exchange(flow, code);
    return idToken.flatMap(
        token ->
            idTokens
                .claims(token, from)
                .filter(claims -> nonceMatches(claims, flow, from))
                .flatMap(claims -> idTokens.identity(claims, from))
                .map(who -> new SignedOn(who, token)));
  }

  private static boolean nonceMatches(JwtClaims claims, Flow flow, String from) {
    if (nonceOf(claims).equals(Optional.of(flow.nonce()))) {
      return true;
    }
    LOG.info(() -> "A bearer token from " + from + " was refused: another nonce");
    return false;
  }

  /**
   * Where to send a browser whose Arbiter session has just ended so that the provider ends its own
   * session too (OpenID Connect RP-Initiated Logout 1.0, section 2), returning it to {@code
   * afterwards} (which must be registered with the provider as a post-logout redirect URI); empty
   * when the provider's discovery document names no {@code end_session_endpoint}.
   *
   * @param idToken the ID token the sign-in was finished with: the provider learns from it whose
   *     session to end and for which client
   */
  public Optional<URI> endSession(String idToken, URI afterwards) {
    return endpoints()
        .flatMap(Endpoints::endSession)
        .map(
            at ->
                withQuery(
                    at,
                    "id_token_hint="
                        + encode(idToken)
                        + "&client_id="
                        + encode(clientId)
                        + "&post_logout_redirect_uri="
                        + encode(afterwards.toString())));
  }

  private static URI withQuery(URI endpoint, String query) {
    String base = endpoint.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + query);
  }

  private Optional<String> exchange(Flow flow, String code) {
    String form =
        "grant_type=authorization_code&code="
            + encode(code)
            + "&redirect_uri="
            + encode(flow.redirect().toString())
            + "&code_verifier="
            + flow.verifier();
    String credentials =
        Base64.getEncoder()
            .encodeToString(
                (encode(clientId) + ":" + encode(clientSecret)).getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(endpoints.token())
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Authorization", "Basic " + credentials)
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        LOG.info(() -> "The token endpoint refused a code: HTTP " + reply.statusCode());
        return Optional.empty();
      }
      JsonObject tokens = json(reply.body());
      return Optional.ofNullable(tokens.getString("id_token", null));
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "The token endpoint could not be asked: " + e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<Endpoints> endpoints() {
    if (endpoints != null) {
      return Optional.of(endpoints);
    }
    URI discovery = URI.create(settings.issuer() + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonObject document = json(reply.body());
      if (reply.statusCode() != 200 || !settings.issuer().equals(document.getString("issuer"))) {
        LOG.warning(() -> discovery + " is not the issuer's discovery document");
        return Optional.empty();
      }
      endpoints =
          new Endpoints(
              URI.create(document.getString("authorization_endpoint")),
              URI.create(document.getString("token_endpoint")),
              Optional.ofNullable(document.getString("end_session_endpoint", null))
                  .map(URI::create));
      return Optional.of(endpoints);
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "The OpenID provider's discovery document could not be read: " + e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> nonceOf(JwtClaims claims) {
    return claims.getClaimValue("nonce") instanceof String nonce
        ? Optional.of(nonce)
        : Optional.empty();
  }

  private static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  /** A flow's id, state, nonce or PKCE verifier: 256 random bits. */
  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** RFC 7636: BASE64URL(SHA-256(verifier)). */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Whoever floods {@code /auth/sso} would flood the log as well: a line a minute at most, with the
   * number of refusals since the last.
   */
  private void logRefusal() {
    long refused = refusedUnlogged.incrementAndGet();
    Instant now = clock.instant();
    Instant last = refusalLogged.get();
    if (now.isBefore(last.plus(Duration.ofMinutes(1))) || !refusalLogged.compareAndSet(last, now)) {
      return;
    }
    refusedUnlogged.addAndGet(-refused);
    LOG.warning(
        refused
            + " single sign-on(s) refused: arbiter.sso.max-pending-flows sign-ins are under way, or"
            + " arbiter.sso.max-pending-flows-per-address from one address");
  }
}
