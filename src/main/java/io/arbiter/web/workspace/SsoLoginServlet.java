package io.arbiter.web.workspace;

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
 * </ul>
 *
 * The flow cookie is {@code SameSite=Lax}, not Strict, because the callback is a navigation from
 * the provider's site, which a Strict cookie would not accompany; it is good for one callback only.
 * The session cookie is the password form's (HttpOnly, SameSite=Strict, Secure over HTTPS).
 */
@WebServlet(urlPatterns = {SsoLoginServlet.START, SsoLoginServlet.CALLBACK})
public class SsoLoginServlet extends HttpServlet {

  static final String START = "/auth/sso";
  static final String CALLBACK = "/auth/sso/callback";
  static final String FLOW_COOKIE = "arbiter-sso-flow";

  @Inject SignOnTokens tokens;

  @Inject Sessions sessions;

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<OidcLogin> login = tokens.browser();
    if (login.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    // As the browser reaches us (a proxy in front: arbiter.web.origin); the provider sends it back
    // only to a redirect URI registered for the client, so a forged Host header leads nowhere.
    String origin =
        configuredOrigin
            .map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o)
            .orElseGet(
                // Not the Host header: an HTTP/2 request has none (its :authority gives these).
                () ->
                    request.getScheme()
                        + "://"
                        + request.getServerName()
                        + ":"
                        + request.getServerPort());
    URI callback = URI.create(origin + request.getContextPath() + CALLBACK);
    if (CALLBACK.equals(SignInMechanism.pathOf(request))) {
      callback(request, response, login.get());
      return;
    }
    Optional<OidcLogin.Start> start = login.get().start(callback);
    if (start.isEmpty()) {
      SessionServlet.problem(
          request,
          response,
          ProblemType.NOT_READY,
          "Sign-in through the identity provider is not available now; try again later.",
          List.of());
      return;
    }
    flowCookie(request, response, start.get().flowId(), OidcLogin.FLOW_LIFETIME);
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(start.get().authorization().toString());
  }

  private void callback(HttpServletRequest request, HttpServletResponse response, OidcLogin login)
      throws IOException {
    String flow = flowId(request);
    String state = request.getParameter("state");
    String code = request.getParameter("code");
    flowCookie(request, response, "", Duration.ZERO);
    Optional<TokenIdentity> who =
        flow == null || state == null || code == null
            ? Optional.empty()
            : login.finish(flow, state, code);
    if (who.isEmpty()) {
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
    String token =
        sessions.start(
            new Sessions.SignedIn(who.get().user(), who.get().roles(), who.get().tenants()));
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
