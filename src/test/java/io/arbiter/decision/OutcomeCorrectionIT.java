package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ground truth is corrected over HTTP (issue 18, item 6): a second outcome without a reason is a
 * conflict naming {@code reason}; with one it is recorded as a new revision that revises the first
 * in the graph, the decision shows the latest, and the HITL figures of the model are measured
 * against it. The test owns its model and policy (one rule, {@code condition: true}, approves
 * everything), so the figures are its decision's alone.
 */
@ExtendWith(ArquillianExtension.class)
class OutcomeCorrectionIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "corrected-" + TAG;
  private static final String POLICY = "corrected-policy-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static void assertProblem(Reply reply, int status, String type, String field) {
    assertEquals(status, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals("https://w3id.org/arbiter/problems/" + type, reply.json().getString("type"));
    assertEquals(
        field,
        reply.json().getJsonArray("errors").getJsonObject(0).getString("field"),
        reply.toString());
  }

  private static JsonObject automatedAccuracy() {
    Reply hitl = get("/api/v1/metrics/hitl?model=" + MODEL, "auditor", "application/json");
    assertEquals(200, hitl.status(), hitl.toString());
    return hitl.json().getJsonObject("automatedAgainstOutcomes");
  }

  @Test
  void secondOutcome_needsAReasonAndRevisesTheFirst_theLatestIsMeasured() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - {id: always, condition: true, route: approve}
        """
            .formatted(POLICY, MODEL),
        POLICY,
        "1");
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "loan-%s", "input": {},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(MODEL, TAG));
    assertEquals(201, submitted.status(), submitted.toString());
    String id = submitted.json().getString("id");
    String outcome = "/api/v1/decisions/" + id + "/outcome";

    assertProblem(
        postJson(outcome, "integrator", "{\"outcome\": \"reject\", \"reason\": \"why\"}"),
        422,
        "invalid-request",
        "reason");
    Reply first = postJson(outcome, "integrator", "{\"outcome\": \"reject\", \"note\": \"late\"}");
    assertEquals(201, first.status(), first.toString());
    assertEquals(1, first.json().getInt("revision"));
    assertFalse(first.json().containsKey("reason"), first.toString());
    assertEquals(0.0, automatedAccuracy().getJsonNumber("accuracy").doubleValue());

    assertProblem(
        postJson(outcome, "integrator", "{\"outcome\": \"approve\"}"),
        409,
        "state-conflict",
        "reason");
    assertProblem(
        postJson(outcome, "integrator", "{\"outcome\": \"approve\", \"reason\": \"  \"}"),
        422,
        "invalid-request",
        "reason");
    assertProblem(
        postJson(
            outcome,
            "integrator",
            "{\"outcome\": \"approve\", \"reason\": \"x\", \"observedAt\": \""
                + first.json().getString("observedAt").replaceFirst("^\\d{4}", "2000")
                + "\"}"),
        422,
        "invalid-request",
        "observedAt");

    Reply corrected =
        postJson(
            outcome,
            "integrator",
            "{\"outcome\": \"approve\", \"reason\": \"the arrears were a bank error\"}");
    assertEquals(201, corrected.status(), corrected.toString());
    assertEquals(2, corrected.json().getInt("revision"));
    assertEquals("the arrears were a bank error", corrected.json().getString("reason"));

    JsonObject accuracy = automatedAccuracy();
    assertEquals(1, accuracy.getInt("withOutcome"), accuracy.toString());
    assertEquals(1.0, accuracy.getJsonNumber("accuracy").doubleValue(), accuracy.toString());

    // Both stay in the graph: the correction revises the first, with its reason.
    Reply rows =
        Api.sparql(
            "auditor",
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?truth ?route ?revises ?reason WHERE {
              ?decision dcterms:identifier "%s" .
              ?truth arb:outcomeOf ?decision ; arb:route ?route .
              OPTIONAL { ?truth prov:wasRevisionOf ?revises ; arb:correctionReason ?reason }
            } ORDER BY ?truth"""
                .formatted(id),
            "application/sparql-results+json");
    assertEquals(200, rows.status(), rows.toString());
    List<JsonObject> truths =
        rows.json().getJsonObject("results").getJsonArray("bindings").stream()
            .map(JsonValue::asJsonObject)
            .toList();
    assertEquals(2, truths.size(), rows.toString());
    String firstIri = value(truths.get(0), "truth");
    assertTrue(firstIri.endsWith("/decisions/" + id + "/outcome"), rows.toString());
    assertEquals("https://w3id.org/arbiter#RouteReject", value(truths.get(0), "route"));
    assertEquals("", value(truths.get(0), "revises"));
    assertEquals(firstIri + "/2", value(truths.get(1), "truth"));
    assertEquals("https://w3id.org/arbiter#RouteApprove", value(truths.get(1), "route"));
    assertEquals(firstIri, value(truths.get(1), "revises"));
    assertEquals("the arrears were a bank error", value(truths.get(1), "reason"));
  }

  private static String value(JsonObject binding, String name) {
    return binding.containsKey(name) ? binding.getJsonObject(name).getString("value") : "";
  }
}
