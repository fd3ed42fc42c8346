package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
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
 * Issue 18, item 6: the decision and settlement counters at {@code /metrics} carry a context tag
 * when one key is configured ({@code arbiter.metrics.context-key=region}, its value {@code EU}
 * counted under its name), over HTTP on a server of the test's own; the shared test server runs
 * without one, as the default is.
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

      String text = metrics();
      assertEquals(2, count(text, "arbiter_decisions_total", labels("approve", "EU")), text);
      assertEquals(1, count(text, "arbiter_decisions_total", labels("approve", "other")), text);
      assertEquals(1, count(text, "arbiter_decisions_total", labels("approve", "")), text);
      assertEquals(1, count(text, "arbiter_decisions_total", labels("review", "EU")), text);
      assertEquals(
          1,
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
