package io.arbiter.security;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of the served OpenAPI document, called over HTTP by every role (one demo user per
 * role, named after it) and without credentials, against the roles the server enforces for it: the
 * {@code @RolesAllowed} or {@code @PermitAll} of the resource method that declares its {@code
 * operationId}. An operation without such a method, or without either annotation, fails the build,
 * and so does an operation open without login that is not in {@link #PUBLIC}.
 *
 * <p>Expected: without credentials, {@code 401} (public operations: anything else); a role the
 * operation does not allow, {@code 403 forbidden}; a role it allows, anything but {@code 401} and
 * {@code 403 forbidden} (the path's ids name nothing, so most answer 404 or 4xx for the body; a
 * rule of data such as separation of duties may still refuse with its own problem type). Tenants
 * are not in the matrix: reads are not yet scoped by tenant (issue 21, item 3).
 */
@ExtendWith(ArquillianExtension.class)
class AuthorizationMatrixIT {

  /** The operations documented as open without login (docs/security.md, "What is public"). */
  private static final Set<String> PUBLIC = Set.of("getCheckpoint", "getTile", "getLedgerKey");

  private static final List<String> ROLES =
      List.of(
          Roles.INTEGRATOR,
          Roles.REVIEWER,
          Roles.LEAD_REVIEWER,
          Roles.AUDITOR,
          Roles.POLICY_AUTHOR,
          Roles.POLICY_APPROVER,
          Roles.DATA_STEWARD,
          Roles.ADMIN);

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** What the server enforces for an operation: its roles, or none for a public one. */
  private record Rule(Optional<Set<String>> roles) {
    boolean allows(String role) {
      return roles.map(r -> r.contains(role)).orElse(true);
    }
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

  @Test
  void everyOperation_everyRoleAndNone_getsWhatItsDeclaredRolesSay() {
    Map<String, Rule> rules = enforced();
    Reply document = get("/openapi", null, "application/json");
    assertEquals(200, document.status(), document.toString());
    JsonObject paths = document.json().getJsonObject("paths");
    Map<String, String> wrong = new TreeMap<>();
    Set<String> open = new TreeSet<>();
    int calls = 0;
    for (var path : paths.entrySet()) {
      for (var entry : path.getValue().asJsonObject().entrySet()) {
        if (!METHODS.contains(entry.getKey())) {
          continue;
        }
        String method = entry.getKey().toUpperCase(java.util.Locale.ROOT);
        String id = entry.getValue().asJsonObject().getString("operationId", "");
        Rule rule = rules.get(id);
        if (rule == null) {
          wrong.put(method + " " + path.getKey(), "no resource method declares operationId " + id);
          continue;
        }
        String url = concrete(path.getKey());
        String type = bodyType(entry.getValue().asJsonObject());
        if (rule.roles().isEmpty()) {
          open.add(id);
        }
        Answer anonymous = call(method, url, type, null);
        calls++;
        if (rule.roles().isPresent() && anonymous.status() != 401) {
          wrong.put(id + " unauthenticated", "expected 401, got " + anonymous.status());
        }
        if (rule.roles().isEmpty() && isRefused(anonymous)) {
          wrong.put(id + " unauthenticated", "public, got " + anonymous.status());
        }
        for (String role : ROLES) {
          Answer reply = call(method, url, type, role);
          calls++;
          boolean refused = isRefused(reply);
          if (rule.allows(role) == refused) {
            wrong.put(
                id + " as " + role,
                (rule.allows(role) ? "allowed, got " : "expected 403 forbidden, got ")
                    + reply.status()
                    + " "
                    + reply.body().substring(0, Math.min(160, reply.body().length())));
          }
        }
      }
    }
    assertEquals(Map.of(), wrong, "authorisation matrix, " + calls + " calls");
    assertEquals(
        new TreeSet<>(PUBLIC),
        open,
        "the operations open without login are exactly the documented public ones");
    assertTrue(calls > 9 * 50, "the matrix covered " + calls + " calls");
  }

  /** 401, or 403 as {@code forbidden}: what the container's role check answers. */
  private static boolean isRefused(Answer reply) {
    return reply.status() == 401
        || (reply.status() == 403 && reply.body().contains("/problems/forbidden\""));
  }

  /** The first media type the operation's request body is documented in; JSON without one. */
  private static String bodyType(JsonObject operation) {
    JsonObject body = operation.getJsonObject("requestBody");
    if (body == null || !body.containsKey("content")) {
      return "application/json";
    }
    return body.getJsonObject("content").keySet().iterator().next();
  }

  /** The path template with every parameter naming nothing ({@code {id}} becomes {@code none}). */
  private static String concrete(String template) {
    return template.replaceAll("\\{[^}]+\\}", "none");
  }

  /** Status and body of one call. */
  private record Answer(int status, String body) {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** One call; an event stream's body is not waited for (it never ends). */
  private static Answer call(String method, String url, String type, String user) {
    HttpRequest.Builder request =
        Api.plainRequest(url, user).header("Accept", "*/*").timeout(Duration.ofSeconds(30));
    if (method.equals("GET") || method.equals("DELETE")) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", type)
          .method(method, HttpRequest.BodyPublishers.ofString(type.contains("json") ? "{}" : ""));
    }
    try {
      HttpResponse<InputStream> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        boolean stream =
            response
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/event-stream");
        return new Answer(
            response.statusCode(),
            stream ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + " as " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
