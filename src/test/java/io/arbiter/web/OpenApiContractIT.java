package io.arbiter.web;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client generator needs of the served OpenAPI document (issue 19): names for every
 * operation, a schema for every body and every answer, typed parameters, and paths that cannot be
 * confused. Each test collects every violation and names them all.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiContractIT {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  /** Query and path parameters that are numbers or flags whatever operation takes them. */
  private static final Map<String, String> TYPED =
      Map.of(
          "limit", "integer",
          "offset", "integer",
          "depth", "integer",
          "seq", "integer",
          "treeSize", "integer",
          "mine", "boolean",
          "overdue", "boolean");

  /** Parameters named from and to that are sequence numbers or tree sizes, not instants. */
  private static final Set<String> NUMBERED_RANGES =
      Set.of("/api/v1/export", "/api/v1/ledger/proofs/consistency");

  private static JsonObject document;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void fetch() {
    Reply reply = get("/openapi", null, "application/json");
    assertEquals(200, reply.status(), reply.toString());
    document = reply.json();
  }

  private static void eachOperation(BiConsumer<String, JsonObject> action) {
    document
        .getJsonObject("paths")
        .forEach(
            (path, item) ->
                item.asJsonObject()
                    .forEach(
                        (method, operation) -> {
                          if (METHODS.contains(method)) {
                            action.accept(
                                method.toUpperCase(Locale.ROOT) + " " + path,
                                operation.asJsonObject());
                          }
                        }));
  }

  private static void assertNone(List<String> violations, String what) {
    assertTrue(violations.isEmpty(), () -> what + ": " + String.join("; ", violations));
  }

  @Test
  void info_namesItsLicenseByIdentifier() {
    JsonObject license = document.getJsonObject("info").getJsonObject("license");
    assertEquals("Apache-2.0", license.getString("identifier"), license.toString());
  }

  @Test
  void operations_haveUniqueOperationIdsAndADeclaredTag() {
    Set<String> declared = new TreeSet<>();
    document.getJsonArray("tags").forEach(t -> declared.add(t.asJsonObject().getString("name")));
    Map<String, String> ids = new HashMap<>();
    List<String> violations = new ArrayList<>();
    eachOperation(
        (key, operation) -> {
          String id = operation.getString("operationId", "");
          if (id.isEmpty()) {
            violations.add(key + " has no operationId");
          } else if (ids.putIfAbsent(id, key) != null) {
            violations.add(key + " repeats operationId " + id + " of " + ids.get(id));
          }
          JsonArray tags = operation.getJsonArray("tags");
          if (tags == null || tags.size() != 1) {
            violations.add(key + " has not exactly one tag: " + tags);
          } else if (!declared.contains(tags.getString(0))) {
            violations.add(key + " has the undeclared tag " + tags.getString(0));
          }
        });
    assertNone(violations, "operations without a stable name or capability");
    assertTrue(ids.containsKey("submitDecision"), ids::toString);
    assertTrue(ids.containsKey("claimReviewTask"), ids::toString);
  }

  @Test
  void requestBodies_ofJsonAreDescribedByASchema_neverAsBinary() {
    List<String> violations = new ArrayList<>();
    eachOperation(
        (key, operation) -> {
          JsonObject body = operation.getJsonObject("requestBody");
          if (body == null) {
            return;
          }
          body.getJsonObject("content")
              .forEach(
                  (mediaType, content) -> {
                    JsonObject schema = content.asJsonObject().getJsonObject("schema");
                    if (schema == null) {
                      violations.add(key + " " + mediaType + " has no schema");
                    } else if (isJson(mediaType)
                        && "binary".equals(schema.getString("format", ""))) {
                      violations.add(key + " " + mediaType + " is binary");
                    } else if (mediaType.contains("*")) {
                      violations.add(key + " documents the wildcard " + mediaType);
                    }
                  });
        });
    assertNone(violations, "request bodies a client cannot build");
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  @Test
  void successResponses_declareTheirMediaTypesAndSchemas() {
    List<String> violations = new ArrayList<>();
    eachOperation(
        (key, operation) -> {
          JsonObject responses = operation.getJsonObject("responses");
          if (responses.keySet().stream().noneMatch(code -> code.startsWith("2"))) {
            violations.add(key + " declares no 2xx");
          }
          responses.forEach(
              (code, response) -> {
                if (!code.startsWith("2") || code.equals("204")) {
                  return;
                }
                JsonObject content = resolved(response.asJsonObject()).getJsonObject("content");
                if (content == null || content.isEmpty()) {
                  violations.add(key + " " + code + " has no content");
                  return;
                }
                content.forEach(
                    (mediaType, media) -> {
                      if (!media.asJsonObject().containsKey("schema")) {
                        violations.add(key + " " + code + " " + mediaType + " has no schema");
                      }
                    });
              });
        });
    assertNone(violations, "answers a client cannot read");
    JsonObject shadow =
        document
            .getJsonObject("paths")
            .getJsonObject("/api/v1/policies/{id}/versions/{version}/shadow-report")
            .getJsonObject("get");
    assertTrue(shadow.toString().contains("#/components/schemas/ShadowReport"), shadow::toString);
  }

  /** A response, or the component response its {@code $ref} names. */
  private static JsonObject resolved(JsonObject response) {
    String ref = response.getString("$ref", "");
    return ref.isEmpty()
        ? response
        : document
            .getJsonObject("components")
            .getJsonObject("responses")
            .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
  }

  @Test
  void parameters_areTyped_numbersAndFlagsAsSuch() {
    List<String> violations = new ArrayList<>();
    eachOperation(
        (key, operation) -> {
          JsonArray parameters = operation.getJsonArray("parameters");
          if (parameters == null) {
            return;
          }
          String path = key.substring(key.indexOf(' ') + 1);
          for (JsonValue value : parameters) {
            JsonObject parameter = value.asJsonObject();
            String name = parameter.getString("name");
            JsonObject schema = parameter.getJsonObject("schema");
            String type = schema == null ? "" : typeOf(schema);
            if (type.isEmpty()) {
              violations.add(key + " " + name + " has no type");
              continue;
            }
            String expected = TYPED.get(name);
            if (NUMBERED_RANGES.contains(path) && (name.equals("from") || name.equals("to"))) {
              expected = "integer";
            }
            if (expected != null && !expected.equals(type)) {
              violations.add(key + " " + name + " is " + type + ", not " + expected);
            }
          }
        });
    assertNone(violations, "parameters of the wrong type");
  }

  private static String typeOf(JsonObject schema) {
    JsonValue type = schema.get("type");
    if (type instanceof JsonString s) {
      return s.getString();
    }
    if (type instanceof JsonArray a && !a.isEmpty()) {
      return a.getString(0);
    }
    return schema.containsKey("$ref") ? "$ref" : "";
  }

  @Test
  void decisionStatus_listsEveryStatusTheServerAccepts() {
    JsonArray parameters =
        document
            .getJsonObject("paths")
            .getJsonObject("/api/v1/decisions")
            .getJsonObject("get")
            .getJsonArray("parameters");
    JsonObject status =
        parameters.stream()
            .map(JsonValue::asJsonObject)
            .filter(p -> p.getString("name").equals("status"))
            .findFirst()
            .orElseThrow();
    Set<String> values = new TreeSet<>();
    status.getJsonObject("schema").getJsonArray("enum").forEach(v -> values.add(str(v)));
    assertEquals(Set.of("automated", "pending_review", "settled"), values);
  }

  private static String str(JsonValue value) {
    return ((JsonString) value).getString();
  }

  @Test
  void paths_differInMoreThanTheirParameterNames() {
    Map<String, String> shapes = new HashMap<>();
    List<String> violations = new ArrayList<>();
    for (String path : document.getJsonObject("paths").keySet()) {
      String shape = path.replaceAll("\\{[^}]+}", "{}");
      String earlier = shapes.putIfAbsent(shape, path);
      if (earlier != null) {
        violations.add(path + " and " + earlier);
      }
    }
    assertNone(violations, "identical paths");
  }

  @Test
  void references_allResolve() {
    Set<String> schemas = document.getJsonObject("components").getJsonObject("schemas").keySet();
    Set<String> responses =
        document.getJsonObject("components").getJsonObject("responses").keySet();
    Set<String> dangling = new TreeSet<>();
    collectRefs(
        document,
        ref -> {
          String name = ref.substring(ref.lastIndexOf('/') + 1);
          boolean known =
              ref.startsWith("#/components/schemas/")
                  ? schemas.contains(name)
                  : ref.startsWith("#/components/responses/") && responses.contains(name);
          if (!known) {
            dangling.add(ref);
          }
        });
    assertTrue(dangling.isEmpty(), () -> "references to nothing: " + dangling);
    assertFalse(schemas.isEmpty());
  }

  private static void collectRefs(JsonValue value, java.util.function.Consumer<String> sink) {
    if (value instanceof JsonObject object) {
      object.forEach(
          (key, member) -> {
            if (key.equals("$ref") && member instanceof JsonString ref) {
              sink.accept(ref.getString());
            } else {
              collectRefs(member, sink);
            }
          });
    } else if (value instanceof JsonArray array) {
      array.forEach(member -> collectRefs(member, sink));
    }
  }
}
