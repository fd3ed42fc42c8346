package io.arbiter.web;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.DeploymentMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Production takes credentials over HTTPS only. A request over plain HTTP is not authenticated at
 * all (the sign-in mechanism leaves its credentials unread, and a session cookie is {@code Secure},
 * so a browser would not send it); it is answered here, by {@link SecurityHeaders} before any
 * servlet, or by the error page when the container refused it for want of a login:
 *
 * <ul>
 *   <li>a page read without credentials ({@code GET} or {@code HEAD}) is redirected to HTTPS
 *       ({@code 308}), where {@code Strict-Transport-Security} keeps the browser from then on;
 *   <li>anything else is refused {@code 403 https-required}, naming where to go, so a client that
 *       sends credentials in clear text learns it at its first request rather than working until
 *       someone listens.
 * </ul>
 *
 * The demo ({@code arbiter.mode=demo}) takes plain HTTP. Behind a proxy that ends TLS, Liberty must
 * be told the original scheme (docs/configuration.md#production-mode).
 */
@ApplicationScoped
public class TransportSecurity {

  @Inject DeploymentMode mode;

  @Inject
  @ConfigProperty(name = "arbiter.web.origin")
  Optional<String> configuredOrigin;

  /** The HTTPS port ({@code server.xml}'s {@code https.port}); 443 is left out of URLs. */
  @Inject
  @ConfigProperty(name = "https.port", defaultValue = "443")
  int httpsPort;

  /** Whether this request may not be served: production, and not over HTTPS. */
  public boolean refuses(HttpServletRequest request) {
    return mode == DeploymentMode.PRODUCTION && !request.isSecure();
  }

  /** Answers a request {@link #refuses refused}: a redirect or {@code https-required}. */
  public void answer(HttpServletRequest request, HttpServletResponse response, String uri)
      throws IOException {
    String method = request.getMethod();
    String origin = httpsOrigin(request);
    if (("GET".equals(method) || "HEAD".equals(method))
        && request.getHeader("Authorization") == null) {
      String query = request.getQueryString();
      response.setStatus(308);
      response.setHeader("Location", origin + uri + (query == null ? "" : "?" + query));
      return;
    }
    response.setStatus(ProblemType.HTTPS_REQUIRED.status());
    response.setContentType(Problems.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            Problems.json(
                ProblemType.HTTPS_REQUIRED,
                "This server takes credentials over HTTPS only: send the request to "
                    + origin
                    + ".",
                List.of(new FieldError("scheme", "must be https")),
                uri,
                Problems.newTraceId()));
  }

  /** {@code arbiter.web.origin} when it is https; else this host on the server's HTTPS port. */
  private String httpsOrigin(HttpServletRequest request) {
    return configuredOrigin
        .filter(origin -> origin.startsWith("https://"))
        .orElseGet(
            () -> {
              String host = request.getServerName();
              return "https://"
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + (httpsPort == 443 ? "" : ":" + httpsPort);
            });
  }
}
