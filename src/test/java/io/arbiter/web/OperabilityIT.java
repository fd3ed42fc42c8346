package io.arbiter.web;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What operators and client generators rely on: OpenAPI, its UI, and health. */
@ExtendWith(ArquillianExtension.class)
class OperabilityIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void openapi_documentsEveryOperationWithProblemResponses() {
    Reply reply = get("/openapi", null, "application/json");
    assertEquals(200, reply.status(), reply.toString());
    JsonObject paths = reply.json().getJsonObject("paths");
    for (String path :
        new String[] {
          "/api/v1/decisions",
          "/api/v1/decisions/{id}",
          "/api/v1/decisions/{id}/provenance",
          "/sparql",
          "/id/{path}"
        }) {
      assertTrue(paths.containsKey(path), "documents " + path + ": " + paths.keySet());
    }
    JsonObject submit = paths.getJsonObject("/api/v1/decisions").getJsonObject("post");
    JsonObject responses = submit.getJsonObject("responses");
    for (String status :
        new String[] {"201", "202", "400", "401", "403", "409", "413", "415", "422", "503"}) {
      assertTrue(responses.containsKey(status), "submit documents " + status);
    }
    JsonObject components = reply.json().getJsonObject("components");
    assertTrue(components.getJsonObject("schemas").containsKey("Problem"));
    assertTrue(components.getJsonObject("schemas").containsKey("DecisionRequest"));
    assertTrue(components.getJsonObject("securitySchemes").containsKey("basic"));
  }

  @Test
  void openapiUi_isServed() {
    Reply reply = get("/openapi/ui/", null, "text/html");
    assertEquals(200, reply.status());
    assertTrue(reply.body().toLowerCase().contains("<html"));
  }

  @Test
  void health_reportsTheGraphStore() {
    Reply ready = get("/health/ready", null, "application/json");
    assertEquals(200, ready.status(), ready.toString());
    java.util.Map<String, JsonObject> checks = new java.util.HashMap<>();
    ready
        .json()
        .getJsonArray("checks")
        .forEach(c -> checks.put(c.asJsonObject().getString("name"), c.asJsonObject()));
    assertEquals(
        java.util.Set.of("graph-store", "ledger-signer", "review-sla-sweep"),
        checks.keySet(),
        ready.toString());
    checks
        .values()
        .forEach(check -> assertEquals("UP", check.getString("status"), ready.toString()));
    assertTrue(checks.get("ledger-signer").getJsonObject("data").containsKey("unsigned"));
    assertEquals(200, get("/health/live", null, "application/json").status());
  }
}
