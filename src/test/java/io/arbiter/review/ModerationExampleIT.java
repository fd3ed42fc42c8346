package io.arbiter.review;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18's multi-class labels over HTTP on the managed Liberty: the moderation example of {@code
 * docs/examples/moderation} (its very policy document, under this run's own model, policy and queue
 * names), three outcomes allow/restrict/remove, four model labels mapped onto them, the positive
 * class remove. Six decisions, automated and reviewed (sighted and blind, a ruling), outcomes
 * recorded; then the HITL figures for the declared positive class and for the two others, the
 * review metrics and the {@code overrides-by-reviewer} audit query, each against the values worked
 * out by hand in the example's README (and next to each assertion).
 *
 * <p>The audit query is over a time window, not a model: the window starts when this test does, and
 * the ITs run one after another, so it holds this test's verdicts alone.
 */
@ExtendWith(ArquillianExtension.class)
class ModerationExampleIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "post-moderator-" + TAG;
  private static final String POLICY = "moderation-policy-" + TAG;
  private static final String QUEUE = "moderation-" + TAG;
  private static final String REVIEWS = "/api/v1/reviews/";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String policyDocument() throws IOException {
    return Files.readString(
            Path.of("docs/examples/moderation/moderation-policy.yaml"), StandardCharsets.UTF_8)
        .replace("moderation-policy", POLICY)
        .replace("post-moderator", MODEL)
        .replace("queue: moderation", "queue: " + QUEUE);
  }

  private static void assertStatus(int status, Reply reply) {
    assertEquals(status, reply.status(), reply.toString());
  }

  /** A 422 problem whose only field error names {@code field}. */
  private static void assertInvalid(Reply reply, String field) {
    assertStatus(422, reply);
    assertEquals(
        "https://w3id.org/arbiter/problems/invalid-request", reply.json().getString("type"));
    JsonArray errors = reply.json().getJsonArray("errors");
    assertEquals(1, errors.size(), reply.toString());
    assertEquals(field, errors.getJsonObject(0).getString("field"), reply.toString());
  }

  /** A post the model called {@code label}; its receipt, after checking the status. */
  private static JsonObject submit(String label, double confidence, int status) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "post-%s",
             "input": {"length": 320, "reports": 2},
             "output": {"label": "%s", "score": %s, "confidence": %s}}"""
                .formatted(MODEL, UUID.randomUUID(), label, confidence, confidence));
    assertStatus(status, reply);
    return reply.json();
  }

  private static String verdict(String outcome, String reasonCode, String justification) {
    return justification == null
        ? "{\"verdict\": \"%s\", \"reasonCode\": \"%s\"}".formatted(outcome, reasonCode)
        : "{\"verdict\": \"%s\", \"reasonCode\": \"%s\", \"justification\": \"%s\"}"
            .formatted(outcome, reasonCode, justification);
  }

  private static void claim(String id, String reviewer) {
    assertStatus(200, postJson(REVIEWS + id + "/claim", reviewer, ""));
  }

  private static Reply say(String id, String reviewer, String body) {
    return postJson(REVIEWS + id + "/verdict", reviewer, body);
  }

  private static void truth(String id, String outcome) {
    assertStatus(
        201,
        postJson(
            "/api/v1/decisions/" + id + "/outcome",
            "integrator",
            "{\"outcome\": \"" + outcome + "\"}"));
  }

  private static boolean overrides(Reply reply) {
    return reply.json().getJsonObject("settlement").getBoolean("overridesRecommendation");
  }

  @Test
  void moderationModel_threeOutcomesFourLabels_overridesAndFiguresFollowTheVocabulary()
      throws IOException {
    Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(policyDocument(), POLICY, "1");

    // M1, M2: confident ok and spam calls are automated, each to the outcome its label maps to.
    JsonObject m1 = submit("ok", 0.95, 201);
    assertEquals("allow", m1.getString("route"));
    assertEquals("clear", m1.getJsonObject("rule").getString("id"));
    JsonObject m2 = submit("spam", 0.97, 201);
    assertEquals("remove", m2.getString("route"));
    assertEquals("obvious-spam", m2.getJsonObject("rule").getString("id"));
    // M3, M6: borderline calls go to one sighted moderator; M4: hate to two blind ones; M5: an
    // unsure ok call to one sighted moderator by the guardrail.
    String m3 = submit("borderline", 0.90, 202).getString("id");
    String m4 = submit("hate", 0.92, 202).getString("id");
    String m5 = submit("ok", 0.60, 202).getString("id");
    String m6 = submit("borderline", 0.85, 202).getString("id");

    // M3: restrict on a borderline call is what the model recommends (borderline → restrict): no
    // justification is asked for, and it is no override. Outcomes of another vocabulary are
    // refused.
    claim(m3, "reviewer");
    assertInvalid(say(m3, "reviewer", verdict("approve", "needs-context", null)), "verdict");
    Reply followed = say(m3, "reviewer", verdict("restrict", "needs-context", null));
    assertStatus(200, followed);
    assertEquals("restrict", followed.json().getJsonObject("settlement").getString("outcome"));
    assertFalse(overrides(followed), followed.toString());

    // M4: blind moderators differ (blind verdicts are always justified, so that the demand tells
    // nothing of the model's call); the lead rules remove, the outcome hate recommends.
    claim(m4, "reviewer");
    assertStatus(200, say(m4, "reviewer", verdict("remove", "breaks-rules", "Slur.")));
    claim(m4, "reviewer2");
    Reply split = say(m4, "reviewer2", verdict("restrict", "needs-context", "Quoted."));
    assertStatus(200, split);
    assertEquals("adjudication", split.json().getJsonObject("task").getString("state"));
    Reply ruled =
        postJson(
            REVIEWS + m4 + "/adjudication",
            "lead-reviewer",
            verdict("remove", "breaks-rules", "Quoted approvingly."));
    assertStatus(200, ruled);
    JsonObject ruling = ruled.json().getJsonObject("settlement");
    assertEquals("remove", ruling.getString("outcome"));
    assertEquals("adjudication", ruling.getString("basis"));
    assertFalse(ruling.getBoolean("overridesRecommendation"), ruled.toString());

    // M5: remove on an ok call goes against allow: justified, an override.
    claim(m5, "reviewer2");
    assertInvalid(say(m5, "reviewer2", verdict("remove", "breaks-rules", null)), "justification");
    Reply removed = say(m5, "reviewer2", verdict("remove", "breaks-rules", "Spam link."));
    assertStatus(200, removed);
    assertTrue(overrides(removed), removed.toString());

    // M6: allow on a borderline call goes against restrict, a third outcome: justified, an
    // override.
    claim(m6, "reviewer");
    assertInvalid(say(m6, "reviewer", verdict("allow", "within-rules", null)), "justification");
    Reply allowed = say(m6, "reviewer", verdict("allow", "within-rules", "Satire."));
    assertStatus(200, allowed);
    assertEquals("allow", allowed.json().getJsonObject("settlement").getString("outcome"));
    assertTrue(overrides(allowed), allowed.toString());

    // Outcomes learnt later (an appeal, a second audit): M5 should have stayed, M6 restricted.
    assertInvalid(
        postJson(
            "/api/v1/decisions/" + m1.getString("id") + "/outcome",
            "integrator",
            "{\"outcome\": \"ok\"}"),
        "outcome");
    truth(m1.getString("id"), "allow");
    truth(m2.getString("id"), "remove");
    truth(m3, "restrict");
    truth(m4, "remove");
    truth(m5, "allow");
    truth(m6, "restrict");
    Instant to = Instant.now().plusSeconds(1);

    hitlFigures();
    reviewMetrics(from, to);
    overridesByReviewer(from, to);
  }

  private static JsonObject hitl(String positiveClass) {
    Reply reply =
        Api.get(
            "/api/v1/metrics/hitl?model="
                + MODEL
                + (positiveClass == null ? "" : "&positiveClass=" + positiveClass),
            "auditor",
            "application/json");
    assertStatus(200, reply);
    return reply.json();
  }

  private static void assertRate(Double expected, JsonObject figures, String field) {
    if (expected == null) {
      assertTrue(!figures.containsKey(field) || figures.isNull(field), field + ": " + figures);
    } else {
      assertEquals(expected, figures.getJsonNumber(field).doubleValue(), 1e-9, field);
    }
  }

  /**
   * The HITL figures of this run's model. Automated (decided, true): M1 (allow, allow), M2 (remove,
   * remove). Reviewed: M3 (restrict, restrict), M4 (remove, remove), M5 (remove, allow), M6 (allow,
   * restrict).
   */
  private static void hitlFigures() {
    JsonObject m = hitl(null);
    assertEquals(6, m.getInt("decisions"));
    assertEquals(2, m.getInt("automated"));
    assertEquals(4, m.getInt("settled"));
    // M5 and M6 went against the model, M3 and M4 (ruled remove on hate) did not.
    assertEquals(2 / 4.0, m.getJsonNumber("overrideRate").doubleValue(), 1e-9);
    JsonObject automated = m.getJsonObject("automatedAgainstOutcomes");
    assertEquals(2, automated.getInt("withOutcome"));
    assertEquals("remove", automated.getString("positiveClass"));
    assertRate(1.0, automated, "accuracy");
    assertRate(1.0, automated, "precision"); // M2
    assertRate(1.0, automated, "recall"); // M2
    JsonObject reviewed = m.getJsonObject("reviewedAgainstOutcomes");
    assertEquals(4, reviewed.getInt("withOutcome"));
    assertEquals("remove", reviewed.getString("positiveClass"));
    assertRate(2 / 4.0, reviewed, "accuracy"); // M3, M4
    assertRate(1 / 2.0, reviewed, "precision"); // removed M4 and M5; M5 should have stayed
    assertRate(1.0, reviewed, "recall"); // M4, the one that deserved removal

    // One against the rest for another outcome of the vocabulary; accuracy does not change.
    JsonObject restrict = hitl("restrict");
    JsonObject restrictAutomated = restrict.getJsonObject("automatedAgainstOutcomes");
    assertEquals("restrict", restrictAutomated.getString("positiveClass"));
    assertRate(1.0, restrictAutomated, "accuracy");
    assertRate(null, restrictAutomated, "precision"); // nothing automated as restrict
    assertRate(null, restrictAutomated, "recall"); // nothing automated deserved it
    JsonObject restrictReviewed = restrict.getJsonObject("reviewedAgainstOutcomes");
    assertEquals("restrict", restrictReviewed.getString("positiveClass"));
    assertRate(2 / 4.0, restrictReviewed, "accuracy");
    assertRate(1.0, restrictReviewed, "precision"); // M3
    assertRate(1 / 2.0, restrictReviewed, "recall"); // M3 of M3 and M6
    JsonObject allowReviewed = hitl("allow").getJsonObject("reviewedAgainstOutcomes");
    assertRate(0.0, allowReviewed, "precision"); // M6 allowed, should have been restricted
    assertRate(0.0, allowReviewed, "recall"); // M5 deserved allow, was removed

    // An outcome of no vocabulary here is refused, naming the parameter.
    Reply approve =
        Api.get(
            "/api/v1/metrics/hitl?model=" + MODEL + "&positiveClass=approve",
            "auditor",
            "application/json");
    assertStatus(400, approve);
    assertTrue(approve.body().contains("positiveClass"), approve.toString());
  }

  /** Review metrics of this run's model: four tasks, five verdicts and a ruling. */
  private static void reviewMetrics(Instant from, Instant to) {
    Reply reply =
        Api.get(
            "/api/v1/reviews/metrics?model=" + MODEL + "&from=" + from + "&to=" + to,
            "lead-reviewer",
            "application/json");
    assertStatus(200, reply);
    JsonObject overall = reply.json().getJsonObject("overall");
    assertEquals(4, overall.getInt("tasks"), reply.toString());
    assertEquals(6, overall.getInt("verdicts"));
    // Against the model: reviewer2 on M4 (restrict for remove) and M5, reviewer on M6.
    assertEquals(3 / 6.0, overall.getJsonNumber("overrideRate").doubleValue(), 1e-9);
    // Right against the outcomes: reviewer on M3 and M4, the lead on M4.
    assertEquals(3 / 6.0, overall.getJsonNumber("accuracy").doubleValue(), 1e-9);
    // Only M4 had two verdicts: [restrict 1, remove 1], agreement 0; chance (1/2)² + (1/2)² =
    // 1/2: kappa (0 − 1/2) / (1 − 1/2).
    assertEquals(-1.0, overall.getJsonNumber("fleissKappa").doubleValue(), 1e-9);
    // Blind: M4's two verdicts and the ruling, two agreeing with remove. Sighted: M3 agrees, M5
    // and M6 do not.
    JsonObject bias = overall.getJsonObject("bias");
    assertEquals(3, bias.getInt("blindVerdicts"));
    assertEquals(2 / 3.0, bias.getJsonNumber("blindAgreementWithModel").doubleValue(), 1e-9);
    assertEquals(3, bias.getInt("sightedVerdicts"));
    assertEquals(1 / 3.0, bias.getJsonNumber("sightedAgreementWithModel").doubleValue(), 1e-9);
    JsonObject byReviewer = reply.json().getJsonObject("byReviewer");
    Map<String, double[]> expected =
        Map.of(
            "reviewer", new double[] {3, 1 / 3.0},
            "reviewer2", new double[] {2, 1.0},
            "lead-reviewer", new double[] {1, 0.0});
    assertEquals(expected.keySet(), byReviewer.keySet(), byReviewer.toString());
    expected.forEach(
        (name, figures) -> {
          JsonObject r = byReviewer.getJsonObject(name);
          assertEquals((int) figures[0], r.getInt("verdicts"), name);
          assertEquals(figures[1], r.getJsonNumber("overrideRate").doubleValue(), 1e-9, name);
        });
  }

  /** The audit query, per reviewer and reason code: verdicts and overrides. */
  private static void overridesByReviewer(Instant from, Instant to) {
    Reply reply =
        Api.postJson(
            "/api/v1/audit/queries/overrides-by-reviewer",
            "auditor",
            "{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}",
            "Accept",
            "application/sparql-results+json");
    assertStatus(200, reply);
    Map<String, String> rows = new TreeMap<>();
    for (JsonValue value : reply.json().getJsonObject("results").getJsonArray("bindings")) {
      JsonObject b = value.asJsonObject();
      rows.put(
          b.getJsonObject("reviewer").getString("value")
              + " "
              + b.getJsonObject("reasonCode").getString("value"),
          b.getJsonObject("verdicts").getString("value")
              + "/"
              + b.getJsonObject("overrides").getString("value"));
    }
    assertEquals(
        Map.of(
            "lead-reviewer breaks-rules", "1/0",
            "reviewer breaks-rules", "1/0",
            "reviewer needs-context", "1/0",
            "reviewer within-rules", "1/1",
            "reviewer2 breaks-rules", "1/1",
            "reviewer2 needs-context", "1/1"),
        rows,
        reply.toString());
  }
}
