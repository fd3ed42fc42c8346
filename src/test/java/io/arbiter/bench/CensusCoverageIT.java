package io.arbiter.bench;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The latency census calls every operation the served OpenAPI document lists, and nothing it does
 * not: a new endpoint cannot escape the census, and a removed one cannot linger in it.
 */
@ExtendWith(ArquillianExtension.class)
class CensusCoverageIT {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void census_callsEveryOperationTheOpenApiDocumentLists() {
    Reply reply = get("/openapi", null, "application/json");
    assertEquals(200, reply.status(), reply.toString());
    JsonObject paths = reply.json().getJsonObject("paths");
    Set<String> documented = new TreeSet<>();
    paths.forEach(
        (path, item) ->
            item.asJsonObject().keySet().stream()
                .filter(METHODS::contains)
                .forEach(
                    method ->
                        documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
    assertTrue(documented.size() > 60, () -> "a document of the whole API: " + documented);
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(Census.covered());
    Set<String> extra = new TreeSet<>(Census.covered());
    extra.removeAll(documented);
    assertTrue(missing.isEmpty(), () -> "operations the census does not call: " + missing);
    assertTrue(extra.isEmpty(), () -> "census operations the document does not list: " + extra);
  }
}
