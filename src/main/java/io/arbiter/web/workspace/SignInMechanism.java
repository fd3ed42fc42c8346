package io.arbiter.web.workspace;

import io.arbiter.security.SignInThrottle;
import io.arbiter.security.SignOnTokens;
import io.arbiter.security.TokenIdentity;
import io.arbiter.security.TokenTenants;
import io.arbiter.web.TransportSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.auth.message.callback.PasswordValidationCallback;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * How every request to Arbiter is authenticated, in this order:
 *
 * <ol>
 *   <li>in production mode, a request over plain HTTP is not: its credentials are left unread, and
 *       {@link TransportSecurity} redirects it to HTTPS or refuses it;
 *   <li>an {@code Authorization: Basic} header (integrators, scripts, the tests): checked, and
 *       nothing else is looked at, so an API client never depends on a cookie;
 *   <li>an {@code Authorization: Bearer} token of the configured OpenID provider (single sign-on,
 *       {@link SignOnTokens}; refused when it is off): its groups claim gives the roles, its tenant
 *       claim tenants the caller may name ({@link TokenTenants}). Liberty's own mpJwt would never
 *       see the request: an application's mechanism takes precedence over it;
 *   <li>the sign-in form's {@code POST /auth/login}: its user name and password are checked, and
 *       {@link SessionServlet} then starts a session;
 *   <li>the workspace's session cookie ({@link #COOKIE}), naming a live {@link Sessions session}.
 * </ol>
 *
 * <p>Passwords are checked by the container's own user registry (the {@code basicRegistry} of
 * {@code server.xml}, or LDAP) through the Jakarta Authentication {@link
 * PasswordValidationCallback}, and a session's user is handed back to the container by name, so the
 * registry supplies the groups, and so the roles, on every request. The application keeps no
 * password and no copy of anyone's roles.
 *
 * <p>A request without valid credentials to a protected path is answered 401 (a problem+json body
 * from the error page). The {@code WWW-Authenticate: Basic} challenge is left out for the
 * workspace's own requests (they carry {@code X-Requested-With}), so that a browser whose session
 * ended is sent back to the sign-in page rather than shown its built-in password dialog. Cross-site
 * request forgery is refused after authentication, by {@link CrossSiteFilter}.
 */
@ApplicationScoped
public class SignInMechanism implements HttpAuthenticationMechanism {

  /** The session cookie's name. */
  public static final String COOKIE = "arbiter-session";

  /** The path of the sign-in form's POST. */
  static final String LOGIN_PATH = "/auth/login";

  /** Request attribute: how this request was authenticated ({@link Via}). */
  static final String VIA = "io.arbiter.web.workspace.via";

  /** The header the workspace sends with every request it makes. */
  static final String WORKSPACE_HEADER = "X-Requested-With";

  /** How a request was authenticated. */
  enum Via {
    BASIC,
    BEARER,
    PASSWORD_FORM,
    SESSION
  }

  private static final String REALM = "arbiter";

  private static final String BEARER = "Bearer ";

  @Inject Sessions sessions;

  @Inject TransportSecurity transport;

  @Inject SignOnTokens tokens;

