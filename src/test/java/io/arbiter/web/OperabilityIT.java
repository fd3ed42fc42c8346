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
          "/id/{collection}/{id}"
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
  void metrics_areServedInPrometheusText_toTheAdminOnly() {
    // One decision first, so the route counter and the intake timer exist.
    Reply submitted =
        io.arbiter.testing.Api.postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "metrics-it",
             "input": {"amount": 1000, "income": 90000, "riskScore": 0.1},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}""");
    assertEquals(201, submitted.status(), submitted.toString());
    // And one auditor's query, so the SPARQL timer has a series.
    Reply queried =
        io.arbiter.testing.Api.sparql(
            "auditor", "ASK { ?s ?p ?o }", "application/sparql-results+json");
    assertEquals(200, queried.status(), queried.toString());
    // Liberty serves an authenticated /metrics over TLS only.
    java.net.http.HttpResponse<String> metrics = io.arbiter.testing.Api.metrics("admin");
    assertEquals(200, metrics.statusCode(), metrics.body());
    String text = metrics.body();
    for (String name :
        new String[] {
          "arbiter_decisions_total{",
          "route=\"approve\"",
          "arbiter_decision_intake_seconds",
          "arbiter_review_queue_depth{",
          "queue=\"senior-credit\"",
          "arbiter_review_queue_oldest_age_seconds",
          "arbiter_ledger_unsigned_entries",
          "arbiter_callback_dead_letters"
        }) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
    // Timers and histograms with plausible figures: at least what this test did, in sane units.
    assertTrue(value(text, "arbiter_policy_evaluation_seconds_count") >= 1, text);
    assertBetween(value(text, "arbiter_policy_evaluation_seconds_max"), 0, 10, text);
    // The journal's group commits (batch-max 1024) and the projector's store transactions (5000).
    for (String[] path : new String[][] {{"journal", "1024"}, {"store", "5000"}}) {
      String name = "arbiter_" + path[0];
      assertTrue(value(text, name + "_commit_seconds_count") >= 1, text);
      assertBetween(value(text, name + "_commit_seconds_max"), 0, 60, text);
      double batches = value(text, name + "_batch_size_count");
      assertTrue(batches >= 1, text);
      assertTrue(value(text, name + "_batch_size_sum") >= batches, "a batch holds events");
      assertBetween(value(text, name + "_batch_size_max"), 0, Double.parseDouble(path[1]), text);
    }
    assertTrue(value(text, "arbiter_journal_events") >= 1, text);
    assertTrue(value(text, "arbiter_journal_bytes") > 0, text);
    assertBetween(value(text, "arbiter_projection_lag_events"), -1, 50_000, text);
    assertBetween(value(text, "arbiter_projection_lag_seconds"), -1, 30, text);
    assertTrue(
        value(text, "arbiter_sparql_query_seconds_count", "form=\"ask\"", "outcome=\"ok\"") >= 1,
        text);
    assertBetween(
        value(text, "arbiter_sparql_query_seconds_max", "form=\"ask\"", "outcome=\"ok\""),
        0,
        30,
        text);
    // Intake latency is also a histogram, with the configured buckets.
    assertTrue(
        value(text, "arbiter_decision_intake_seconds_bucket", "route=\"approve\"", "le=\"+Inf\"")
            >= 1,
        text);
    value(text, "arbiter_decision_intake_seconds_bucket", "le=\"0.1\"");
    // Every bundled objective has its three gauges; a breach flag is 0 or 1.
    for (String objective :
        java.util.List.of("automated-latency", "reviews-within-sla", "escalation-band")) {
      String tag = "objective=\"" + objective + "\"";
      double breached = value(text, "arbiter_slo_breached", tag);
      assertTrue(breached == 0 || breached == 1, text);
      value(text, "arbiter_slo_sli", tag);
      value(text, "arbiter_slo_burn_rate", tag);
      // Over every decision: the scope's labels are empty.
      value(text, "arbiter_slo_sli", tag, "model=\"\"", "tenant=\"\"", "context_key=\"\"");
    }
    // The test server's scoped objective (src/test/liberty/objectives.yaml) names its scope, so a
    // team selects its own objectives' series.
    for (String gauge :
        java.util.List.of("arbiter_slo_sli", "arbiter_slo_burn_rate", "arbiter_slo_breached")) {
      value(
          text,
          gauge,
          "objective=\"screening-north-within-sla\"",
          "model=\"slo-screening\"",
          "version=\"1\"",
          "tenant=\"acme\"",
          "context_key=\"site\"",
          "context_value=\"north\"");
    }
    assertEquals(401, io.arbiter.testing.Api.metrics(null).statusCode());
    assertEquals(403, io.arbiter.testing.Api.metrics("auditor").statusCode());
  }

  /**
   * The value of the first sample of {@code name} whose labels include {@code labels}, in
   * Prometheus text ({@code name{a="x",b="y",} 1.0}).
   */
  private static double value(String text, String name, String... labels) {
    return text.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " " + String.join(",", labels)));
  }

  /** {@code low < value <= high}. */
  private static void assertBetween(double value, double low, double high, String text) {
    assertTrue(value > low && value <= high, value + " not in (" + low + ", " + high + "]");
  }

  @Test
  void openapiUi_isServed() {
    Reply reply = get("/openapi/ui/", null, "text/html");
    assertEquals(200, reply.status());
    assertTrue(reply.body().toLowerCase().contains("<html"));
  }

  /**
   * The test server runs the demo, and its log says so in the words operators are told to look for.
   */
  @Test
  void demoMode_saysSoInTheServersLog() throws java.io.IOException {
    String log =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("target/liberty/wlp/usr/servers/arbiter-test/logs/messages.log"));
    assertTrue(log.contains("DEMO MODE (arbiter.mode=demo)"), "the demo does not say so");
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
        java.util.Set.of("journal", "graph-projection", "ledger-signer", "review-sla-sweep"),
        checks.keySet(),
        ready.toString());
    checks
        .values()
        .forEach(check -> assertEquals("UP", check.getString("status"), ready.toString()));
    assertTrue(checks.get("ledger-signer").getJsonObject("data").containsKey("unsigned"));
    JsonObject projection = checks.get("graph-projection").getJsonObject("data");
    assertEquals("up", projection.getString("store"), ready.toString());
    assertTrue(projection.containsKey("lagEvents") && projection.containsKey("lagMillis"));
    assertTrue(checks.get("journal").getJsonObject("data").getJsonNumber("events").longValue() > 0);
    assertEquals(200, get("/health/live", null, "application/json").status());
  }
}
