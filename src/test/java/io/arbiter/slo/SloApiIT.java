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
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bundled objectives over HTTP, counting the server's own decisions. */
@ExtendWith(ArquillianExtension.class)
class SloApiIT {

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
}