  @Inject SignInThrottle throttle;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
      throws AuthenticationException {
    if (transport.refuses(request)) {
      return context.doNothing(); // answered by TransportSecurity, credentials unread
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      Optional<TokenIdentity> caller =
          tokens.verify(authorization.substring(BEARER.length()).strip(), request.getRemoteAddr());
      if (caller.isPresent()) {
        request.setAttribute(VIA, Via.BEARER);
        request.setAttribute(TokenTenants.ATTRIBUTE, caller.get().tenants());
        return context.notifyContainerAboutLogin(caller.get().user(), caller.get().roles());
      }
      if (!context.isProtected()) {
        return context.doNothing(); // as a bad password there: served as to anyone, nothing granted
      }
      response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return context.responseUnauthorized();
    }
    if (authorization != null) {
      Optional<String[]> basic = basicCredentials(authorization);
      Password checked =
          basic.isEmpty()
              ? Password.WRONG
              : check(basic.get()[0], basic.get()[1], request, context);
      if (checked == Password.ACCEPTED) {
        request.setAttribute(VIA, Via.BASIC);
        return AuthenticationStatus.SUCCESS;
      }
      if (checked == Password.THROTTLED) {
        // 401 without a challenge; the error page answers 429 with Retry-After instead.
        return context.isProtected() ? context.responseUnauthorized() : context.doNothing();
      }
      return context.isProtected() ? challenge(request, response, context) : context.doNothing();
    }
    if (isLogin(request)) {
      if (request.getHeader(WORKSPACE_HEADER) == null) {
        // Not from the workspace (a form another site's page posts, say): refused by the
        // cross-site filter, and never checked or counted, or any page a person visits could
        // spend their sign-in allowance for them.
        return context.doNothing();
      }
      String user = request.getParameter("username");
      String password = request.getParameter("password");
      if (user != null
          && password != null
          && check(user, password, request, context) == Password.ACCEPTED) {
        request.setAttribute(VIA, Via.PASSWORD_FORM);
        return AuthenticationStatus.SUCCESS;
      }
      return context.doNothing(); // SessionServlet answers 401, or 429 when throttled
    }
    Optional<String> token = sessionToken(request);
    Optional<Sessions.SignedIn> who = token.flatMap(sessions::user);
    if (who.isPresent()) {
      request.setAttribute(VIA, Via.SESSION);
      // The tenants a token claimed at sign-in go on binding what the session reads and names.
      request.setAttribute(TokenTenants.ATTRIBUTE, who.get().tenants());
      return context.notifyContainerAboutLogin(who.get().user(), who.get().roles());
    }
    return context.isProtected() ? challenge(request, response, context) : context.doNothing();
  }

  static boolean isLogin(HttpServletRequest request) {
    return "POST".equals(request.getMethod()) && LOGIN_PATH.equals(pathOf(request));
  }

  /** The request's path inside the application. */
  static String pathOf(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  static Optional<String> sessionToken(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie cookie : cookies) {
      if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  /** User name and password of a well-formed {@code Basic} header. */
  static Optional<String[]> basicCredentials(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon <= 0
        ? Optional.empty()
        : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }

  private enum Password {
    ACCEPTED,
    WRONG,
    THROTTLED
  }

  /**
   * Checks a password unless {@link SignInThrottle} refuses this user and address now, in which
   * case it is not looked at and the wait is left in the request ({@link SignInThrottle#REFUSED}).
   */
  private Password check(
      String user, String password, HttpServletRequest request, HttpMessageContext context)
      throws AuthenticationException {
    SignInThrottle.Attempt attempt = throttle.attempt(user, request.getRemoteAddr());
    if (attempt.refused().isPresent()) {
      request.setAttribute(SignInThrottle.REFUSED, attempt.refused().get());
      return Password.THROTTLED;
    }
    if (registryAccepts(user, password, context)) {
      attempt.succeeded();
      return Password.ACCEPTED;
    }
    return Password.WRONG; // counted as failed when it was taken
  }

  /** Whether the container's user registry accepts the password; if so the caller is set. */
  private static boolean registryAccepts(String user, String password, HttpMessageContext context)
      throws AuthenticationException {
    var check =
        new PasswordValidationCallback(context.getClientSubject(), user, password.toCharArray());
    try {
      context.getHandler().handle(new Callback[] {check});
    } catch (IOException | UnsupportedCallbackException e) {
      throw new AuthenticationException("the user registry could not check a password", e);
    } finally {
      check.clearPassword();
    }
    return check.getResult();
  }

  private static AuthenticationStatus challenge(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    if (request.getHeader(WORKSPACE_HEADER) == null) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    }
    return context.responseUnauthorized();
  }
}
