package io.arbiter.policy;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18's drift finding, over HTTP: a sighted one-reviewer guardrail placed before a blind
 * two-reviewer rule no longer weakens the rule's review. The decision both apply to gets two blind
 * reviewers and the shorter SLA, the guardrail stays its rule, and the recorded trace says which
 * rule changed what. The test owns its model and policy.
 */
@ExtendWith(ArquillianExtension.class)
class StrictestReviewIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "layered-" + TAG;
  private static final String POLICY = "layered-policy-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void guardrailAndRuleBothApply_theReviewTakesTheStrictestSettings_andTheTraceSaysSo() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        vocabulary: {outcomes: [benign, malignant], positive: malignant}
        onReviewTimeout: malignant
        guardrails:
          - id: unsure
            condition: output.confidence < 0.7
            route: review
            review: {queue: unsure-%s, reviewers: 1, sla: PT8H}
        rules:
          - id: second-opinion
            condition: output.label == 'malignant'
            route: review
            review: {queue: second-opinion-%s, reviewers: 2, sla: PT24H, blind: true}
        default: {route: benign}
        """
            .formatted(POLICY, MODEL, TAG, TAG),
        POLICY,
        "1");
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "lesion-%s", "input": {},
             "output": {"label": "malignant", "score": 0.6, "confidence": 0.6}}"""
                .formatted(MODEL, TAG));
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject receipt = submitted.json();
    assertEquals("unsure", receipt.getJsonObject("rule").getString("id"), receipt.toString());
    JsonObject review = receipt.getJsonObject("review");
    assertEquals("unsure-" + TAG, review.getString("queue"));
    assertEquals(2, review.getInt("reviewers"), review.toString());
    assertEquals(true, review.getBoolean("blind"), review.toString());
    assertEquals("PT8H", review.getString("sla"), review.toString());

    JsonObject recorded =
        get("/api/v1/decisions/" + receipt.getString("id"), "auditor", "application/json").json();
    JsonArray trace = recorded.getJsonArray("trace");
    assertEquals(2, trace.size(), trace.toString());
    assertEquals("matched", trace.getJsonObject(0).getString("outcome"));
    JsonObject also = trace.getJsonObject(1);
    assertEquals("second-opinion", also.getString("rule"));
    assertEquals("also-applies", also.getString("outcome"));
    assertEquals(
        "also applies to the review: reviewers 2 (was 1), blind", also.getString("detail"));
    assertEquals(2, recorded.getJsonObject("review").getInt("reviewers"), recorded.toString());
  }

  /**
   * The other way round: the deciding guardrail has the longer SLA, the rule that also applies the
   * shorter one, so the review's SLA (and its deadline) is the rule's, and the trace says so.
   */
  @Test
  void ruleAlsoApplyingWithAShorterSla_theReviewTakesIt_andTheTraceSaysSo() {
    String model = MODEL + "-sla";
    String policy = POLICY + "-sla";
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        guardrails:
          - id: unsure
            condition: output.confidence < 0.7
            route: review
            review: {queue: unsure-sla-%s, reviewers: 1, sla: PT24H}
        rules:
          - id: urgent
            condition: output.label == 'reject'
            route: review
            review: {queue: urgent-%s, reviewers: 1, sla: PT2H}
        default: {route: approve}
        """
            .formatted(policy, model, TAG, TAG),
        policy,
        "1");
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "urgent-%s", "input": {},
             "output": {"label": "reject", "score": 0.6, "confidence": 0.6}}"""
                .formatted(model, TAG));
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject receipt = submitted.json();
    assertEquals("unsure", receipt.getJsonObject("rule").getString("id"), receipt.toString());
    JsonObject review = receipt.getJsonObject("review");
    assertEquals("unsure-sla-" + TAG, review.getString("queue"), review.toString());
    assertEquals("PT2H", review.getString("sla"), review.toString());
    assertEquals(1, review.getInt("reviewers"), review.toString());

    JsonObject recorded =
        get("/api/v1/decisions/" + receipt.getString("id"), "auditor", "application/json").json();
    JsonObject also = recorded.getJsonArray("trace").getJsonObject(1);
    assertEquals("urgent", also.getString("rule"), recorded.toString());
    assertEquals("also-applies", also.getString("outcome"));
    assertEquals("also applies to the review: sla PT2H (was PT24H)", also.getString("detail"));
    String task = Api.openTaskOf(receipt.getString("id"), "unsure-sla-" + TAG);
    JsonObject detail = get("/api/v1/reviews/" + task, "reviewer", "application/json").json();
    java.time.Duration left =
        java.time.Duration.between(
            java.time.Instant.now(),
            java.time.Instant.parse(detail.getJsonObject("task").getString("deadline")));
    assertEquals(true, left.compareTo(java.time.Duration.ofHours(2)) <= 0, detail.toString());
    assertEquals(true, left.compareTo(java.time.Duration.ofMinutes(110)) > 0, detail.toString());
  }
}
