package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

  /** The rows of a table request, as JSON Lines, by decision id; asserts the request succeeded. */
  private static java.util.Map<String, JsonObject> jsonRows(String query) {
    Reply jsonl = get("/api/v1/decisions/table?format=jsonl&" + query, "auditor", "*/*");
    assertEquals(200, jsonl.status(), jsonl.toString());
    java.util.Map<String, JsonObject> rows = new java.util.LinkedHashMap<>();
    jsonl
        .body()
        .lines()
        .map(l -> Json.createReader(new StringReader(l)).readObject())
        .forEach(r -> rows.put(r.getString("decision"), r));
    return rows;
  }

  /** The CSV row of {@code decision} as column name to cell; absent when it has no row. */
  private static java.util.Optional<java.util.Map<String, String>> csvRow(
      String query, String decision) {
    Reply csv = get("/api/v1/decisions/table?" + query, "auditor", "text/csv");
    assertEquals(200, csv.status(), csv.toString());
    List<String> lines = csv.body().lines().toList();
    assertEquals(String.join(",", DecisionTable.COLUMNS), lines.get(0));
    return lines.stream()
        .filter(l -> l.startsWith(decision + ","))
        .findFirst()
        .map(
            line -> {
              // None of this test's cells holds a comma or a quote: a plain split reads them.
              List<String> cells = List.of(line.split(",", -1));
              assertEquals(DecisionTable.COLUMNS.size(), cells.size(), line);
              java.util.Map<String, String> row = new java.util.HashMap<>();
              for (int i = 0; i < cells.size(); i++) {
                row.put(DecisionTable.COLUMNS.get(i), cells.get(i));
              }
              return row;
            });
  }

  /** A model of this test's own, approved whatever it says by a policy of its own. */
  private static String ownModel(String name, String... versions) {
    String model = name + "-" + TAG;
    for (String version : versions) {
      Api.registerModelVersion(model, "{\"version\": \"" + version + "\"}");
    }
    Api.activatePolicy(
        """
        id: %1$s-policy
        version: 1
        scope: {models: [%1$s]}
        rules:
          - {id: any, condition: "output.label == 'approve'", route: approve}
        default: {route: review, review: {queue: tabled-%2$s}}
        """
            .formatted(model, TAG),
        model + "-policy",
        "1");
    return model;
  }

  /** An approved decision of {@code model} at {@code version}, for {@code tenant} if present. */
  private static String submitApproved(String model, String version, String tenant) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "%s"}, "subject": "case-%s",%s "input": {},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(
                    model,
                    version,
                    UUID.randomUUID(),
                    tenant == null ? "" : " \"tenant\": \"" + tenant + "\","));
    assertEquals(201, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  @Test
  @Timeout(120)
  void table_settledReview_showsOutcomeBasisOverrideAndSettlement_inCsvAndJsonLines() {
    // The demo policy's low-confidence guardrail sends it to one reviewer; the model says reject.
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "tabled-%s",
             "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
             "output": {"label": "reject", "score": 0.5, "confidence": 0.5}}"""
                .formatted(UUID.randomUUID()));
    assertEquals(202, submitted.status(), submitted.toString());
    String decision = submitted.json().getString("id");
    Instant before = Instant.now().minusSeconds(60);
    String query = "model=demo-credit&from=" + before;

    // Unsettled: the review cells are empty, so what follows is the settlement's doing.
    JsonObject pending = jsonRows(query).get(decision);
    assertNotNull(pending, "the pending decision has a row");
    assertEquals("pending_review", pending.getString("status"));
    java.util.Map<String, String> pendingCells = csvRow(query, decision).orElseThrow();
    assertEquals("pending_review", pendingCells.get("status"));
    for (String cell :
        List.of("reviewOutcome", "reviewBasis", "reviewOverridesModel", "settledAt")) {
      assertFalse(pending.containsKey(cell), cell + ": " + pending);
      assertEquals("", pendingCells.get(cell), cell);
    }

    String task = Api.openTaskOf(decision, "low-confidence");
    Reply verdict = Api.approveAsReviewer(task, "Income covers it.");
    assertEquals(200, verdict.status(), verdict.toString());
    Instant settledAt = Instant.parse(verdict.json().getJsonObject("settlement").getString("at"));

    JsonObject row = jsonRows(query).get(decision);
    assertNotNull(row, "the settled decision has a row");
    assertEquals("settled", row.getString("status"), row.toString());
    assertEquals("approve", row.getString("reviewOutcome"), row.toString());
    assertEquals("consensus", row.getString("reviewBasis"), row.toString());
    assertTrue(row.getBoolean("reviewOverridesModel"), "the model said reject: " + row);
    assertEquals(settledAt, Instant.parse(row.getString("settledAt")), row.toString());

    java.util.Map<String, String> cells = csvRow(query, decision).orElseThrow();
    assertEquals("settled", cells.get("status"));
    assertEquals("approve", cells.get("reviewOutcome"));
    assertEquals("consensus", cells.get("reviewBasis"));
    assertEquals("true", cells.get("reviewOverridesModel"));
    assertEquals(settledAt, Instant.parse(cells.get("settledAt")));
  }

  @Test
  void table_window_isHalfOpen_andLeavesOutDecisionsOutsideIt() {
    String model = ownModel("windowed", "1");
    String decision = submitApproved(model, "1", null);
    JsonObject row = jsonRows("model=" + model).get(decision);
    assertNotNull(row, "the default window (the last 30 days) holds it");
    Instant at = Instant.parse(row.getString("submittedAt"));
    Instant after = at.plusMillis(1);
    String m = "model=" + model;

    assertTrue(
        jsonRows(m + "&from=" + at + "&to=" + after).containsKey(decision), "from inclusive");
    assertTrue(csvRow(m + "&from=" + at + "&to=" + after, decision).isPresent());
    assertFalse(jsonRows(m + "&from=" + after).containsKey(decision), "a window after it");
    assertTrue(csvRow(m + "&from=" + after, decision).isEmpty());
    assertFalse(
        jsonRows(m + "&from=" + at.minusSeconds(3600) + "&to=" + at).containsKey(decision),
        "to exclusive");
    assertTrue(csvRow(m + "&from=" + at.minusSeconds(3600) + "&to=" + at, decision).isEmpty());
    assertFalse(
        jsonRows(m + "&from=2020-01-01T00:00:00Z&to=2020-06-01T00:00:00Z").containsKey(decision),
        "a window long before it");
  }

  @Test
  void table_modelVersionAndTenant_narrowTheRows() {
    String model = ownModel("scoped", "1", "2");
    String acme = submitApproved(model, "1", "acme");
    String untenanted = submitApproved(model, "1", null);
    String second = submitApproved(model, "2", null);
    String m = "model=" + model;

    assertEquals(java.util.Set.of(acme, untenanted, second), jsonRows(m).keySet());
    assertEquals(java.util.Set.of(acme, untenanted), jsonRows(m + "&modelVersion=1").keySet());
    assertEquals(java.util.Set.of(second), jsonRows(m + "&modelVersion=2").keySet());
    assertEquals(java.util.Set.of(acme), jsonRows(m + "&tenant=acme").keySet());
    assertEquals("acme", jsonRows(m + "&tenant=acme").get(acme).getString("tenant"));
    assertEquals(java.util.Set.of(acme), jsonRows(m + "&modelVersion=1&tenant=acme").keySet());
    assertEquals(java.util.Set.of(), jsonRows(m + "&modelVersion=2&tenant=acme").keySet());
    assertEquals(java.util.Set.of(), jsonRows(m + "&tenant=globex").keySet());

    assertTrue(csvRow(m + "&modelVersion=1", acme).isPresent());
    assertTrue(csvRow(m + "&modelVersion=2", acme).isEmpty());
    assertTrue(csvRow(m + "&tenant=acme", acme).isPresent());
    assertTrue(csvRow(m + "&tenant=acme", untenanted).isEmpty());
    assertEquals("acme", csvRow(m, acme).orElseThrow().get("tenant"));
    assertEquals("", csvRow(m, untenanted).orElseThrow().get("tenant"));
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
