package io.arbiter.problem;

import java.util.List;

/**
 * Every kind of problem the API reports. The type URIs are stable and documented in {@code
 * docs/problems.md}; clients may switch on them.
 */
public enum ProblemType {
  MALFORMED_JSON(400, "malformed-json", "The request body is not well-formed JSON"),
  BAD_REQUEST(400, "bad-request", "The request is not valid"),
  SPARQL_SYNTAX(400, "sparql-syntax", "The SPARQL query is not valid"),
  SPARQL_UPDATE_REFUSED(400, "sparql-update-refused", "This SPARQL endpoint is read-only"),
  UNAUTHORIZED(401, "unauthorized", "Authentication is required"),
  FORBIDDEN(403, "forbidden", "Your roles do not allow this"),
  SEPARATION_OF_DUTIES(
      403, "separation-of-duties", "Separation of duties forbids you to take this step"),
  TENANT_NOT_GRANTED(403, "tenant-not-granted", "You may not submit decisions for this tenant"),
  CROSS_SITE(
      403,
      "cross-site-request",
      "A change made with a session cookie must come from the workspace"),
  HTTPS_REQUIRED(403, "https-required", "Credentials are taken over HTTPS only"),
  NOT_FOUND(404, "not-found", "No such resource"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
  NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
  IDEMPOTENCY_CONFLICT(
      409, "idempotency-conflict", "The Idempotency-Key was used with a different request"),
  STATE_CONFLICT(409, "state-conflict", "The resource is not in a state that allows this"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported request content type"),
  INVALID_REQUEST(422, "invalid-request", "The request has invalid fields"),
  INVALID_POLICY(422, "invalid-policy", "The policy document is invalid"),
  QUERY_TOO_LARGE(422, "query-too-large", "The query goes beyond a limit of this endpoint"),
  TOO_MANY_REQUESTS(429, "too-many-requests", "Too many of your requests are running at once"),
  SIGN_IN_THROTTLED(429, "sign-in-throttled", "Too many failed sign-ins: wait before trying again"),
  QUERY_TIMEOUT(503, "query-timeout", "The query took too long and was cancelled"),
  SERVER_BUSY(503, "server-busy", "The server is running as many requests of this kind as it may"),
  STORE_UNAVAILABLE(503, "store-unavailable", "The event could not be recorded"),
  NOT_READY(503, "not-ready", "Arbiter cannot record anything now"),
  PROJECTION_BEHIND(
      503, "projection-behind", "The graph has not reached the requested sequence in time"),
  INTERNAL(500, "internal", "Internal error");

  /** Base of every problem type URI. */
  public static final String BASE = "https://w3id.org/arbiter/problems/";

  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  /**
   * The problem for an HTTP error status raised outside our code (the container, the JAX-RS
   * runtime): the type with that status, else {@code bad-request} or {@code internal}.
   */
  public static ProblemType forStatus(int status) {
    for (ProblemType type :
        List.of(
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            METHOD_NOT_ALLOWED,
            NOT_ACCEPTABLE,
            PAYLOAD_TOO_LARGE,
            UNSUPPORTED_MEDIA_TYPE)) {
      if (type.status == status) {
        return type;
      }
    }
    return status < 500 ? BAD_REQUEST : INTERNAL;
  }

  public int status() {
    return status;
  }

  public String uri() {
    return BASE + slug;
  }

  public String title() {
    return title;
  }
}
