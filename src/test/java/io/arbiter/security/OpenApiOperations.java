package io.arbiter.security;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The operations of the served OpenAPI document, each with the roles the server enforces for it,
 * and a plain HTTP call: what {@link AuthorizationMatrixIT} (roles) and {@link TenantMatrixIT}
 * (tenants) both enumerate, so that an operation added to the API reaches both matrices.
 */
final class OpenApiOperations {

  /** One demo user per role, named after it. */
  static final List<String> ROLES = Roles.ALL;

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private OpenApiOperations() {}

  /** What the server enforces for an operation: its roles, or none for a public one. */
  record Rule(Optional<Set<String>> roles) {
    boolean allows(String role) {
      return roles.map(r -> r.contains(role)).orElse(true);
    }
  }

  /**
   * One operation of the document.
   *
   * @param rule the roles its resource method declares; null when no resource method declares its
   *     operationId (the matrices report it)
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
    Map<String, Rule> rules = enforced();
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

  /** Every resource method's rule, by its operationId, read from the classes the server runs. */
  private static Map<String, Rule> enforced() {
    Map<String, Rule> rules = new HashMap<>();
    List<String> unannotated = new ArrayList<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.arbiter")) {
      if (!type.isAnnotatedWith(jakarta.ws.rs.Path.class)) {
        continue;
      }
      Class<?> resource = type.reflect();
      for (Method method : resource.getDeclaredMethods()) {
        Operation operation = method.getAnnotation(Operation.class);
        if (operation == null || operation.operationId().isEmpty()) {
          continue;
        }
        RolesAllowed roles =
            Optional.ofNullable(method.getAnnotation(RolesAllowed.class))
                .orElse(
                    method.isAnnotationPresent(PermitAll.class)
                        ? null
                        : resource.getAnnotation(RolesAllowed.class));
        boolean open =
            method.isAnnotationPresent(PermitAll.class)
                || (roles == null && resource.isAnnotationPresent(PermitAll.class));
        if (roles == null && !open) {
          unannotated.add(operation.operationId());
          continue;
        }
        rules.merge(
            operation.operationId(),
            new Rule(open ? Optional.empty() : Optional.of(Set.of(roles.value()))),
            (a, b) -> {
              assertEquals(a, b, operation.operationId() + ": one operation, two rules");
              return a;
            });
      }
    }
    assertEquals(List.of(), unannotated, "operations with neither @RolesAllowed nor @PermitAll");
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
