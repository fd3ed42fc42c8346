package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;

/**
 * The graph store goes away under load: a real Arbiter server with {@code arbiter.store=sparql}
 * against a real Fuseki, which is stopped while clients submit and started again on the same data
 * and port. Intake must go on throughout (the journal takes the decisions), health must say what is
 * wrong meanwhile, and once Fuseki is back the graph must catch up by itself — no restart of
 * Arbiter — to hold every acknowledged decision, with the verifier passing.
 */
class FusekiOutageIT {

  @Test
  void fusekiStoppedUnderLoad_intakeGoesOn_andTheGraphCatchesUpWhenItReturns() throws Exception {
    TestFuseki fuseki = TestFuseki.tdb2();
    var endpoints = fuseki.endpoints();
    try (OwnServer server =
        new OwnServer(
            "arbiter-fuseki",
            9390,
            Map.of(
                "arbiter.store", "sparql",
                "arbiter.store.sparql.query", endpoints.query(),
                "arbiter.store.sparql.update", endpoints.update(),
                "arbiter.store.sparql.gsp", endpoints.gsp(),
                "arbiter.projection.max-backoff", "PT2S",
                // Backpressure bounds longer than the outage: what is tested is intake going on
                // through an outage the bounds absorb. With the default 5 s a slow machine took
                // longer than that to acknowledge the 200 decisions during the outage, and intake
                // rightly refused with 503 past the bound.
                "arbiter.intake.max-lag", "PT3M",
                "arbiter.intake.max-admission-wait", "PT30S"))) {
      server.start();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      OwnServer.Load load = server.submitting(8, "outage", acknowledged, new AtomicInteger());
      try (load) {
        awaitAcknowledged(acknowledged, 100);

        fuseki.close(); // Fuseki goes away under load
        int atStop = acknowledged.size();
        awaitAcknowledged(acknowledged, atStop + 200);
        JsonObject projection = check(server, "graph-projection");
        assertTrue(
            projection.getJsonObject("data").containsKey("failure"),
            "health says why the graph lags: " + projection);
        assertEquals(
            "down", projection.getJsonObject("data").getString("store"), projection.toString());
        assertTrue(
            projection.getJsonObject("data").getJsonNumber("lagEvents").longValue() > 0,
            projection.toString());
        assertEquals("UP", check(server, "journal").getString("status"));

        fuseki = fuseki.restart(); // back on the same port, with the same data
        awaitAcknowledged(acknowledged, acknowledged.size() + 100);
      }
      assertEquals(List.of(), List.copyOf(load.refused), "no submission was refused or failed");

      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      JsonObject status = journal(server);
      while (status.getJsonNumber("lagEvents").longValue() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        status = journal(server);
      }
      assertEquals(0, status.getJsonNumber("lagEvents").longValue(), status.toString());
      assertTrue(!status.containsKey("failure") || status.isNull("failure"), status.toString());

      TestFuseki serving = fuseki;
      Set<String> inFuseki =
          Txn.calculateRead(
              serving.dataset,
              () -> {
                Set<String> ids = ConcurrentHashMap.newKeySet();
                serving
                    .dataset
                    .find(
                        org.apache.jena.graph.Node.ANY,
                        org.apache.jena.graph.Node.ANY,
                        RDF.type.asNode(),
                        NodeFactory.createURI("https://w3id.org/arbiter#Decision"))
                    .forEachRemaining(
                        quad -> {
                          String iri = quad.getSubject().getURI();
                          ids.add(iri.substring(iri.lastIndexOf('/') + 1));
                        });
                return ids;
              });
      assertTrue(
          inFuseki.containsAll(acknowledged),
          acknowledged.size() + " acknowledged, " + inFuseki.size() + " in Fuseki");
      HttpResponse<String> verification =
          server.send("POST", "/api/v1/ledger/verify", "auditor", "");
      assertTrue(OwnServer.json(verification.body()).getBoolean("ok"), verification.body());
      System.out.printf(
          "Fuseki outage test: %d decisions acknowledged, %d of them while Fuseki was down%n",
          acknowledged.size(), 200);
    } finally {
      fuseki.close();
    }
  }

  private static void awaitAcknowledged(Set<String> acknowledged, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (acknowledged.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(
        acknowledged.size() >= count, acknowledged.size() + " of " + count + " acknowledged");
  }

  private static JsonObject journal(OwnServer server) throws Exception {
    return OwnServer.json(server.send("GET", "/api/v1/journal", "admin", null).body());
  }

  private static JsonObject check(OwnServer server, String name) throws Exception {
    JsonObject health = OwnServer.json(server.send("GET", "/health/ready", null, null).body());
    return health.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals(name))
        .findFirst()
        .orElseThrow();
  }
}
