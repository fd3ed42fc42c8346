package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18's fail-safe holes, over HTTP on the managed Liberty: a decision without its declared
 * inputs, and one by a model version that awaits a required approval, reach a human with the reason
 * in their record, where a rule that reads only the output would have automated them. The screening
 * model and its policy are this test's own (a new name each run); version 1 is registered as
 * requiring approval, version 2 is not.
 */
@ExtendWith(ArquillianExtension.class)
class FailSafeIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "screen-" + TAG;

  /** Labels of a screening model; its confident benign calls are automated. */
  private static final String POLICY =
      """
      id: %1$s-policy
      version: 1
      scope: {models: [%1$s]}
      inputs:
        size: number
        shape: string
        site: {type: string, optional: true}
      rules:
        - id: confident-benign
          condition: output.label == 'benign' && output.confidence > 0.8
          route: approve
      default: {route: review}
      """
          .formatted(MODEL);

  private static final String FULL_INPUT =
      "{\"size\": 3.5, \"shape\": \"round\", \"site\": \"north\"}";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void registerModelAndPolicy() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\", \"approvalRequired\": true}");
    Api.registerModelVersion(MODEL, "{\"version\": \"2\"}");
    Api.activatePolicy(POLICY, MODEL + "-policy", "1");
  }

  /** A confident benign call by {@code version} with {@code input}: the rule would approve it. */
  private static Reply decide(String version, String input) {
    return postJson(
        "/api/v1/decisions",
        "integrator",
        """
        {"model": {"name": "%s", "version": "%s"}, "subject": "case-%s", "input": %s,
         "output": {"label": "benign", "score": 0.1, "confidence": 0.95}}"""
            .formatted(MODEL, version, UUID.randomUUID(), input));
  }

  /** The decision as an auditor reads it later: the record, not only the receipt. */
  private static JsonObject recorded(Reply receipt) {
    Reply read =
        get("/api/v1/decisions/" + receipt.json().getString("id"), "auditor", "application/json");
    assertEquals(200, read.status(), read.toString());
    return read.json();
  }

  private static void assertFailSafe(Reply reply, String failure) {
    assertEquals(202, reply.status(), reply.toString());
    assertEquals("review", reply.json().getString("route"));
    assertEquals("fail-safe", reply.json().getJsonObject("rule").getString("kind"));
    assertEquals(failure, reply.json().getString("failure"));
    JsonObject decision = recorded(reply);
    assertEquals("fail-safe", decision.getJsonObject("rule").getString("kind"));
    assertEquals(failure, decision.getString("failure"), decision.toString());
  }

  private static void assertAutomated(Reply reply) {
    assertEquals(201, reply.status(), reply.toString());
    assertEquals("approve", reply.json().getString("route"));
    assertEquals("confident-benign", reply.json().getJsonObject("rule").getString("id"));
    assertFalse(reply.json().containsKey("failure") && !reply.json().isNull("failure"));
  }

  @Test
  void submit_emptyInput_failsSafeToReviewNamingEveryMissingInput() {
    assertFailSafe(
        decide("2", "{}"), "declared inputs missing from the request: input.size, input.shape");
  }

  @Test
  void submit_optionalInputMissing_isRoutedByTheRules() {
    assertAutomated(decide("2", "{\"size\": 3.5, \"shape\": \"round\"}"));
  }

  @Test
  void submit_versionAwaitingRequiredApproval_failsSafeUntilApproved_thenIsAutomated() {
    assertFailSafe(
        decide("1", FULL_INPUT),
        "model "
            + MODEL
            + " version 1 is not approved, and the registry requires approval before its"
            + " decisions are automated");

    Reply approved =
        postJson(
            "/api/v1/registry/models/" + MODEL + "/versions/1/approval",
            "policy-approver",
            "{\"note\": \"validated on the holdout set\"}");
    assertEquals(200, approved.status(), approved.toString());
    assertAutomated(decide("1", FULL_INPUT));
  }

  @Test
  void submit_versionNotRequiringApproval_isAutomatedUnapproved() {
    assertAutomated(decide("2", FULL_INPUT));
  }
}
