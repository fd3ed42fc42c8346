package io.arbiter.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The security headers of every response of the application, set before anything else writes:
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}: a JSON or RDF answer holding text a caller sent is
 *       never run as a script or style;
 *   <li>{@code Referrer-Policy: same-origin}: no Arbiter URL (ids in paths) leaks to other sites;
 *   <li>framing refused ({@code X-Frame-Options: DENY} and CSP {@code frame-ancestors 'none'});
 *   <li>outside the workspace's pages, whose policy {@code workspace.CrossSiteFilter} sets, a CSP
 *       that lets a response load and run nothing ({@code default-src 'none'}): the API answers
 *       data only;
 *   <li>over HTTPS, {@code Strict-Transport-Security} for a year, so that a browser never sends
 *       credentials to this host in clear text again.
 * </ul>
 *
 * <p>In production, nothing is served over plain HTTP: {@link TransportSecurity} answers instead.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

  @Inject TransportSecurity transport;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "same-origin");
    response.setHeader("X-Frame-Options", "DENY");
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!(path.equals("/ui") || path.startsWith("/ui/"))) {
      response.setHeader("Content-Security-Policy", API_CSP);
    }
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", "max-age=31536000");
    }
    if (transport.refuses(request)) {
      transport.answer(request, response, request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }
}
