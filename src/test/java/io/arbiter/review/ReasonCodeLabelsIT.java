package io.arbiter.review;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reason codes with labels and definitions, over HTTP on the managed Liberty: a policy version of
 * its own (outcomes benign/malignant, one plain code and two labelled ones) serves each code with
 * its words in the version's view, in a blind review task's view (with the version's outcomes as
 * the verdicts to choose from, and nothing of the model's output), and in the version's SKOS code
 * list under {@code /id/}; a verdict sends the code; a labelled code without its code is refused
 * with a problem naming the field.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(120)
class ReasonCodeLabelsIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "codes-" + TAG;
  private static final String POLICY = "codes-policy-" + TAG;
  private static final String QUEUE = "codes-" + TAG;
  private static final String SKOS = "http://www.w3.org/2004/02/skos/core#";
  private static final String LABEL = "suspicious-" + TAG;
  private static final String SCORE = "0.61938274";
  private static final String CONFIDENCE = "0.84736251";

  private static final String DOCUMENT =
      """
      id: %1$s
      version: 1
      scope: {models: [%2$s]}
      inputs: {radius: number}
      vocabulary:
        outcomes: [benign, malignant]
        labels: {%3$s: malignant}
        positive: malignant
      onReviewTimeout: malignant
      reasonCodes:
        - other
        - code: needs-biopsy
          label: Needs a biopsy
          definition: The images alone cannot settle it; take tissue.
        - {code: looks-benign, label: Looks benign}
      rules:
        - id: look-twice
          condition: "true"
          route: review
          review: {queue: %4$s, reviewers: 1, sla: PT8H, blind: true}
      """
          .formatted(POLICY, MODEL, LABEL, QUEUE);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static void assertStatus(int status, Reply reply) {
    assertEquals(status, reply.status(), reply.toString());
  }

  /** The three codes as the views give them: code, label, definition (absent: null). */
  private static void assertLabelledCodes(JsonArray codes) {
    assertEquals(3, codes.size(), codes.toString());
    assertCode(codes.getJsonObject(0), "other", "other", null);
    assertCode(
        codes.getJsonObject(1),
        "needs-biopsy",
        "Needs a biopsy",
        "The images alone cannot settle it; take tissue.");
    assertCode(codes.getJsonObject(2), "looks-benign", "Looks benign", null);
  }

  private static void assertCode(JsonObject code, String id, String label, String definition) {
    assertEquals(id, code.getString("code"), code.toString());
    assertEquals(label, code.getString("label"), code.toString());
    assertEquals(definition, code.getString("definition", null), code.toString());
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }

  private static Model dereferenced(String iri) {
    Reply reply = Api.get(iri.substring(iri.indexOf("/id/")), "auditor", "application/n-triples");
    assertStatus(200, reply);
    Model model = ModelFactory.createDefaultModel();
    model.read(new StringReader(reply.body()), null, "N-TRIPLES");
    return model;
  }

  @Test
  void labelledReasonCodes_areServedByTheVersionTheTaskAndTheSkosCodeList() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(DOCUMENT, POLICY, "1");

    // The version's view: the plain list as before, and each code with its words.
    Reply version =
        Api.get("/api/v1/policies/" + POLICY + "/versions/1", "auditor", "application/json");
    assertStatus(200, version);
    assertEquals(
        List.of("other", "needs-biopsy", "looks-benign"),
        strings(version.json().getJsonArray("reasonCodes")));
    assertLabelledCodes(version.json().getJsonArray("labelledReasonCodes"));

    // A blind task: the same words, the version's outcomes to choose from, no model output.
    Reply decision =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "codes-%s",
             "input": {"radius": 14.2},
             "output": {"label": "%s", "score": %s, "confidence": %s}}"""
                .formatted(MODEL, TAG, LABEL, SCORE, CONFIDENCE));
    assertStatus(202, decision);
    String decisionId = decision.json().getString("id");
    Reply list = Api.get("/api/v1/reviews?queue=" + QUEUE, "reviewer", "application/json");
    assertStatus(200, list);
    JsonArray items = list.json().getJsonArray("items");
    assertEquals(1, items.size(), list.toString());
    String task = items.getJsonObject(0).getString("id");
    assertEquals(decisionId, items.getJsonObject(0).getString("decision"));
    Reply claimed = postJson("/api/v1/reviews/" + task + "/claim", "reviewer", "");
    assertStatus(200, claimed);
    JsonObject detail = claimed.json();
    assertTrue(detail.getBoolean("modelOutputHidden"), claimed.toString());
    assertEquals(List.of("benign", "malignant"), strings(detail.getJsonArray("outcomes")));
    assertLabelledCodes(detail.getJsonArray("labelledReasonCodes"));
    String body = claimed.body().toLowerCase(Locale.ROOT);
    for (String tell : List.of(LABEL, "61938274", "84736251", "look-twice")) {
      assertFalse(body.contains(tell.toLowerCase(Locale.ROOT)), tell + " in " + claimed.body());
    }

    // A verdict sends the code, not its label.
    Reply byLabel =
        postJson(
            "/api/v1/reviews/" + task + "/verdict",
            "reviewer",
            """
            {"verdict": "malignant", "reasonCode": "Needs a biopsy", "justification": "Irregular."}""");
    assertStatus(422, byLabel);
    assertEquals(
        "reasonCode",
        byLabel.json().getJsonArray("errors").getJsonObject(0).getString("field"),
        byLabel.toString());
    Reply verdict =
        postJson(
            "/api/v1/reviews/" + task + "/verdict",
            "reviewer",
            """
            {"verdict": "malignant", "reasonCode": "needs-biopsy", "justification": "Irregular."}""");
    assertStatus(200, verdict);
    assertEquals(
        "needs-biopsy",
        verdict.json().getJsonArray("verdicts").getJsonObject(0).getString("reasonCode"));

    // The SKOS code list: the scheme lists the codes; each code dereferences with its words.
    String scheme = version.json().getString("iri") + "/reason-codes";
    Model list2 = dereferenced(scheme);
    Property hasTopConcept = list2.createProperty(SKOS + "hasTopConcept");
    for (String code : List.of("other", "needs-biopsy", "looks-benign")) {
      assertTrue(
          list2.contains(
              list2.createResource(scheme),
              hasTopConcept,
              list2.createResource(scheme + "/" + code)),
          code);
    }
    String biopsyIri = scheme + "/needs-biopsy";
    Model biopsy = dereferenced(biopsyIri);
    Resource concept = biopsy.createResource(biopsyIri);
    assertEquals(
        "Needs a biopsy",
        concept.getProperty(biopsy.createProperty(SKOS + "prefLabel")).getString());
    assertEquals(
        "The images alone cannot settle it; take tissue.",
        concept.getProperty(biopsy.createProperty(SKOS + "definition")).getString());
    assertEquals(
        "needs-biopsy", concept.getProperty(biopsy.createProperty(SKOS + "notation")).getString());
    String otherIri = scheme + "/other";
    Model other = dereferenced(otherIri);
    Resource plain = other.createResource(otherIri);
    assertEquals("other", plain.getProperty(other.createProperty(SKOS + "prefLabel")).getString());
    assertFalse(plain.hasProperty(other.createProperty(SKOS + "definition")));
  }

  @Test
  void labelledReasonCode_withoutItsCode_isRefused_namingTheField() {
    Reply reply =
        Api.postPolicy(
            DOCUMENT
                .replace("id: " + POLICY, "id: " + POLICY + "-bad")
                .replace("- {code: looks-benign, label: Looks benign}", "- {label: Looks benign}"));
    assertStatus(422, reply);
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    JsonArray errors = reply.json().getJsonArray("errors");
    assertEquals(1, errors.size(), reply.toString());
    assertEquals("reasonCodes[2].code", errors.getJsonObject(0).getString("field"));
    assertEquals("is required", errors.getJsonObject(0).getString("message"));
  }
}
