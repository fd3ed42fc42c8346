package io.arbiter.web.workspace;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemType;
import io.arbiter.web.TransportSecurity;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cookie sessions make cross-site request forgery possible: a page of another site can make the
 * browser send a request that carries the cookie. So a request that changes anything (any method
 * but GET, HEAD and OPTIONS) and that was authenticated by the session cookie, or that signs in, is
 * refused ({@code 403 cross-site-request}) unless it carries both proofs that it came from the
 * workspace itself:
 *
 * <ul>
 *   <li>the {@code X-Requested-With} header, which a page of another origin cannot add without a
 *       CORS preflight that Arbiter never grants;
 *   <li>an {@code Origin} equal to Arbiter's own ({@code arbiter.web.origin}, else the scheme and
 *       {@code Host} of the request), and no {@code Sec-Fetch-Site} other than {@code same-origin}.
 * </ul>
 *
 * The cookie is also {@code SameSite=Strict}; these checks do not rely on it.
 *
 * <p>A change authenticated otherwise (HTTP Basic, or a bearer token) is refused only when a
 * browser says it comes from another site: an {@code Origin} other than Arbiter's own, or a {@code
 * Sec-Fetch-Site} of {@code cross-site} or {@code same-site}. A browser adds Basic credentials the
 * user once typed into its dialog for Arbiter (which an anonymous API call prompts) to any request
 * to Arbiter, another site's forms included, and it always sends {@code Origin} with a cross-origin
 * POST; clients that are not browsers send neither header, and are not affected. Nor may such a
 * change come as a form ({@link #FORM_TYPES}: {@code 415}), whatever the headers say, so that a
 * form of another site is refused by an old browser too; {@code /sparql}'s form is a query, not a
 * change.
 *
 * <p>Every response of the workspace's pages also gets a Content-Security-Policy that allows
 * scripts, styles and connections to this origin only, and forbids framing.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class CrossSiteFilter extends HttpFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  /**
   * The content types an HTML form of another site can send, with the credentials a browser cached
   * and without a CORS preflight; a change sent with one is refused even when the browser sends no
   * {@code Origin} (browsers before 2020 left it off form posts). {@code /sparql} reads queries as
   * forms, as the SPARQL protocol says, and changes nothing.
   */
  static final List<String> FORM_TYPES =
      List.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  @Inject TransportSecurity transport;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = SignInMechanism.pathOf(request);
    if (path.equals("/ui") || path.startsWith("/ui/")) {
      // The other security headers are web.SecurityHeaders', on every response.
      response.setHeader("Content-Security-Policy", CSP);
    }
    boolean byCookie =
        request.getAttribute(SignInMechanism.VIA) == SignInMechanism.Via.SESSION
            || SignInMechanism.isLogin(request)
            || path.equals("/auth/logout");
    // Plain HTTP in production is answered by web.SecurityHeaders, whichever filter runs first.
    if (!SAFE.contains(request.getMethod()) && !transport.refuses(request)) {
      Optional<FieldError> fault = byCookie ? fault(request) : fromAnotherSite(request);
      Object via = request.getAttribute(SignInMechanism.VIA);
      boolean byCredentials = via == SignInMechanism.Via.BASIC || via == SignInMechanism.Via.BEARER;
      if (fault.isEmpty() && byCredentials && isForm(request) && !path.equals("/sparql")) {
        SessionServlet.problem(
            request,
            response,
            ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "A change is sent as JSON (or YAML, for a policy version) or without a body, never as"
                + " a form.",
            List.of(
                new FieldError(
                    "Content-Type",
                    "must not be " + String.join(", ", FORM_TYPES) + ": a form's type")));
        return;
      }
      if (fault.isPresent()) {
        SessionServlet.problem(
            request,
            response,
            ProblemType.CROSS_SITE,
            byCookie
                ? "This change was authenticated by the session cookie but not sent by the"
                    + " workspace."
                : "A browser sent this change from another site.",
            List.of(fault.get()));
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private static boolean isForm(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    int parameters = type.indexOf(';');
    String media = (parameters < 0 ? type : type.substring(0, parameters)).strip();
    return FORM_TYPES.stream().anyMatch(media::equalsIgnoreCase);
  }

  /** Why the request cannot be from the workspace; empty when it carries both proofs. */
  private Optional<FieldError> fault(HttpServletRequest request) {
    if (request.getHeader(SignInMechanism.WORKSPACE_HEADER) == null) {
      return Optional.of(new FieldError(SignInMechanism.WORKSPACE_HEADER, "is required"));
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin")) {
      return Optional.of(new FieldError("Sec-Fetch-Site", "must be same-origin"));
    }
    String origin = request.getHeader("Origin");
    if (origin == null || !origin.equalsIgnoreCase(ownOrigin(request))) {
      return Optional.of(new FieldError("Origin", "must be this server's origin"));
    }
    return Optional.empty();
  }

  /** Why a browser's request comes from another site; empty when nothing says so. */
  private Optional<FieldError> fromAnotherSite(HttpServletRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && (site.equals("cross-site") || site.equals("same-site"))) {
      return Optional.of(new FieldError("Sec-Fetch-Site", "must be same-origin or none"));
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !origin.equalsIgnoreCase(ownOrigin(request))) {
      return Optional.of(new FieldError("Origin", "must be this server's origin"));
    }
    return Optional.empty();
  }

  /**
   * {@code arbiter.web.origin} when configured, else the origin the request was addressed to, from
   * its scheme, server name and port (not the Host header, which an HTTP/2 request does not have; a
   * default port is left out, as browsers leave it out of {@code Origin}).
   */
  private String ownOrigin(HttpServletRequest request) {
    return configuredOrigin
        .map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o)
        .orElseGet(
            () -> {
              String scheme = request.getScheme();
              int port = request.getServerPort();
              boolean defaultPort =
                  port <= 0
                      || port == 80 && scheme.equals("http")
                      || port == 443 && scheme.equals("https");
              String host = request.getServerName();
              if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                host = "[" + host + "]"; // an IPv6 literal, as an origin writes it
              }
              return scheme + "://" + host + (defaultPort ? "" : ":" + port);
            });
  }
}
