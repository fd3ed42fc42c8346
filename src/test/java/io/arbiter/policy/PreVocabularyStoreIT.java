package io.arbiter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A store written before outcome vocabularies keeps its meaning (issue 18, item 1): today's server
 * started on the journal a release without them wrote ({@code src/test/resources/pre-vocabulary},
 * made by its {@code seed.sh} on commit 01663b0) reads approve/reject as the demo vocabulary. The
 * figures below are the ones that release itself answered over the same journal — overrides, the
 * HITL and review figures, the overrides-by-reviewer audit query — and a task left open then is
 * settled now under the same justification rule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreVocabularyStoreIT {

  private static final int PORT = 9406;

  private static final String WINDOW = "from=2026-12-07T00:00:00Z&to=2026-12-08T00:00:00Z";
  private static final String AUTOMATED_APPROVE = "01a24fff-6577-755d-82bd-87ca13a52618";
  private static final String AUTOMATED_REJECT = "01a24fff-6720-7b19-ba1c-5e1148889b19";
  private static final String OVERRIDDEN = "01a24fff-68be-7d57-8469-e4a34cd485ce";
  private static final String AGREED = "01a24fff-6a69-7152-b7fd-370872e4ef2e";
  private static final String RULED = "01a24fff-6bf3-7d50-bd5d-6e9444d1b624";
  private static final String OPEN = "01a24fff-6d77-7189-9079-fa2f1b6977c9";
  private static final String OPEN_BLIND = "01a24fff-6f3a-79ec-9a8c-fb342f1da5df";

  private static OwnServer server;

  @BeforeAll
  static void startOnTheOldJournal() throws Exception {
    server =
        new OwnServer(
            "arbiter-pre-vocabulary",
            PORT,
            Map.of("arbiter.base-iri", OwnServer.PRE_VOCABULARY_BASE_IRI));
    server.placePreVocabularyJournal();
    server.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> reply = server.send("GET", path, "auditor", null);
    assertEquals(200, reply.statusCode(), path + ": " + reply.body());
    return OwnServer.json(reply.body());
  }

  private static JsonObject decision(String id) throws Exception {
    return get("/api/v1/decisions/" + id);
  }

  @Test
  @Order(1)
  void decisions_keepTheirRoutesAndOverrides() throws Exception {
    assertEquals("approve", decision(AUTOMATED_APPROVE).getString("route"));
    assertEquals("reject", decision(AUTOMATED_REJECT).getString("route"));
    // [decision, outcome, basis, overrides the model's approve]
    List<List<Object>> settled =
        List.of(
            List.of(OVERRIDDEN, "reject", "consensus", true),
            List.of(AGREED, "approve", "consensus", false),
            List.of(RULED, "reject", "adjudication", true));
    for (List<Object> expected : settled) {
      JsonObject view = decision((String) expected.get(0));
      assertEquals("settled", view.getString("status"), view.toString());
      JsonObject resolution = view.getJsonObject("resolution");
      assertEquals(expected.get(1), resolution.getString("outcome"), view.toString());
      assertEquals(expected.get(2), resolution.getString("basis"), view.toString());
      assertEquals(
          expected.get(3), resolution.getBoolean("overridesRecommendation"), view.toString());
    }
    assertEquals("pending_review", decision(OPEN).getString("status"));
    assertEquals("pending_review", decision(OPEN_BLIND).getString("status"));
  }

  @Test
  @Order(1)
  void policyVersion_readsAsTheDemoVocabulary() throws Exception {
    JsonObject vocabulary =
        get("/api/v1/policies/demo-credit-policy/versions/1").getJsonObject("vocabulary");
    assertEquals(
        List.of("approve", "reject"), strings(vocabulary, "outcomes"), vocabulary.toString());
    assertEquals("approve", vocabulary.getString("positive"), vocabulary.toString());
  }

  /** The figures the release before vocabularies gave for this journal, digit for digit. */
  @Test
  @Order(1)
  void hitlAndReviewFigures_areThoseTheOldReleaseGave() throws Exception {
    JsonObject hitl = get("/api/v1/metrics/hitl?model=demo-credit&" + WINDOW);
    assertEquals(7, hitl.getInt("decisions"));
    assertEquals(2, hitl.getInt("automated"));
    assertEquals(5, hitl.getInt("escalated"));
    assertEquals(3, hitl.getInt("settled"));
    assertEquals(2.0 / 3, hitl.getJsonNumber("overrideRate").doubleValue(), 1e-12);
    JsonObject reviewed = hitl.getJsonObject("reviewedAgainstOutcomes");
    assertEquals(2, reviewed.getInt("withOutcome"), hitl.toString());
    assertEquals(1.0, reviewed.getJsonNumber("accuracy").doubleValue(), hitl.toString());
    JsonObject automated = hitl.getJsonObject("automatedAgainstOutcomes");
    assertEquals(1, automated.getInt("withOutcome"), hitl.toString());
    assertEquals(0.0, automated.getJsonNumber("accuracy").doubleValue(), hitl.toString());

    JsonObject reviews = get("/api/v1/reviews/metrics?" + WINDOW);
    JsonObject overall = reviews.getJsonObject("overall");
    assertEquals(5, overall.getInt("tasks"), overall.toString());
    assertEquals(5, overall.getInt("verdicts"), overall.toString());
    assertEquals(0.6, overall.getJsonNumber("overrideRate").doubleValue(), 1e-12);
    JsonObject bias = overall.getJsonObject("bias");
    assertEquals(0.5, bias.getJsonNumber("sightedAgreementWithModel").doubleValue(), 1e-12);
    assertEquals(1.0 / 3, bias.getJsonNumber("blindAgreementWithModel").doubleValue(), 1e-12);
    JsonObject byReviewer = reviews.getJsonObject("byReviewer");
    assertEquals(0.0, sightedAgreement(byReviewer, "reviewer"), byReviewer.toString());
    assertEquals(1.0, sightedAgreement(byReviewer, "reviewer2"), byReviewer.toString());
  }

  private static double sightedAgreement(JsonObject byReviewer, String reviewer) {
    return byReviewer
        .getJsonObject(reviewer)
        .getJsonObject("bias")
        .getJsonNumber("sightedAgreementWithModel")
        .doubleValue();
  }

  @Test
  @Order(1)
  void overridesByReviewer_countsAsTheOldReleaseDid() throws Exception {
    HttpResponse<String> reply =
        server.send(
            "POST",
            "/api/v1/audit/queries/overrides-by-reviewer",
            "auditor",
            "{\"from\": \"2026-12-07T00:00:00Z\", \"to\": \"2026-12-08T00:00:00Z\"}");
    assertEquals(200, reply.statusCode(), reply.body());
    List<String> rows = new ArrayList<>();
    for (var binding :
        OwnServer.json(reply.body()).getJsonObject("results").getJsonArray("bindings")) {
      JsonObject row = binding.asJsonObject();
      rows.add(
          String.join(
              ",",
              value(row, "reviewer"),
              value(row, "reasonCode"),
              value(row, "verdicts"),
              value(row, "overrides")));
    }
    assertEquals(
        List.of(
            "lead-reviewer,too-large,1,1",
            "reviewer,income-too-low,1,1",
            "reviewer,income-verified,1,0",
            "reviewer2,income-verified,1,0",
            "reviewer2,too-large,1,1"),
        rows.stream().sorted().toList(),
        reply.body());
  }

  /**
   * The task left open before vocabularies is settled today as then: agreeing with the model's
   * approve needs no justification, going against it does.
   */
  @Test
  @Order(2)
  void openTask_settlesUnderTheSameJustificationRule() throws Exception {
    assertEquals(
        200,
        server.send("POST", "/api/v1/reviews/" + OPEN + "/claim", "reviewer", "").statusCode());
    HttpResponse<String> unjustified =
        server.send(
            "POST",
            "/api/v1/reviews/" + OPEN + "/verdict",
            "reviewer",
            "{\"verdict\": \"reject\", \"reasonCode\": \"income-too-low\", \"rules\": [\"default\"]}");
    assertEquals(422, unjustified.statusCode(), unjustified.body());
    assertTrue(unjustified.body().contains("\"justification\""), unjustified.body());

    HttpResponse<String> agreeing =
        server.send(
            "POST",
            "/api/v1/reviews/" + OPEN + "/verdict",
            "reviewer",
            "{\"verdict\": \"approve\", \"reasonCode\": \"income-verified\", \"rules\": [\"default\"]}");
    assertEquals(200, agreeing.statusCode(), agreeing.body());
    JsonObject settlement = OwnServer.json(agreeing.body()).getJsonObject("settlement");
    assertEquals("approve", settlement.getString("outcome"), agreeing.body());
    assertFalse(settlement.getBoolean("overridesRecommendation"), agreeing.body());
    assertEquals("settled", decision(OPEN).getString("status"));

    HttpResponse<String> verification = server.send("POST", "/api/v1/ledger/verify", "auditor", "");
    assertTrue(OwnServer.json(verification.body()).getBoolean("ok"), verification.body());
  }

  private static List<String> strings(JsonObject object, String key) {
    return object.getJsonArray(key).getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }

  private static String value(JsonObject row, String name) {
    return row.getJsonObject(name).getString("value");
  }
}
