package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inputs a policy does not declare are not kept (issue 18, item 6), over HTTP: under {@code
 * undeclaredInputs: refuse} the request is refused naming each, and nothing is recorded; under the
 * default, {@code drop}, the decision is recorded without them and the answer warns. Each test owns
 * its model and policy.
 */
@ExtendWith(ArquillianExtension.class)
class StrictInputsIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** A model governed by a policy reading one input, with the given extra policy line. */
  private static String modelGovernedBy(String name, String setting) {
    String model = name + "-" + TAG;
    String policy = model + "-policy";
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        inputs: {radius: number}
        %s
        rules:
          - {id: small, condition: input.radius < 10.0, route: approve}
        """
            .formatted(policy, model, setting),
        policy,
        "1");
    return model;
  }

  private static Reply submit(String model) {
    return postJson(
        "/api/v1/decisions",
        "integrator",
        """
        {"model": {"name": "%s", "version": "1"}, "subject": "case-%s",
         "input": {"radius": 4.2, "patient_age": 61, "site": "north"},
         "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
            .formatted(model, UUID.randomUUID()));
  }

  @Test
  void refusingPolicy_refusesNamingEachUndeclaredInput_andRecordsNothing() {
    String model = modelGovernedBy("strict", "undeclaredInputs: refuse");
    Reply refused = submit(model);
    assertEquals(422, refused.status(), refused.toString());
    assertTrue(refused.contentType().startsWith("application/problem+json"), refused.toString());
    assertEquals(
        "https://w3id.org/arbiter/problems/invalid-request", refused.json().getString("type"));
    List<String> fields =
        refused.json().getJsonArray("errors").stream()
            .map(e -> e.asJsonObject().getString("field"))
            .toList();
    assertEquals(List.of("input.patient_age", "input.site"), fields, refused.toString());
    assertTrue(
        refused
            .json()
            .getJsonArray("errors")
            .getJsonObject(0)
            .getString("message")
            .contains("refuses undeclared inputs"),
        refused.toString());
    Reply listed = get("/api/v1/decisions?model=" + model, "auditor", "application/json");
    assertEquals(200, listed.status(), listed.toString());
    assertEquals(0, listed.json().getJsonArray("items").size(), listed.toString());
  }

  @Test
  void defaultPolicy_dropsUndeclaredInputsWithAWarning_andRoutesAsBefore() {
    String model = modelGovernedBy("lenient", "");
    Reply accepted = submit(model);
    assertEquals(201, accepted.status(), accepted.toString());
    assertEquals("approve", accepted.json().getString("route"));
    assertEquals(
        List.of(
            "input.patient_age is not declared by policy "
                + model
                + "-policy version 1 and was not recorded",
            "input.site is not declared by policy "
                + model
                + "-policy version 1 and was not"
                + " recorded"),
        accepted.json().getJsonArray("warnings").getValuesAs(jakarta.json.JsonString.class).stream()
            .map(jakarta.json.JsonString::getString)
            .toList());
    JsonObject recorded =
        get(
                "/api/v1/decisions/" + accepted.json().getString("id"),
                "integrator",
                "application/json")
            .json();
    assertEquals(List.of("radius"), List.copyOf(recorded.getJsonObject("input").keySet()));
    Reply provenance =
        get(
            "/api/v1/decisions/" + accepted.json().getString("id") + "/provenance",
            "auditor",
            "text/turtle");
    assertEquals(200, provenance.status(), provenance.toString());
    assertFalse(provenance.body().contains("patient_age"), "kept in the graph: " + provenance);
  }
}
