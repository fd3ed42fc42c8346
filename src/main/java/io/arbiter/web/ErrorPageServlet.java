package io.arbiter.web;

import io.arbiter.problem.ProblemType;
import io.arbiter.security.SignInThrottle;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's error page (see {@code web.xml}): errors raised before a request reaches JAX-RS,
 * such as a failed or missing login, still get a problem+json body. The container keeps its own
 * headers, so a 401 still carries {@code WWW-Authenticate}.
 */
@WebServlet(urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

  static final String PATH = "/problem";

  @Inject TransportSecurity transport;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (transport.refuses(request)) {
      // Refused for want of a login, whose credentials were not read over plain HTTP.
      transport.answer(request, response, uri == null ? request.getRequestURI() : uri.toString());
      return;
    }
    if (request.getAttribute(SignInThrottle.REFUSED) instanceof Duration wait
        && Integer.valueOf(HttpServletResponse.SC_UNAUTHORIZED)
            .equals(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE))) {
      // Refused for want of a login, whose password was not checked: too many failures. (Served
      // anonymously instead, a public path's own error is answered as it is.)
      signInThrottled(
          request, response, uri == null ? request.getRequestURI() : uri.toString(), wait);
      return;
    }
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : HttpServletResponse.SC_NOT_FOUND;
    ProblemType type = ProblemType.forStatus(status);
    String trace = Problems.newTraceId();
    if (type == ProblemType.INTERNAL) {
      // The trace id the client sees must find the cause in the log.
      Object cause = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      LOG.log(
          Level.SEVERE,
          "container error " + trace,
          cause instanceof Throwable t ? t : new IllegalStateException("HTTP " + status));
    }
    String detail =
        type == ProblemType.INTERNAL
            ? Problems.internalDetail(trace)
            : Problems.standardDetail(type);
    response.setStatus(
        type == ProblemType.BAD_REQUEST || type == ProblemType.INTERNAL ? status : type.status());
    response.setContentType(Problems.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(Problems.json(type, detail, List.of(), uri == null ? null : uri.toString(), trace));
  }

  /**
   * 429 {@code sign-in-throttled} ({@link SignInThrottle}): the password was not checked, and
   * {@code Retry-After} says in how many seconds (rounded up) it will be.
   */
  public static void signInThrottled(
      HttpServletRequest request, HttpServletResponse response, String uri, Duration wait)
      throws IOException {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    response.setStatus(ProblemType.SIGN_IN_THROTTLED.status());
    response.setHeader("Retry-After", Long.toString(seconds));
    response.setContentType(Problems.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            Problems.json(
                ProblemType.SIGN_IN_THROTTLED,
                "Too many sign-ins failed for this user name or from this address, so the password"
                    + " was not checked; try again in "
                    + seconds
                    + " s.",
                List.of(),
                uri,
                Problems.newTraceId()));
  }
}
