package io.arbiter.web.workspace;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemType;
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
 * The cookie is also {@code SameSite=Strict}; these checks do not rely on it. Requests with HTTP
 * Basic credentials are not affected: a browser never adds those to another site's request unless
 * the user typed them into its dialog for Arbiter, which the workspace never triggers.
 *
 * <p>Every response of the workspace's pages also gets a Content-Security-Policy that allows
 * scripts, styles and connections to this origin only, and forbids framing.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class CrossSiteFilter extends HttpFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = SignInMechanism.pathOf(request);
    if (path.equals("/ui") || path.startsWith("/ui/")) {
      response.setHeader("Content-Security-Policy", CSP);
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Referrer-Policy", "same-origin");
    }
    boolean byCookie =
        request.getAttribute(SignInMechanism.VIA) == SignInMechanism.Via.SESSION
            || SignInMechanism.isLogin(request)
            || path.equals("/auth/logout");
    if (byCookie && !SAFE.contains(request.getMethod())) {
      Optional<FieldError> fault = fault(request);
      if (fault.isPresent()) {
        SessionServlet.problem(
            request,
            response,
            ProblemType.CROSS_SITE,
            "This change was authenticated by the session cookie but not sent by the workspace.",
            List.of(fault.get()));
        return;
      }
    }
    chain.doFilter(request, response);
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

  private String ownOrigin(HttpServletRequest request) {
    return configuredOrigin
        .map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o)
        .orElseGet(() -> request.getScheme() + "://" + request.getHeader("Host"));
  }
}
