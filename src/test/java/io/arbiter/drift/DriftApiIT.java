package io.arbiter.drift;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.jena.query.ParameterizedSparqlString;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7's done-when, over HTTP on the managed Liberty: a registered model's inputs shift, the
 * drift alarm fires, the next decisions go to humans under the drift guardrail, the alarm clears
 * after the inputs return, and SPARQL lists the decisions made during drift. The server assesses
 * windows of 40 values every 0.2 s (test bootstrap.properties); the model {@code drift-demo} is
 * this test's own.
 */
@ExtendWith(ArquillianExtension.class)
class DriftApiIT {

  private static final String MODEL = "/api/v1/models/drift-demo/versions/1";

  /** Amounts spread evenly over four bins of 250. */
  private static final String REFERENCE =
      """
      {"inputs": {"amount": {"type": "histogram", "edges": [0, 250, 500, 750, 1000],
                             "counts": [25, 25, 25, 25]}}}""";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static Reply put(String path, String user, String json) {
    return Api.send(
        Api.request(path, user)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static Reply decide(double amount) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "drift-demo", "version": "1"}, "subject": "drift-%s",
             "input": {"amount": %s}, "output": {"label": "approve", "score": 0.9, "confidence": 0.95}}"""
                .formatted(UUID.randomUUID(), amount));
    // 201 when automated, 202 when pending review
    assertTrue(reply.status() == 201 || reply.status() == 202, reply.toString());
    return reply;
  }

  /**
   * n (a multiple of 4, coprime with 17) decisions with amounts spread evenly over [low, high), in
   * an order that keeps every prefix spread too: the server assesses windows while they fill, and
   * ascending amounts would look like drift.
   */
  private static List<Reply> decide(int n, double low, double high) {
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i * 17 % n;
      replies.add(decide(low + (high - low) * (k + 0.5) / n));
    }
    return replies;
  }

  /** The drift status once an assessment after {@code since} satisfies {@code condition}. */
  private static JsonObject awaitDrift(Instant since, Predicate<JsonObject> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonObject status = null;
    while (Instant.now().isBefore(deadline)) {
      Reply reply = get(MODEL + "/drift", "auditor", "application/json");
      assertEquals(200, reply.status(), reply.toString());
      status = reply.json();
      if (status.containsKey("assessedAt")
          && Instant.parse(status.getString("assessedAt")).isAfter(since)
          && condition.test(status)) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such assessment within 20 s; last: " + status);
  }

  private static double psi(JsonObject status) {
    return status.getJsonArray("inputs").getJsonObject(0).getJsonNumber("psi").doubleValue();
  }

  @Test
  void aShiftRaisesTheAlarm_humansDecide_theAlarmClears_andSparqlListsTheDecisions()
      throws Exception {
    String version = "it-" + UUID.randomUUID().toString().substring(0, 8);
    String policy =
        """
        id: drift-demo-policy
        version: %s
        scope: {models: [drift-demo]}
        inputs: {amount: number}
        guardrails:
          - id: input-drift
            description: Live inputs have drifted from the reference; humans decide meanwhile.
            condition: drift.alarm
            route: review
            review: {queue: drift-watch, reviewers: 1, sla: PT24H}
        rules:
          - {id: small, condition: input.amount < 1000.0, route: approve}
        default: {route: review}
        """
            .formatted(version);
    Api.activatePolicy(policy, "drift-demo-policy", version);

    // Only policy authors and admins upload references; bad ones name the field.
    assertEquals(403, put(MODEL + "/reference", "integrator", REFERENCE).status());
    Reply invalid =
        put(
            MODEL + "/reference",
            "policy-author",
            "{\"inputs\": {\"amount\": {\"type\": \"histogram\", \"edges\": [1, 0], \"counts\": [1]}}}");
    assertEquals(422, invalid.status(), invalid.toString());
    assertTrue(invalid.contentType().startsWith("application/problem+json"));
    assertEquals(
        "inputs.amount.edges",
        invalid.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(
        404, put("/api/v1/models/nobody/versions/1/reference", "admin", REFERENCE).status());
    // Four eyes: an upload waits for another person's approval before it is in force.
    Reply first = put(MODEL + "/reference", "policy-author", REFERENCE);
    assertEquals(202, first.status(), first.toString());
    assertEquals("pending", first.json().getString("status"));
    assertEquals(404, get(MODEL + "/reference", "auditor", "application/json").status());
    Reply uploaded = put(MODEL + "/reference", "governor", REFERENCE); // replaces the first
    assertEquals(202, uploaded.status(), uploaded.toString());
    String referenceIri = uploaded.json().getString("iri");
    Reply pending = get(MODEL + "/reference/pending", "auditor", "application/json");
    assertEquals(referenceIri, pending.json().getString("iri"));
    assertEquals("governor", pending.json().getString("author"));
    String approval = "{\"reference\": \"%s\"}";
    // governor holds both policy roles: the server, not the role map, stops the self-approval.
    Reply own =
        postJson(MODEL + "/reference/approve", "governor", approval.formatted(referenceIri));
    assertEquals(403, own.status(), own.toString());
    assertTrue(own.json().getString("type").endsWith("/separation-of-duties"), own.toString());
    assertEquals(
        403,
        postJson(MODEL + "/reference/approve", "policy-author", approval.formatted(referenceIri))
            .status(),
        "authors do not approve");
    Reply stale =
        postJson(
            MODEL + "/reference/approve",
            "policy-approver",
            approval.formatted(first.json().getString("iri")));
    assertEquals(409, stale.status(), "the first upload was replaced: " + stale);
    Reply unnamed = postJson(MODEL + "/reference/approve", "policy-approver", "{}");
    assertEquals(422, unnamed.status(), unnamed.toString());
    assertEquals(
        "reference", unnamed.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(404, get(MODEL + "/reference", "auditor", "application/json").status());
    Reply approved =
        postJson(MODEL + "/reference/approve", "policy-approver", approval.formatted(referenceIri));
    assertEquals(200, approved.status(), approved.toString());
    assertEquals(referenceIri, approved.json().getString("iri"));
    assertEquals(404, get(MODEL + "/reference/pending", "auditor", "application/json").status());
    Reply reference = get(MODEL + "/reference", "auditor", "application/json");
    assertEquals(referenceIri, reference.json().getString("iri"));
    // PROV-AQ: the profile is an entity of the graph, and its provenance is one link away.
    String provenance =
        reference.raw().headers().allValues("Link").stream()
            .filter(
                l ->
                    l.contains("rel=\"http://www.w3.org/ns/prov#has_provenance\"")
                        && l.contains("anchor=\"" + referenceIri + "\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError(reference.raw().headers().toString()));
    String target = provenance.substring(provenance.indexOf('<') + 1, provenance.indexOf('>'));
    Reply described = get(target.substring(target.indexOf("/id/")), "auditor", "text/turtle");
    assertEquals(200, described.status(), described.toString());
    assertTrue(described.body().contains("ReferenceProfile"), described.body());

    // Inputs like the reference: assessed, no alarm, automated.
    Instant start = Instant.now();
    List<Reply> calm = decide(40, 0, 1000);
    assertTrue(calm.stream().allMatch(r -> r.json().getString("route").equals("approve")));
    // (An alarm left by an earlier run on the same data directory clears here too.)
    JsonObject assessed =
        awaitDrift(
            start,
            s ->
                s.getJsonArray("inputs").getJsonObject(0).containsKey("psi")
                    && !s.getBoolean("alarm"));
    assertTrue(psi(assessed) < 0.05, assessed.toString());

    // Every amount in the top bin: the alarm fires.
    Instant shifted = Instant.now();
    List<Reply> shiftedReplies = decide(40, 750, 1000);
    JsonObject alarmed = awaitDrift(shifted, s -> s.getBoolean("alarm"));
    assertTrue(psi(alarmed) >= 0.2, alarmed.toString());
    String alarmIri = alarmed.getString("alarmIri");
    assertTrue(
        get("/api/v1/drift", "policy-approver", "application/json").body().contains(alarmIri),
        "the list of every monitored version shows the alarm too");
    assertTrue(
        get("/api/v1/drift?model=drift-demo&modelVersion=1", "auditor", "application/json")
            .body()
            .contains(alarmIri),
        "narrowed to its model and version");
    Reply otherModel = get("/api/v1/drift?model=demo-credit", "auditor", "application/json");
    assertEquals(200, otherModel.status(), otherModel.toString());
    assertFalse(otherModel.body().contains(alarmIri), otherModel.body());
    assertFalse(
        get("/api/v1/drift?model=drift-demo&modelVersion=2", "auditor", "application/json")
            .body()
            .contains(alarmIri));
    Reply versionAlone = get("/api/v1/drift?modelVersion=1", "auditor", "application/json");
    assertEquals(400, versionAlone.status(), versionAlone.toString());
    assertEquals(
        "modelVersion",
        versionAlone.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    // The next decision goes to humans under the drift guardrail.
    JsonObject during = decide(100).json();
    assertEquals("review", during.getString("route"), during.toString());
    assertEquals("input-drift", during.getJsonObject("rule").getString("id"));
    assertEquals("drift-watch", during.getJsonObject("review").getString("queue"));
    JsonObject pinned =
        get("/api/v1/decisions/" + during.getString("id"), "auditor", "application/json")
            .json()
            .getJsonObject("drift");
    assertTrue(pinned.getBoolean("alarm"), pinned.toString());
    assertEquals(alarmIri, pinned.getString("alarmIri"));
    assertTrue(pinned.getJsonObject("psi").getJsonNumber("amount").doubleValue() >= 0.2);

    // The inputs return; the alarm clears; decisions are automated again.
    Instant restored = Instant.now();
    List<Reply> returning = decide(40, 0, 1000);
    awaitDrift(restored, s -> !s.getBoolean("alarm"));
    JsonObject after = decide(100).json();
    assertEquals("approve", after.getString("route"), after.toString());

    // SPARQL, the library query: the decisions made while the alarm was raised. The server
    // assesses while decisions arrive, so the alarm may already have fired during the shifted
    // ones and cleared during the returning ones: the guardrail's decisions are the expected set.
    Set<String> expected = new TreeSet<>();
    expected.add(during.getString("id"));
    java.util.stream.Stream.concat(shiftedReplies.stream(), returning.stream())
        .map(Reply::json)
        .filter(r -> r.getJsonObject("rule").getString("id").equals("input-drift"))
        .forEach(r -> expected.add(r.getString("id")));
    var query =
        new ParameterizedSparqlString(
            Files.readString(Path.of("ontology/queries/decisions-during-drift.rq")));
    query.setIri("modelVersion", Api.BASE + "/id/models/drift-demo/versions/1");
    Reply rows = Api.sparql("auditor", query.toString(), "application/sparql-results+json");
    assertEquals(200, rows.status(), rows.toString());
    Set<String> listed = new TreeSet<>();
    rows.json()
        .getJsonObject("results")
        .getJsonArray("bindings")
        .forEach(
            b -> {
              JsonObject row = b.asJsonObject();
              if (row.getJsonObject("alarm").getString("value").equals(alarmIri)) {
                listed.add(row.getJsonObject("id").getString("value"));
                assertTrue(row.containsKey("clearedAt"), "the alarm has ended");
              }
            });
    assertEquals(expected, listed);
  }
}
