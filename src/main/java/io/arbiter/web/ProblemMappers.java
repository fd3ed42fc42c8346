package io.arbiter.web;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every exception that leaves a resource into a problem response. Library messages are logged
 * with the trace id, never sent to the client.
 */
public final class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

  private ProblemMappers() {}

  /** Problems the services raise on purpose. */
  @Provider
  public static class Expected implements ExceptionMapper<ProblemException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(ProblemException e) {
      return Problems.response(
          e.type(), e.getMessage(), e.errors(), path(uri), Problems.newTraceId());
    }
  }

  /** The JAX-RS runtime's own refusals: unknown path, wrong method, media types, roles. */
  @Provider
  public static class Http implements ExceptionMapper<WebApplicationException> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
      String trace = Problems.newTraceId();
      if (e instanceof NotAllowedException notAllowed) {
        var allowed = notAllowed.getResponse().getAllowedMethods();
        Response problem =
            Problems.response(
                ProblemType.METHOD_NOT_ALLOWED,
                "Allowed methods: " + allowed + ".",
                List.of(),
                path(uri),
                trace);
        return Response.fromResponse(problem).allow(allowed).build();
      }
      ProblemType type = ProblemType.forStatus(e.getResponse().getStatus());
      String detail = Problems.standardDetail(type);
      if (type == ProblemType.INTERNAL) {
        LOG.log(Level.SEVERE, "server error " + trace, e);
        detail = Problems.internalDetail(trace);
      } else if (type == ProblemType.BAD_REQUEST) {
        LOG.log(Level.FINE, "client error " + trace, e);
      }
      return Problems.response(type, detail, List.of(), path(uri), trace);
    }
  }

  /** Anything else is our bug: log it in full, tell the client only the trace id. */
  @Provider
  public static class Unexpected implements ExceptionMapper<Throwable> {
    @Context UriInfo uri;

    @Override
    public Response toResponse(Throwable e) {
      String trace = Problems.newTraceId();
      LOG.log(Level.SEVERE, "unexpected error " + trace, e);
      return Problems.response(
          ProblemType.INTERNAL, Problems.internalDetail(trace), List.of(), path(uri), trace);
    }
  }

  private static String path(UriInfo uri) {
    try {
      if (uri == null) {
        return null;
      }
      String path = uri.getPath();
      return path.startsWith("/") ? path : "/" + path;
    } catch (RuntimeException outsideRequest) {
      return null;
    }
  }
}
