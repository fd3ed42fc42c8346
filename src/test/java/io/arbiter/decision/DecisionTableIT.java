package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One model's decisions as a table (issue 18, item 6), over HTTP, as CSV and as JSON Lines: a row
 * per decision with its route, rule and recorded outcome; the request's mistakes are problems
 * naming the parameter. The test owns its model and policy.
 */
@ExtendWith(ArquillianExtension.class)
class DecisionTableIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "tabled-" + TAG;
  private static final String POLICY = "tabled-policy-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String submit(String label, int status) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "case-%s", "input": {},
             "output": {"label": "%s", "score": 0.9, "confidence": 0.9}}"""
                .formatted(MODEL, UUID.randomUUID(), label));
    assertEquals(status, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  @Test
  void table_oneRowPerDecisionWithRouteRuleAndOutcome_asCsvAndJsonLines() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - {id: agrees, condition: "output.label == 'approve'", route: approve}
        default: {route: review, review: {queue: tabled-%s}}
        """
            .formatted(POLICY, MODEL, TAG),
        POLICY,
        "1");
    String automated = submit("approve", 201);
    String reviewed = submit("reject", 202);
    assertEquals(
        201,
        postJson(
                "/api/v1/decisions/" + automated + "/outcome",
                "integrator",
                "{\"outcome\": \"reject\"}")
            .status());

    Reply csv = get("/api/v1/decisions/table?model=" + MODEL, "auditor", "text/csv");
    assertEquals(200, csv.status(), csv.toString());
    assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
    List<String> lines = csv.body().lines().toList();
    assertEquals(3, lines.size(), csv.body());
    assertEquals(String.join(",", io.arbiter.decision.DecisionTable.COLUMNS), lines.get(0));
    String automatedRow =
        lines.stream().filter(l -> l.startsWith(automated + ",")).findFirst().orElseThrow();
    List<String> cells = List.of(automatedRow.split(",", -1));
    assertEquals(MODEL, cells.get(2));
    assertEquals(POLICY, cells.get(5));
    assertEquals("approve", cells.get(7));
    assertEquals("rule", cells.get(8));
    assertEquals("agrees", cells.get(9));
    assertEquals("automated", cells.get(10));
    assertEquals("reject", cells.get(15));
    assertEquals("1", cells.get(16));

    Reply jsonl = get("/api/v1/decisions/table?model=" + MODEL + "&format=jsonl", "auditor", "*/*");
    assertEquals(200, jsonl.status(), jsonl.toString());
    List<JsonObject> rows =
        jsonl.body().lines().map(l -> Json.createReader(new StringReader(l)).readObject()).toList();
    assertEquals(2, rows.size(), jsonl.body());
    JsonObject review =
        rows.stream()
            .filter(r -> r.getString("decision").equals(reviewed))
            .findFirst()
            .orElseThrow();
    assertEquals("review", review.getString("route"));
    assertEquals("default", review.getString("ruleKind"));
    assertEquals("pending_review", review.getString("status"));
    assertTrue(!review.containsKey("outcome"), review.toString());

    for (String[] bad :
        new String[][] {
          {"", "model"},
          {"?model=" + MODEL + "&format=xml", "format"},
          {"?model=" + MODEL + "&from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z", "to"}
        }) {
      Reply refused = get("/api/v1/decisions/table" + bad[0], "auditor", "text/csv");
      assertEquals(400, refused.status(), refused.toString());
      assertEquals(
          bad[1],
          refused.json().getJsonArray("errors").getJsonObject(0).getString("field"),
          refused.toString());
    }
    assertEquals(
        403, get("/api/v1/decisions/table?model=" + MODEL, "integrator", "text/csv").status());
  }
}
