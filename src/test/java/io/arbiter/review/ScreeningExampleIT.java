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
 * Issue 18, item 1, over HTTP on the managed Liberty: the screening example of {@code
 * docs/examples/screening} (its very policy document, under this run's own model, policy and queue
 * names) with outcomes benign/malignant and the positive class malignant. Six decisions, blind
 * two-reviewer disagreement and a ruling, sighted reviews, outcomes recorded; then the HITL
 * figures, the review metrics and the {@code overrides-by-reviewer} audit query, each against the
 * values worked out by hand in the example's README (and below, next to each assertion).
 *
 * <p>Review metrics and the audit query are over a time window, not a model: the window starts when
 * this test does, and the ITs run one after another, so it holds this test's tasks and verdicts
 * alone.
 */
@ExtendWith(ArquillianExtension.class)
class ScreeningExampleIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "tumour-screen-" + TAG;
  private static final String POLICY = "screening-policy-" + TAG;
  private static final String QUEUE = "screening-" + TAG;
  private static final String REVIEWS = "/api/v1/reviews/";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String policyDocument() throws IOException {
    return Files.readString(
            Path.of("docs/examples/screening/screening-policy.yaml"), StandardCharsets.UTF_8)
        .replace("screening-policy", POLICY)
        .replace("tumour-screen", MODEL)
        .replace("queue: screening", "queue: " + QUEUE);
  }

  private static void assertStatus(int status, Reply reply) {
    assertEquals(status, reply.status(), reply.toString());
  }

  /** A 422 problem whose only field error names {@code field}. */
  private static void assertInvalid(Reply reply, String field) {
    assertStatus(422, reply);
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals(
        "https://w3id.org/arbiter/problems/invalid-request", reply.json().getString("type"));
    JsonArray errors = reply.json().getJsonArray("errors");
    assertEquals(1, errors.size(), reply.toString());
    assertEquals(field, errors.getJsonObject(0).getString("field"), reply.toString());
  }

  private static void registerModelAndPolicy() throws IOException {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(policyDocument(), POLICY, "1");
  }

  private static JsonObject submit(String label, double confidence, int status) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "lesion-%s",
             "input": {"radius": 14.2, "texture": 20.1},
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

  private static Reply give(String id, String reviewer, String body) {
    assertStatus(200, postJson(REVIEWS + id + "/claim", reviewer, ""));
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

  @Test
  void screeningModel_ownOutcomes_overridesAgreementAndRecallFollowTheVocabulary()
      throws IOException {
    Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    registerModelAndPolicy();

    // D1, D2: confident benign calls are automated, to the vocabulary's outcome.
    JsonObject d1 = submit("benign", 0.97, 201);
    assertEquals("benign", d1.getString("route"));
    JsonObject d2 = submit("benign", 0.96, 201);
    // D3, D4: malignant calls go to two blind reviewers; D5, D6: unsure calls to one, sighted.
    String d3 = submit("malignant", 0.95, 202).getString("id");
    String d4 = submit("malignant", 0.93, 202).getString("id");
    String d5 = submit("benign", 0.60, 202).getString("id");
    String d6 = submit("benign", 0.70, 202).getString("id");
    // The decision list filters by an outcome of the vocabulary.
    Reply automated =
        Api.get(
            "/api/v1/decisions?model=" + MODEL + "&route=benign", "auditor", "application/json");
    assertStatus(200, automated);
    assertEquals(
        java.util.Set.of(d1.getString("id"), d2.getString("id")),
        automated.json().getJsonArray("items").stream()
            .map(i -> i.asJsonObject().getString("id"))
            .collect(java.util.stream.Collectors.toSet()));

    // Blind, two reviewers who agree with the model: consensus, no override.
    assertStatus(200, give(d3, "reviewer", verdict("malignant", "needs-biopsy", "Irregular.")));
    Reply consensus =
        give(d3, "reviewer2", verdict("malignant", "needs-biopsy", "Irregular border."));
    assertStatus(200, consensus);
    JsonObject settled = consensus.json().getJsonObject("settlement");
    assertEquals("malignant", settled.getString("outcome"), consensus.toString());
    assertEquals("consensus", settled.getString("basis"));
    assertFalse(settled.getBoolean("overridesRecommendation"), consensus.toString());

    // Blind disagreement, and a lead's ruling against the model.
    assertStatus(200, give(d4, "reviewer", verdict("malignant", "needs-biopsy", "Dense.")));
    Reply split = give(d4, "reviewer2", verdict("benign", "looks-benign", "Smooth edges."));
    assertStatus(200, split);
    assertEquals("adjudication", split.json().getJsonObject("task").getString("state"));
    // A ruling outside the vocabulary is refused, naming the field.
    assertInvalid(
        postJson(
            REVIEWS + d4 + "/adjudication",
            "lead-reviewer",
            verdict("approve", "looks-benign", "x")),
        "verdict");
    Reply ruled =
        postJson(
            REVIEWS + d4 + "/adjudication",
            "lead-reviewer",
            verdict("benign", "looks-benign", "Cyst on review."));
    assertStatus(200, ruled);
    JsonObject ruling = ruled.json().getJsonObject("settlement");
    assertEquals("benign", ruling.getString("outcome"));
    assertEquals("adjudication", ruling.getString("basis"));
    assertTrue(ruling.getBoolean("overridesRecommendation"));

    // Sighted: benign on a benign call follows the model, so it needs no justification (before
    // vocabularies it was refused with 422, as going against "approve"); approve is no outcome.
    assertStatus(200, postJson(REVIEWS + d5 + "/claim", "reviewer", ""));
    assertInvalid(
        postJson(REVIEWS + d5 + "/verdict", "reviewer", verdict("approve", "looks-benign", null)),
        "verdict");
    Reply followed =
        postJson(REVIEWS + d5 + "/verdict", "reviewer", verdict("benign", "looks-benign", null));
    assertStatus(200, followed);
    assertFalse(followed.json().getJsonObject("settlement").getBoolean("overridesRecommendation"));
    // Malignant on a benign call goes against it: a justification is due.
    assertStatus(200, postJson(REVIEWS + d6 + "/claim", "reviewer2", ""));
    assertInvalid(
        postJson(
            REVIEWS + d6 + "/verdict", "reviewer2", verdict("malignant", "needs-biopsy", null)),
        "justification");
    Reply against =
        postJson(
            REVIEWS + d6 + "/verdict",
            "reviewer2",
            verdict("malignant", "needs-biopsy", "Texture is worrying."));
    assertStatus(200, against);
    assertTrue(against.json().getJsonObject("settlement").getBoolean("overridesRecommendation"));

    // Outcomes learnt later: one outside the vocabulary is refused, naming the field.
    assertInvalid(
        postJson(
            "/api/v1/decisions/" + d1.getString("id") + "/outcome",
            "integrator",
            "{\"outcome\": \"approve\"}"),
        "outcome");
    truth(d1.getString("id"), "benign");
    truth(d2.getString("id"), "malignant");
    truth(d3, "malignant");
    truth(d4, "benign");
    truth(d5, "malignant");
    truth(d6, "malignant");
    Instant to = Instant.now().plusSeconds(1);

    hitlFigures();
    reviewMetrics(from, to);
    overridesByReviewer(from, to);
    vocabularyAsLinkedData();
  }

  /** The HITL figures of this run's model, against the README's hand-worked values. */
  private static void hitlFigures() {
    Reply reply = Api.get("/api/v1/metrics/hitl?model=" + MODEL, "auditor", "application/json");
    assertStatus(200, reply);
    JsonObject m = reply.json();
    assertEquals(6, m.getInt("decisions"));
    assertEquals(2, m.getInt("automated"));
    assertEquals(4, m.getInt("settled"));
    // D4 (ruled benign on a malignant call) and D6 (malignant on a benign call) of the four.
    assertEquals(2 / 4.0, m.getJsonNumber("overrideRate").doubleValue(), 1e-9);
    // Automated: (benign, benign) and (benign, malignant). Nothing automated as malignant, so no
    // precision; one malignant lesion, missed: recall 0.
    JsonObject automated = m.getJsonObject("automatedAgainstOutcomes");
    assertEquals(2, automated.getInt("withOutcome"));
    assertEquals("malignant", automated.getString("positiveClass"));
    assertEquals(1 / 2.0, automated.getJsonNumber("accuracy").doubleValue(), 1e-9);
    assertTrue(!automated.containsKey("precision") || automated.isNull("precision"), m.toString());
    assertEquals(0.0, automated.getJsonNumber("recall").doubleValue(), 1e-9);
    // Reviewed: D3 (m, m), D4 (b, b), D5 (b, m), D6 (m, m): 3 of 4 right; both called malignant
    // were; of the three malignant, D5 was missed.
    JsonObject reviewed = m.getJsonObject("reviewedAgainstOutcomes");
    assertEquals(4, reviewed.getInt("withOutcome"));
    assertEquals("malignant", reviewed.getString("positiveClass"));
    assertEquals(3 / 4.0, reviewed.getJsonNumber("accuracy").doubleValue(), 1e-9);
    assertEquals(1.0, reviewed.getJsonNumber("precision").doubleValue(), 1e-9);
    assertEquals(2 / 3.0, reviewed.getJsonNumber("recall").doubleValue(), 1e-9);
  }

  /** Review metrics over the window: this test's four tasks and seven verdicts and rulings. */
  private static void reviewMetrics(Instant from, Instant to) {
    Reply reply =
        Api.get(
            "/api/v1/reviews/metrics?from=" + from + "&to=" + to,
            "lead-reviewer",
            "application/json");
    assertStatus(200, reply);
    JsonObject overall = reply.json().getJsonObject("overall");
    assertEquals(4, overall.getInt("tasks"), reply.toString());
    assertEquals(7, overall.getInt("verdicts"));
    // Against the model: reviewer2 and the lead on D4, reviewer2 on D6.
    assertEquals(3 / 7.0, overall.getJsonNumber("overrideRate").doubleValue(), 1e-9);
    // Right against the outcomes: all but reviewer's malignant on D4 and benign on D5.
    assertEquals(5 / 7.0, overall.getJsonNumber("accuracy").doubleValue(), 1e-9);
    // D3 [0 benign, 2 malignant], D4 [1, 1]: mean agreement 1/2, chance (1/4)² + (3/4)² = 5/8.
    assertEquals(-1 / 3.0, overall.getJsonNumber("fleissKappa").doubleValue(), 1e-9);
    // Blind: D3 ×2 and D4 reviewer agree, D4 reviewer2 and the ruling do not: 3 of 5. Sighted:
    // D5 agrees, D6 does not.
    JsonObject bias = overall.getJsonObject("bias");
    assertEquals(5, bias.getInt("blindVerdicts"));
    assertEquals(3 / 5.0, bias.getJsonNumber("blindAgreementWithModel").doubleValue(), 1e-9);
    assertEquals(2, bias.getInt("sightedVerdicts"));
    assertEquals(1 / 2.0, bias.getJsonNumber("sightedAgreementWithModel").doubleValue(), 1e-9);
    JsonObject byReviewer = reply.json().getJsonObject("byReviewer");
    Map<String, double[]> expected =
        Map.of(
            "reviewer", new double[] {3, 0.0},
            "reviewer2", new double[] {3, 2 / 3.0},
            "lead-reviewer", new double[] {1, 1.0});
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
            "lead-reviewer looks-benign", "1/1",
            "reviewer looks-benign", "1/0",
            "reviewer needs-biopsy", "2/0",
            "reviewer2 looks-benign", "1/1",
            "reviewer2 needs-biopsy", "2/1"),
        rows,
        reply.toString());
  }

  /** The version's vocabulary, a SKOS concept scheme, dereferenced as Linked Data. */
  private static void vocabularyAsLinkedData() {
    Reply policy =
        Api.get("/api/v1/policies/" + POLICY + "/versions/1", "auditor", "application/json");
    assertStatus(200, policy);
    JsonObject vocabulary = policy.json().getJsonObject("vocabulary");
    assertEquals("malignant", vocabulary.getString("positive"));
    String scheme = vocabulary.getString("scheme");
    assertTrue(scheme.endsWith("/policies/" + POLICY + "/versions/1/outcomes"), scheme);
    String path = scheme.substring(scheme.indexOf("/id/"));
    Reply turtle = Api.get(path, "auditor", "application/n-triples");
    assertStatus(200, turtle);
    String skos = "http://www.w3.org/2004/02/skos/core#";
    String base = scheme.substring(0, scheme.indexOf("/id/") + "/id/".length());
    for (String outcome : new String[] {"benign", "malignant"}) {
      assertTrue(
          turtle
              .body()
              .contains(
                  "<"
                      + scheme
                      + "> <"
                      + skos
                      + "hasTopConcept> <"
                      + base
                      + "outcomes/"
                      + outcome
                      + "> ."),
          turtle.body());
    }
    assertTrue(
        turtle
            .body()
            .contains(
                "<"
                    + scheme
                    + "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <"
                    + skos
                    + "ConceptScheme> ."),
        turtle.body());
  }
}
