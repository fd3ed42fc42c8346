package io.arbiter.web;

import io.arbiter.event.Jsonp;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemType;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Renders RFC 9457 problem details. The one place that writes {@code application/problem+json},
 * used by the exception mappers and the container error page alike.
 */
public final class Problems {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Problems() {}

  /** A fresh id that ties a problem response to its log line. */
  public static String newTraceId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * What to tell a client about an error raised outside our code (the container, the JAX-RS
   * runtime), where there is nothing more specific to say.
   */
  static String standardDetail(ProblemType type) {
    return switch (type) {
      case UNAUTHORIZED -> "Authenticate with HTTP Basic (demo users are listed in the README).";
      case FORBIDDEN -> "Your roles do not allow this operation.";
      case NOT_FOUND -> "There is nothing at this path.";
      case NOT_ACCEPTABLE -> "None of the media types in Accept can be produced here.";
      case UNSUPPORTED_MEDIA_TYPE -> "Send the body as application/json.";
      case BAD_REQUEST -> "The request could not be understood.";
      default -> type.title() + ".";
    };
  }

  /** The detail of an internal error: nothing but the trace id that finds it in the log. */
  public static String internalDetail(String traceId) {
    return "An internal error occurred; quote trace id " + traceId + ".";
  }

  public static String json(
      ProblemType type, String detail, List<FieldError> errors, String instance, String traceId) {
    return Jsonp.PROVIDER
        .createObjectBuilder(body(type, detail, errors, instance))
        .add("traceId", traceId)
        .build()
        .toString();
  }

  /**
   * A problem's members without a trace id: for a problem kept to be shown later (a failed job's),
   * whose request is long answered.
   */
  public static JsonObject body(
      ProblemType type, String detail, List<FieldError> errors, String instance) {
    JsonObjectBuilder body =
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("type", type.uri())
            .add("title", type.title())
            .add("status", type.status())
            .add("detail", detail);
    if (instance != null) {
      body.add("instance", instance);
    }
    if (!errors.isEmpty()) {
      JsonArrayBuilder list = Jsonp.PROVIDER.createArrayBuilder();
      errors.forEach(
          e ->
              list.add(
                  Jsonp.PROVIDER
                      .createObjectBuilder()
                      .add("field", e.field())
                      .add("message", e.message())));
      body.add("errors", list);
    }
    return body.build();
  }

  public static Response response(
      ProblemType type, String detail, List<FieldError> errors, String instance, String traceId) {
    Response.ResponseBuilder response =
        Response.status(type.status())
            .type(MEDIA_TYPE)
            .entity(json(type, detail, errors, instance, traceId));
    if (type.status() == 503 || type.status() == 429) {
      // Every 503 is a passing condition (a store down, intake held back while the projection
      // catches up, a query cancelled under load), as is a 429 (the caller's own requests still
      // running): say when to try again (RFC 9110, 10.2.3; RFC 6585, 4).
      response.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    return response.build();
  }

  /** What a 503 asks clients to wait before they try again. */
  static final int RETRY_AFTER_SECONDS = 2;
}
