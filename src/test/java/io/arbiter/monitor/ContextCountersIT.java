package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Await;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.LoopbackTls;
import io.arbiter.testing.OwnServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 6: the decision, settlement, override and SLA-breach counters at {@code /metrics}
 * carry a context tag when one key is configured ({@code arbiter.metrics.context-key=region}, its
 * value {@code EU} counted under its name), over HTTP on a server of the test's own; the shared
 * test server runs without one, as the default is.
 */
class ContextCountersIT {

  private static final int PORT = 9408;
  private static final int HTTPS_PORT = 9448;
  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);

  /** The demo request (context region EU) in {@code region}, or in none if null. */
  private static String inRegion(double confidence, String region) {
    String json = Fixtures.requestJson(1000, 100000, 0.1, "approve", confidence);
    String changed =
        region == null
            ? json.replace("\"region\": \"EU\", ", "")
            : json.replace("\"region\": \"EU\"", "\"region\": \"" + region + "\"");
    assertTrue(!changed.equals(json) || "EU".equals(region), "the fixture changed shape");
    return changed;
  }

  private static String submit(OwnServer server, double confidence, String region)
      throws Exception {
    HttpResponse<String> reply =
        server.send("POST", "/api/v1/decisions", "integrator", inRegion(confidence, region));
    assertTrue(reply.statusCode() == 201 || reply.statusCode() == 202, reply.body());
    return OwnServer.json(reply.body()).getString("id");
  }

  private static String metrics() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://localhost:" + HTTPS_PORT + "/metrics?scope=application"))
            .header("Accept", "text/plain")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            ("admin:" + OwnServer.PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> reply =
        LoopbackTls.client().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, reply.statusCode(), reply.body());
    return reply.body();
  }

  private static double count(String text, String name, Map<String, String> labels) {
    return Api.sample(text, name, labels).orElse(0);
  }

  private static Map<String, String> labels(String route, String context) {
    return Map.of(
        "route", route, "model", "demo-credit", "version", "1", "tenant", "", "context", context);
  }

  private static final String MODEL = "breach-" + TAG;

  /**
   * Registers {@link #MODEL} with a policy sending everything to review with a one-second SLA,
   * submits one of its decisions in {@code region} and waits until the SLA sweep settles it.
   */
  private static void breachOneReview(OwnServer server, String region) throws Exception {
    HttpResponse<String> model =
        server.send(
            "POST",
            "/api/v1/registry/models/" + MODEL + "/versions",
            "data-steward",
            "{\"version\": \"1\"}");
    assertEquals(201, model.statusCode(), model.body());
    String policy = "breach-policy-" + TAG;
    HttpResponse<String> registered =
        server.send(
            "POST",
            "/api/v1/policies",
            "policy-author",
            "application/yaml",
            """
            id: %s
            version: 1
            scope: {models: [%s]}
            rules:
              - {id: everything, condition: true, route: review, review: {queue: q-%s, sla: PT1S}}
            """
                .formatted(policy, MODEL, TAG));
    assertEquals(201, registered.statusCode(), registered.body());
    for (String step : List.of("approve", "activate")) {
      HttpResponse<String> done =
          server.send(
              "POST",
              "/api/v1/policies/" + policy + "/versions/1/" + step,
              "policy-approver",
              "{}");
      assertEquals(200, done.statusCode(), step + ": " + done.body());
    }
    HttpResponse<String> submitted =
        server.send(
            "POST",
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "case-%s", "input": {},
             "context": {"region": "%s"},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(MODEL, UUID.randomUUID(), region));
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = OwnServer.json(submitted.body()).getString("id");
    String status =
        Await.settled(
            () ->
                OwnServer.json(
                        server.send("GET", "/api/v1/decisions/" + id, "auditor", null).body())
                    .getString("status"));
    assertEquals("settled", status, "the sweep settles the review once its SLA is past");
  }

  @Test
  void decisionAndSettlementCounters_carryTheConfiguredContextKeysValue_othersAsOther()
      throws Exception {
    try (OwnServer server =
        new OwnServer(
            "arbiter-context-metrics",
            PORT,
            Map.of(
                "https.port", Integer.toString(HTTPS_PORT),
                "arbiter.metrics.context-key", "region",
                "arbiter.metrics.context-values", "EU"))) {
      server.start();
      submit(server, 0.9, "EU");
      submit(server, 0.9, "EU");
      submit(server, 0.9, "walk-in-" + TAG);
      submit(server, 0.9, null);
      String escalated = submit(server, 0.5, "EU"); // the low-confidence guardrail: review

      // One approving verdict settles it, by consensus, in the EU series.
      assertEquals(
          200,
          server
              .send("POST", "/api/v1/reviews/" + escalated + "/claim", "reviewer", "")
              .statusCode());
      HttpResponse<String> verdict =
          server.send(
              "POST",
              "/api/v1/reviews/" + escalated + "/verdict",
              "reviewer",
              "{\"verdict\": \"approve\", \"reasonCode\": \"confident-enough\","
                  + " \"rules\": [\"low-confidence\"]}");
      assertEquals(200, verdict.statusCode(), verdict.body());

      // An override: a reviewer rejects what the model approved, in the EU.
      String overridden = submit(server, 0.5, "EU");
      assertEquals(
          200,
          server
              .send("POST", "/api/v1/reviews/" + overridden + "/claim", "reviewer", "")
              .statusCode());
      HttpResponse<String> against =
          server.send(
              "POST",
              "/api/v1/reviews/" + overridden + "/verdict",
              "reviewer",
              "{\"verdict\": \"reject\", \"reasonCode\": \"income-too-low\","
                  + " \"rules\": [\"low-confidence\"], \"justification\": \"It does not add up.\"}");
      assertEquals(200, against.statusCode(), against.body());

      // An SLA breach: a model of the test's own whose policy gives its reviews one second.
      breachOneReview(server, "walk-in-" + TAG);

      String text = metrics();
      Map<String, String> eu =
          Map.of("model", "demo-credit", "version", "1", "tenant", "", "context", "EU");
      assertEquals(1, count(text, "arbiter_overrides_total", eu), text);
      assertEquals(
          1,
          count(
              text,
              "arbiter_sla_breaches_total",
              Map.of("model", MODEL, "version", "1", "tenant", "", "context", "other")),
          text);
      assertEquals(
          0,
          count(
              text,
              "arbiter_sla_breaches_total",
              Map.of("model", MODEL, "version", "1", "tenant", "", "context", "EU")),
          text);
      assertEquals(2, count(text, "arbiter_decisions_total", labels("approve", "EU")), text);
      assertEquals(1, count(text, "arbiter_decisions_total", labels("approve", "other")), text);
      assertEquals(1, count(text, "arbiter_decisions_total", labels("approve", "")), text);
      assertEquals(2, count(text, "arbiter_decisions_total", labels("review", "EU")), text);
      assertEquals(
          2, // the agreeing verdict and the override
          count(
              text,
              "arbiter_settlements_total",
              Map.of(
                  "basis", "consensus",
                  "model", "demo-credit",
                  "version", "1",
                  "tenant", "",
                  "context", "EU")),
          text);
      assertEquals(
          List.of(),
          text.lines().filter(line -> line.contains("walk-in-")).toList(),
          "an undeclared value names no series");
    }
  }
}
