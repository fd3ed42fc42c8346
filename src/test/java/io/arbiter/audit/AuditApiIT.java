package io.arbiter.audit;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit query library over HTTP: listed, read, run with bound values, mistakes named. */
@ExtendWith(ArquillianExtension.class)
class AuditApiIT {

  private static final String QUERIES = "/api/v1/audit/queries";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static Reply run(String name, String json, String accept) {
    return Api.send(
        Api.request(QUERIES + "/" + name, "auditor")
            .header("Content-Type", "application/json")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  @Test
  void theLibraryIsListedAndRun_forAuditorsOnly() {
    assertEquals(403, get(QUERIES, "integrator", "application/json").status());
    Reply listed = get(QUERIES, "auditor", "application/json");
    assertEquals(200, listed.status(), listed.toString());
    JsonArray queries = Json.createReader(new StringReader(listed.body())).readArray();
    JsonObject byRule =
        queries.stream()
            .map(JsonObject.class::cast)
            .filter(q -> q.getString("name").equals("decisions-by-rule"))
            .findFirst()
            .orElseThrow();
    assertEquals("iri", byRule.getJsonArray("parameters").getJsonObject(0).getString("type"));
    assertTrue(
        get(QUERIES + "/decisions-by-rule", "admin", "application/json")
            .json()
            .getString("sparql")
            .contains("arb:matchedRule"));

    Reply submitted =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            Fixtures.requestJson(1000, 100000, 0.1, "approve", 0.9));
    String id = submitted.json().getString("id");
    String modelVersion = Api.BASE + "/id/models/demo-credit/versions/1";
    Reply csv =
        run(
            "decisions-by-model-version",
            "{\"modelVersion\": \"" + modelVersion + "\"}",
            "text/csv");
    assertEquals(200, csv.status(), csv.toString());
    assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
    assertTrue(csv.body().startsWith("decision,id,caseId,route,submittedAt"), csv.body());
    assertTrue(csv.body().contains(id), "the decision just made is listed");

    Reply invalid = run("decisions-by-model-version", "{\"modelVersion\": 42}", "text/csv");
    assertEquals(422, invalid.status(), invalid.toString());
    assertTrue(invalid.contentType().startsWith("application/problem+json"));
    assertEquals(
        "modelVersion", invalid.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(404, run("no-such-query", "{}", "application/sparql-results+json").status());
  }
}
