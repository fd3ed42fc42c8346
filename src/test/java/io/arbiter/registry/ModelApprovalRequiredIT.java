package io.arbiter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's model approval under the registry's setting, on a server of the test's own started
 * with {@code arbiter.registry.approval-required=true} (the shared server keeps approval optional,
 * as the demo does). A version registered without asking for approval is gated all the same: its
 * decisions fail safe to review with the reason recorded until someone other than its registrant
 * approves it; from then on the same rule automates them, and the earlier decision keeps its
 * fail-safe answer.
 */
class ModelApprovalRequiredIT {

  private static final String MODEL = "screen-gated";
  private static final String UNAPPROVED =
      "model "
          + MODEL
          + " version 1 is not approved, and the registry requires approval before its"
          + " decisions are automated";

  private static final String POLICY =
      """
      id: screen-gated-policy
      version: 1
      scope: {models: [screen-gated]}
      inputs:
        size: number
      rules:
        - id: confident-benign
          condition: output.label == 'benign' && output.confidence > 0.8
          route: approve
      default: {route: review}
      """;

  private static OwnServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new OwnServer(
            "arbiter-approval", 9412, Map.of("arbiter.registry.approval-required", "true"));
    server.start();
    expect(
        201,
        server.send("POST", "/api/v1/policies", "policy-author", "application/yaml", POLICY),
        "registering the policy");
    String path = "/api/v1/policies/screen-gated-policy/versions/1/";
    expect(200, server.send("POST", path + "approve", "policy-approver", "{}"), "approving");
    expect(200, server.send("POST", path + "activate", "policy-approver", "{}"), "activating");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void approvalRequiredByTheRegistry_gatesAVersionUntilAnotherPersonApprovesIt() throws Exception {
    // Registered by admin, who may approve versions but not one of their own.
    expect(
        201,
        server.send(
            "POST",
            "/api/v1/registry/models/" + MODEL + "/versions",
            "admin",
            "{\"version\": \"1\"}"),
        "registering " + MODEL + "/1");
    JsonObject registered =
        read(
            server.send(
                "GET", "/api/v1/registry/models/" + MODEL + "/versions/1", "auditor", null));
    assertFalse(registered.getBoolean("approvalRequired", false), registered.toString());

    HttpResponse<String> before = decide("before");
    assertEquals(202, before.statusCode(), before.body());
    JsonObject receipt = OwnServer.json(before.body());
    assertEquals("review", receipt.getString("route"));
    assertEquals("fail-safe", receipt.getJsonObject("rule").getString("kind"));
    assertEquals(UNAPPROVED, receipt.getString("failure"));
    String gated = receipt.getString("id");
    assertFailSafeOnRecord(gated);

    HttpResponse<String> ownApproval = approve("admin");
    assertEquals(403, ownApproval.statusCode(), ownApproval.body());
    assertTrue(
        OwnServer.json(ownApproval.body()).getString("type").endsWith("/separation-of-duties"),
        ownApproval.body());
    assertEquals(202, decide("refused-approval").statusCode(), "still gated after a refusal");

    HttpResponse<String> approval = approve("policy-approver");
    assertEquals(200, approval.statusCode(), approval.body());

    HttpResponse<String> after = decide("after");
    assertEquals(201, after.statusCode(), after.body());
    JsonObject automated = OwnServer.json(after.body());
    assertEquals("approve", automated.getString("route"));
    assertEquals("confident-benign", automated.getJsonObject("rule").getString("id"));
    assertTrue(!automated.containsKey("failure") || automated.isNull("failure"), after.body());

    // What was decided while the version awaited approval stays decided so.
    assertFailSafeOnRecord(gated);
  }

  /** A confident benign call with every declared input: the rule automates it if allowed to. */
  private static HttpResponse<String> decide(String subject) throws Exception {
    return server.send(
        "POST",
        "/api/v1/decisions",
        "integrator",
        """
        {"model": {"name": "%s", "version": "1"}, "subject": "%s", "input": {"size": 3.5},
         "output": {"label": "benign", "score": 0.1, "confidence": 0.95}}"""
            .formatted(MODEL, subject));
  }

  private static HttpResponse<String> approve(String user) throws Exception {
    return server.send(
        "POST",
        "/api/v1/registry/models/" + MODEL + "/versions/1/approval",
        user,
        "{\"note\": \"validated on the holdout set\"}");
  }

  private static void assertFailSafeOnRecord(String id) throws Exception {
    JsonObject decision = read(server.send("GET", "/api/v1/decisions/" + id, "auditor", null));
    assertEquals("review", decision.getString("route"), decision.toString());
    assertEquals("fail-safe", decision.getJsonObject("rule").getString("kind"));
    assertEquals(UNAPPROVED, decision.getString("failure"), decision.toString());
  }

  private static JsonObject read(HttpResponse<String> reply) {
    assertEquals(200, reply.statusCode(), reply.body());
    return OwnServer.json(reply.body());
  }

  private static void expect(int status, HttpResponse<String> reply, String what) {
    assertEquals(status, reply.statusCode(), what + ": " + reply.body());
  }
}
