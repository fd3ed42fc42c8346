package io.arbiter.web;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
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
      ProblemType type;
      String detail;
      if (e instanceof NotFoundException) {
        type = ProblemType.NOT_FOUND;
        detail = "There is nothing at this path.";
      } else if (e instanceof NotAllowedException notAllowed) {
        Response problem =
            Problems.response(
                ProblemType.METHOD_NOT_ALLOWED,
                "Allowed methods: " + notAllowed.getResponse().getAllowedMethods() + ".",
                List.of(),
                path(uri),
                trace);
        return Response.fromResponse(problem)
            .allow(notAllowed.getResponse().getAllowedMethods())
            .build();
      } else if (e instanceof NotAcceptableException) {
        type = ProblemType.NOT_ACCEPTABLE;
        detail = "None of the media types in Accept can be produced here.";
      } else if (e instanceof NotSupportedException) {
        type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
        detail = "Send the body as application/json.";
      } else if (e instanceof ForbiddenException) {
        type = ProblemType.FORBIDDEN;
        detail = "Your roles do not allow this operation.";
      } else if (e instanceof NotAuthorizedException) {
        type = ProblemType.UNAUTHORIZED;
        detail = "Authenticate with HTTP Basic.";
      } else if (e.getResponse().getStatus() < 500) {
        type = ProblemType.BAD_REQUEST;
        detail = "The request could not be understood.";
        LOG.log(Level.FINE, "client error " + trace, e);
      } else {
        LOG.log(Level.SEVERE, "server error " + trace, e);
        type = ProblemType.INTERNAL;
        detail = "An internal error occurred; quote trace id " + trace + ".";
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
          ProblemType.INTERNAL,
          "An internal error occurred; quote trace id " + trace + ".",
          List.of(),
          path(uri),
          trace);
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
