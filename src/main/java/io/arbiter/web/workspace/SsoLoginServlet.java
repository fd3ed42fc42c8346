package io.arbiter.web.workspace;

import io.arbiter.event.Jsonp;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.OidcLogin;
import io.arbiter.security.SignOnTokens;
import io.arbiter.security.TokenIdentity;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The workspace's sign-in through the OpenID provider (single sign-on, when {@code
 * arbiter.sso.client-id} is set; 404 otherwise):
 *
 * <ul>
 *   <li>{@code GET /auth/sso}: starts a flow ({@link OidcLogin}), keeps its id in a cookie and
 *       sends the browser to the provider's login page;
 *   <li>{@code GET /auth/sso/callback}: where the provider sends the browser back with a code; for
 *       this browser's flow and state it starts a workspace session, as the password form does, and
 *       sends the browser to the workspace. Anything else is 401 problem+json.
 *   <li>{@code GET /auth/sso/provider}: the provider's name ({@code arbiter.sso.provider-name}) and
 *       where sign-in starts, for the sign-in page's "Sign in with ..." link.
 * </ul>
 *
 * When too many sign-ins are under way ({@code arbiter.sso.max-pending-flows}, or {@code
 * arbiter.sso.max-pending-flows-per-address} from the caller's address) {@code /auth/sso} answers
 * 503 {@code server-busy} with {@code Retry-After}; when the provider's discovery document cannot
 * be read, 503 {@code not-ready}.
 *
 * <p>The flow cookie is {@code SameSite=Lax}, not Strict, because the callback is a navigation from
 * the provider's site, which a Strict cookie would not accompany; it is good for one callback only.
 * The session cookie is the password form's (HttpOnly, SameSite=Strict, Secure over HTTPS).
 */
@WebServlet(
    urlPatterns = {SsoLoginServlet.START, SsoLoginServlet.CALLBACK, SsoLoginServlet.PROVIDER})
public class SsoLoginServlet extends HttpServlet {

  static final String START = "/auth/sso";
  static final String CALLBACK = "/auth/sso/callback";
  static final String PROVIDER = "/auth/sso/provider";
  static final String FLOW_COOKIE = "arbiter-sso-flow";

  @Inject SignOnTokens tokens;

  @Inject Sessions sessions;

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  @Inject
  @ConfigProperty(name = "arbiter.sso.provider-name")
  String providerName;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<OidcLogin> login = tokens.browser();
    if (login.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    String path = SignInMechanism.pathOf(request);
    if (PROVIDER.equals(path)) {
      provider(request, response);
      return;
    }
    URI callback = ownUrl(request, configuredOrigin, CALLBACK);
    if (CALLBACK.equals(path)) {
      callback(request, response, login.get());
      return;
    }
    OidcLogin.Started started = login.get().start(callback, request.getRemoteAddr());
    if (started instanceof OidcLogin.Unavailable no) {
      response.setHeader("Retry-After", Long.toString(no.retryAfter().toSeconds()));
      SessionServlet.problem(
          request,
          response,
          no.full() ? ProblemType.SERVER_BUSY : ProblemType.NOT_READY,
          no.full()
              ? "Too many sign-ins through the identity provider are under way; try again later."
              : "Sign-in through the identity provider is not available now; try again later.",
          List.of());
      return;
    }
    OidcLogin.Start start = (OidcLogin.Start) started;
    flowCookie(request, response, start.flowId(), OidcLogin.FLOW_LIFETIME);
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(start.authorization().toString());
  }

  /**
   * {@code path} of this application as the browser reaches it: {@code arbiter.web.origin} when a
   * proxy in front changes the origin, else the request's scheme, server name and port. Not the
   * Host header: an HTTP/2 request has none (its :authority gives these). The provider sends a
   * browser only to URIs registered for the client, so a forged host leads nowhere.
   */
  static URI ownUrl(HttpServletRequest request, Optional<String> configuredOrigin, String path) {
    String origin =
        configuredOrigin
            .map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o)
            .orElseGet(
                () ->
                    request.getScheme()
                        + "://"
                        + request.getServerName()
                        + ":"
                        + request.getServerPort());
    return URI.create(origin + request.getContextPath() + path);
  }

  private void provider(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            Jsonp.PROVIDER
                .createObjectBuilder()
                .add("name", providerName)
                .add("start", request.getContextPath() + START)
                .build()
                .toString());
  }

  private void callback(HttpServletRequest request, HttpServletResponse response, OidcLogin login)
      throws IOException {
    String flow = flowId(request);
    String state = request.getParameter("state");
    String code = request.getParameter("code");
    flowCookie(request, response, "", Duration.ZERO);
    Optional<OidcLogin.SignedOn> signedOn =
        flow == null || state == null || code == null
            ? Optional.empty()
            : login.finish(flow, state, code, request.getRemoteAddr());
    if (signedOn.isEmpty()) {
      SessionServlet.problem(
          request,
          response,
          ProblemType.UNAUTHORIZED,
          "The sign-in through the identity provider did not complete; start it again.",
          List.of());
      return;
    }
    // A new session at every sign-in, as with the password form (no session fixation).
    SignInMechanism.sessionToken(request).ifPresent(sessions::end);
    TokenIdentity who = signedOn.get().who();
    String token =
        sessions.start(
            new Sessions.SignedIn(
                who.user(), who.roles(), who.tenants(), Optional.of(signedOn.get().idToken())));
    SessionServlet.sessionCookie(request, response, token, sessions.maxAge());
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(request.getContextPath() + "/ui/");
  }

  private static String flowId(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie cookie : cookies) {
        if (FLOW_COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
          return cookie.getValue();
        }
      }
    }
    return null;
  }

  private static void flowCookie(
      HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
    response.addHeader(
        "Set-Cookie",
        FLOW_COOKIE
            + "="
            + value
            + "; Path="
            + request.getContextPath()
            + START
            + "; Max-Age="
            + maxAge.toSeconds()
            + "; HttpOnly; SameSite=Lax"
            + (request.isSecure() ? "; Secure" : ""));
  }
}
