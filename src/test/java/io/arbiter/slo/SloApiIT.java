package io.arbiter.slo;

import static io.arbiter.testing.Api.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import jakarta.json.JsonObject;
import java.time.Duration;
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
 * The objectives over HTTP, counting the server's own decisions: the bundled ones over every
 * decision, and the test server's scoped one ({@code src/test/liberty/objectives.yaml}) over the
 * decisions of its model, version, tenant and site alone.
 */
@ExtendWith(ArquillianExtension.class)
class SloApiIT {

  /** The test server's scoped objective, and the review queue of its model's policy here. */
  private static final String SCOPED = "screening-north-within-sla";

  private static final String QUEUE =
      "slo-screening-" + UUID.randomUUID().toString().substring(0, 8);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void objectivesCountDecisionsAndNeedARole() throws Exception {
    assertEquals(403, get("/api/v1/slos", "integrator", "application/json").status());
    Reply before = get("/api/v1/slos/escalation-band", "auditor", "application/json");
    assertEquals(200, before.status(), before.toString());
    long counted = before.json().getJsonNumber("total").longValue();

    Reply submitted =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            Fixtures.requestJson(1000, 100000, 0.1, "approve", 0.9));
    assertEquals(201, submitted.status(), submitted.toString());

    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    JsonObject band = null;
    while (Instant.now().isBefore(deadline)) {
      band = get("/api/v1/slos/escalation-band", "auditor", "application/json").json();
      if (band.getJsonNumber("total").longValue() > counted) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(band.getJsonNumber("total").longValue() > counted, String.valueOf(band));
    assertEquals("escalation-rate", band.getString("kind"));
    assertEquals(0.05, band.getJsonObject("band").getJsonNumber("min").doubleValue());
    assertTrue(band.containsKey("sli") && band.containsKey("evaluatedAt"), band.toString());

    Reply all = get("/api/v1/slos", "policy-approver", "application/json");
    assertEquals(200, all.status());
    assertEquals(
        List.of(
            "automated-latency",
            "reviews-within-sla",
            "escalation-band",
            "screening-north-within-sla",
            "screening-globex-within-sla"),
        jakarta.json.Json.createReader(new java.io.StringReader(all.body())).readArray().stream()
            .map(v -> v.asJsonObject().getString("id"))
            .toList());
    JsonObject latency =
        get("/api/v1/slos/automated-latency", "auditor", "application/json").json();
    assertEquals("PT0.1S", latency.getString("latency"));
    assertEquals(0.99, latency.getJsonNumber("target").doubleValue());
    assertEquals(404, get("/api/v1/slos/nope", "auditor", "application/json").status());
    assertTrue(!latency.containsKey("scope"), "the bundled objectives count every decision");

    // The bundled objectives are over every model: none is one model's, tenant's or site's. The
    // test server's scoped one (src/test/liberty/objectives.yaml) is its model's, tenant's and
    // site's; its other, globex's, is another model's.
    for (String query :
        List.of(
            "model=demo-credit",
            "tenant=initech",
            "contextKey=site&contextValue=south",
            "model=slo-screening&contextKey=floor&contextValue=north",
            "model=slo-screening&modelVersion=2")) {
      Reply scoped = get("/api/v1/slos?" + query, "auditor", "application/json");
      assertEquals(200, scoped.status(), scoped.toString());
      assertEquals("[]", scoped.body().strip(), query);
    }
    for (String query :
        List.of(
            "model=slo-screening",
            "model=slo-screening&modelVersion=1",
            "tenant=acme",
            "contextKey=site&contextValue=north",
            "model=slo-screening&tenant=acme&contextKey=site&contextValue=north")) {
      Reply scoped = get("/api/v1/slos?" + query, "auditor", "application/json");
      assertEquals(200, scoped.status(), scoped.toString());
      var listed =
          jakarta.json.Json.createReader(new java.io.StringReader(scoped.body())).readArray();
      assertEquals(1, listed.size(), query + ": " + scoped.body());
      JsonObject objective = listed.getJsonObject(0);
      assertEquals("screening-north-within-sla", objective.getString("id"));
      assertTrue(objective.containsKey("scope"), objective.toString());
    }
    for (String[] bad :
        new String[][] {
          {"model=%20x", "model"},
          {"contextKey=site", "contextValue"},
          {"tenant=a%2Fb", "tenant"},
          {"modelVersion=1", "modelVersion"}
        }) {
      Reply refused = get("/api/v1/slos?" + bad[0], "auditor", "application/json");
      assertEquals(400, refused.status(), refused.toString());
      assertEquals(
          bad[1], refused.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    }
  }

  /**
   * The scoped objective counts a settled escalation only when the decision is of slo-screening/1,
   * for acme, at the north site: three such settlements move its counts by three, and settlements
   * of the same model for another tenant or another site do not move them. Each filter the
   * objective's scope answers to lists it with those counts.
   */
  @Test
  @Timeout(120)
  void scopedObjective_countsOnlyItsModelTenantAndSitesSettlements() throws Exception {
    Api.registerModelVersion("slo-screening", "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: slo-screening-policy
        version: 1
        scope: {models: [slo-screening]}
        rules:
          - id: everything
            condition: true
            route: review
            review: {queue: %s, reviewers: 1, sla: PT24H}
        """
            .formatted(QUEUE),
        "slo-screening-policy",
        "1");
    JsonObject before = scopedObjective("");

    List<String> outOfScope =
        List.of(
            submitScreening("integrator2", "globex", "north"),
            submitScreening("integrator", "acme", "south"));
    List<String> inScope =
        List.of(
            submitScreening("integrator", "acme", "north"),
            submitScreening("integrator", "acme", "north"),
            submitScreening("integrator", "acme", "north"));
    Instant lastSettled = Instant.EPOCH;
    for (String decision :
        java.util.stream.Stream.concat(outOfScope.stream(), inScope.stream()).toList()) {
      Reply verdict =
          Api.verdictAsReviewer(Api.openTaskOf(decision, QUEUE), "approve", "confirmed", null);
      assertEquals(200, verdict.status(), verdict.toString());
      Instant at = Instant.parse(verdict.json().getJsonObject("settlement").getString("at"));
      lastSettled = at.isAfter(lastSettled) ? at : lastSettled;
    }

    // Settlements are counted as they are recorded; the status is as of the last evaluation (every
    // arbiter.slo.interval), so wait for one after the last settlement.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    JsonObject after = scopedObjective("");
    while (!Instant.parse(after.getString("evaluatedAt")).isAfter(lastSettled)
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      after = scopedObjective("");
    }
    assertTrue(
        Instant.parse(after.getString("evaluatedAt")).isAfter(lastSettled),
        "no evaluation after " + lastSettled + ": " + after);
    long good = before.getJsonNumber("good").longValue() + inScope.size();
    long total = before.getJsonNumber("total").longValue() + inScope.size();
    assertEquals(total, after.getJsonNumber("total").longValue(), after.toString());
    assertEquals(good, after.getJsonNumber("good").longValue(), after.toString());
    assertEquals((double) good / total, after.getJsonNumber("sli").doubleValue(), after.toString());
    assertTrue(!after.getBoolean("judged") && !after.getBoolean("breached"), after.toString());

    for (String query :
        List.of(
            "?model=slo-screening",
            "?model=slo-screening&modelVersion=1",
            "?tenant=acme",
            "?contextKey=site&contextValue=north")) {
      JsonObject listed = scopedObjective(query);
      assertEquals(total, listed.getJsonNumber("total").longValue(), query + ": " + listed);
      assertEquals(good, listed.getJsonNumber("good").longValue(), query + ": " + listed);
    }
  }

  /**
   * A decision of slo-screening/1 for {@code tenant} at {@code site}, submitted by {@code caller}
   * and sent to review; its id.
   */
  private static String submitScreening(String caller, String tenant, String site) {
    Reply reply =
        Api.postJson(
            "/api/v1/decisions",
            caller,
            """
            {"model": {"name": "slo-screening", "version": "1"}, "subject": "slo-%s",
             "tenant": "%s", "context": {"site": "%s"}, "input": {},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID(), tenant, site));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  /**
   * The scoped objective as {@code /api/v1/slos} lists it under {@code query} (which must list it
   * alone), or as {@code /api/v1/slos/{id}} reads it when {@code query} is empty.
   */
  private static JsonObject scopedObjective(String query) {
    if (query.isEmpty()) {
      Reply one = get("/api/v1/slos/" + SCOPED, "auditor", "application/json");
      assertEquals(200, one.status(), one.toString());
      return one.json();
    }
    Reply listed = get("/api/v1/slos" + query, "auditor", "application/json");
    assertEquals(200, listed.status(), listed.toString());
    var objectives =
        jakarta.json.Json.createReader(new java.io.StringReader(listed.body())).readArray();
    assertEquals(1, objectives.size(), query + ": " + listed.body());
    assertEquals(SCOPED, objectives.getJsonObject(0).getString("id"), query);
    return objectives.getJsonObject(0);
  }
}
