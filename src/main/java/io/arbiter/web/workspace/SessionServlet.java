package io.arbiter.web.workspace;

import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.Roles;
import io.arbiter.security.SignInThrottle;
import io.arbiter.security.SignOnTokens;
import io.arbiter.web.ErrorPageServlet;
import io.arbiter.web.Problems;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The workspace's sign-in endpoints, outside {@code /api} because they are about the browser's
 * session, not about Arbiter's resources (an API client authenticates every request with Basic):
 *
 * <ul>
 *   <li>{@code POST /auth/login} (form fields {@code username}, {@code password}): starts a session
 *       and sets its cookie; 401 problem+json naming {@code password} when the registry refuses;
 *   <li>{@code POST /auth/logout}: ends the session and clears the cookie; 204, or for a session
 *       started through an OpenID provider that offers RP-Initiated Logout, 200 with {@code
 *       {"endSession": url}}, the provider's end-session endpoint with the session's ID token as
 *       {@code id_token_hint}, where the workspace then sends the browser so that the provider's
 *       session ends too and the browser comes back to {@code /ui/};
 *   <li>{@code GET /auth/me}: who the caller is and which of Arbiter's roles they hold, so that the
 *       workspace shows each person only their own pages (the API refuses the rest anyway).
 * </ul>
 *
 * Both POSTs pass {@link CrossSiteFilter} first, so another site can neither sign a browser in
 * (login CSRF) nor out.
 */
@WebServlet(urlPatterns = {"/auth/login", "/auth/logout", "/auth/me"})
public class SessionServlet extends HttpServlet {

  /** Arbiter's roles, in the order the workspace lists them. */
  static final List<String> ROLES =
      List.of(
          Roles.REVIEWER,
          Roles.LEAD_REVIEWER,
          Roles.AUDITOR,
          Roles.POLICY_AUTHOR,
          Roles.POLICY_APPROVER,
          Roles.DATA_STEWARD,
          Roles.INTEGRATOR,
          Roles.ADMIN);

  @Inject Sessions sessions;

  @Inject SignOnTokens tokens;

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    switch (SignInMechanism.pathOf(request)) {
      case "/auth/login" -> login(request, response);
      case "/auth/logout" -> logout(request, response);
      default -> response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"/auth/me".equals(SignInMechanism.pathOf(request))) {
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    if (request.getUserPrincipal() == null) {
      problem(request, response, ProblemType.UNAUTHORIZED, "Nobody is signed in.", List.of());
      return;
    }
    me(request, response);
  }

  private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Principal user = request.getUserPrincipal();
    if (request.getAttribute(SignInThrottle.REFUSED) instanceof Duration wait) {
      ErrorPageServlet.signInThrottled(request, response, request.getRequestURI(), wait);
      return;
    }
    if (user == null
        || request.getAttribute(SignInMechanism.VIA) != SignInMechanism.Via.PASSWORD_FORM) {
      problem(
          request,
          response,
          ProblemType.UNAUTHORIZED,
          "The user name or the password is wrong.",
          List.of(new FieldError("password", "does not match the user name")));
      return;
    }
    // A new token at every sign-in: a token planted before it (session fixation) is worth nothing.
    SignInMechanism.sessionToken(request).ifPresent(sessions::end);
    Set<String> roles =
        ROLES.stream().filter(request::isUserInRole).collect(Collectors.toUnmodifiableSet());
    sessionCookie(
        request,
        response,
        sessions.start(new Sessions.SignedIn(user.getName(), roles)),
        sessions.maxAge());
    me(request, response);
  }

  private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // Arbiter's own session ends first, whatever the provider then does or fails to do.
    Optional<Sessions.SignedIn> ended =
        SignInMechanism.sessionToken(request).flatMap(sessions::end);
    sessionCookie(request, response, "", Duration.ZERO);
    Optional<URI> endSession =
        ended
            .flatMap(Sessions.SignedIn::idToken)
            .flatMap(
                idToken ->
                    tokens
                        .browser()
                        .flatMap(
                            login ->
                                login.endSession(
                                    idToken,
                                    SsoLoginServlet.ownUrl(request, configuredOrigin, "/ui/"))));
    if (endSession.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    json(
        response,
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("endSession", endSession.get().toString())
            .build());
  }

  /** A JSON answer about the caller's session: never cached. */
  private static void json(HttpServletResponse response, jakarta.json.JsonObject body)
      throws IOException {
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(body.toString());
  }

  private static void me(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    JsonArrayBuilder roles = Jsonp.PROVIDER.createArrayBuilder();
    ROLES.stream().filter(request::isUserInRole).forEach(roles::add);
    json(
        response,
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("user", request.getUserPrincipal().getName())
            .add("roles", roles)
            .build());
  }

  /**
   * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
   * it), Path=/ and, when the request came over HTTPS, Secure.
   */
  static void sessionCookie(
      HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
    StringBuilder cookie =
        new StringBuilder(SignInMechanism.COOKIE)
            .append('=')
            .append(value)
            .append("; Path=/; Max-Age=")
            .append(maxAge.toSeconds())
            .append("; HttpOnly; SameSite=Strict");
    if (request.isSecure()) {
      cookie.append("; Secure");
    }
    response.addHeader("Set-Cookie", cookie.toString());
  }

  static void problem(
      HttpServletRequest request,
      HttpServletResponse response,
      ProblemType type,
      String detail,
      List<FieldError> errors)
      throws IOException {
    response.setStatus(type.status());
    response.setContentType(Problems.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(Problems.json(type, detail, errors, request.getRequestURI(), Problems.newTraceId()));
  }
}
