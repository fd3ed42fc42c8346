package io.arbiter.security;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations of the served OpenAPI document, each with the roles docs/authorization.md gives
 * it, and a plain HTTP call: what {@link AuthorizationMatrixIT} (roles) and {@link TenantMatrixIT}
 * (tenants) both enumerate, so that an operation added to the API reaches both matrices.
 */
final class OpenApiOperations {

  /** One demo user per role, named after it. */
  static final List<String> ROLES = Roles.ALL;

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private OpenApiOperations() {}

  /**
   * Who may call an operation, as docs/authorization.md says: the request its row names ({@code
   * METHOD /path}), and its roles, or none for a public one.
   */
  record Rule(String request, Optional<Set<String>> roles) {
    boolean allows(String role) {
      return roles.map(r -> r.contains(role)).orElse(true);
    }
  }

  /**
   * One operation of the document.
   *
   * @param rule its row of docs/authorization.md; null when it has none (the matrices report it)
   * @param bodyType the first media type its request body is documented in; JSON without one
   */
  record Op(String method, String path, String id, Rule rule, String bodyType) {
    @Override
    public String toString() {
      return id + " (" + method + " " + path + ")";
    }
  }

  /** Every operation of the served document, in its order. */
  static List<Op> operations() {
    Map<String, Rule> rules = documented();
    Reply document = get("/openapi", null, "application/json");
    assertEquals(200, document.status(), document.toString());
    JsonObject paths = document.json().getJsonObject("paths");
    List<Op> operations = new ArrayList<>();
    for (var path : paths.entrySet()) {
      for (var entry : path.getValue().asJsonObject().entrySet()) {
        if (!METHODS.contains(entry.getKey())) {
          continue;
        }
        JsonObject operation = entry.getValue().asJsonObject();
        String id = operation.getString("operationId", "");
        operations.add(
            new Op(
                entry.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                id,
                rules.get(id),
                bodyType(operation)));
      }
    }
    return operations;
  }

  /** The table of who may call what: docs/authorization.md, the specification, not the code. */
  static final java.nio.file.Path TABLE = java.nio.file.Path.of("docs/authorization.md");

  /** A row: {@code | `operationId` | `METHOD /path` | `role`, `role` |} or **public**. */
  private static final java.util.regex.Pattern ROW =
      java.util.regex.Pattern.compile("^\\| `(\\w+)` \\| `([A-Z]+ [^`]+)` \\| (.+) \\|$");

  /** Every row of {@link #TABLE}, by operationId; a malformed or repeated row fails. */
  static Map<String, Rule> documented() {
    Map<String, Rule> rules = new java.util.TreeMap<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(TABLE)) {
        java.util.regex.Matcher row = ROW.matcher(line);
        if (!row.matches()) {
          // A row the pattern misses would be ignored: every line that starts as one must match.
          assertFalse(line.startsWith("| `"), TABLE + ": a row not in the table's form: " + line);
          continue;
        }
        Optional<Set<String>> roles;
        if (row.group(3).equals("**public**")) {
          roles = Optional.empty();
        } else {
          Set<String> named = new java.util.TreeSet<>();
          for (String cell : row.group(3).split(", ")) {
            String role = cell.replace("`", "");
            assertTrue(ROLES.contains(role), TABLE + ": no role " + cell + " in " + line);
            named.add(role);
          }
          roles = Optional.of(named);
        }
        assertNull(
            rules.put(row.group(1), new Rule(row.group(2), roles)),
            TABLE + " has two rows for " + row.group(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rules;
  }

  /** The first media type the operation's request body is documented in; JSON without one. */
  private static String bodyType(JsonObject operation) {
    JsonObject body = operation.getJsonObject("requestBody");
    if (body == null || !body.containsKey("content")) {
      return "application/json";
    }
    return body.getJsonObject("content").keySet().iterator().next();
  }

  /** Status and body of one call. */
  record Answer(int status, String body) {
    /** 401, or 403 as {@code forbidden}: what the container's role check answers. */
    boolean refused() {
      return status == 401 || (status == 403 && body.contains("/problems/forbidden\""));
    }

    /** The status and the start of the body, for a failure message. */
    String brief() {
      return status + " " + body.substring(0, Math.min(200, body.length()));
    }
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * One call, {@code body} sent as {@code type} unless the method is GET or DELETE; an event
   * stream's body is not waited for (it never ends).
   */
  static Answer call(HttpRequest.Builder request, String method, String type, String body) {
    if (method.equals("GET") || method.equals("DELETE")) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", type)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<InputStream> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream stream = response.body()) {
        boolean events =
            response
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/event-stream");
        return new Answer(
            response.statusCode(),
            events ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + request.build().uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A call as {@code user} (null: without credentials) with a body of nothing in particular. */
  static Answer call(String method, String url, String type, String user) {
    return call(
        Api.plainRequest(url, user).header("Accept", "*/*").timeout(Duration.ofSeconds(30)),
        method,
        type,
        type.contains("json") ? "{}" : "");
  }
}
