package io.arbiter.monitor;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One team's figures apart from everyone's (issue 18, item 6), over HTTP: the review metrics and
 * the HITL figures narrowed to a model, one of its versions and a tenant. The test owns its model
 * (two versions) and policy, which sends every decision to review.
 */
@ExtendWith(ArquillianExtension.class)
class ScopedMetricsIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "scoped-" + TAG;
  private static final String POLICY = "scoped-policy-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static void submit(String version, String tenant) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "%s"}, "subject": "case-%s", "input": {},
             %s "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(
                    MODEL,
                    version,
                    UUID.randomUUID(),
                    tenant == null ? "" : "\"tenant\": \"" + tenant + "\","));
    assertEquals(202, reply.status(), reply.toString());
  }

  private static JsonObject json(String path) {
    Reply reply = get(path, "auditor", "application/json");
    assertEquals(200, reply.status(), reply.toString());
    return reply.json();
  }

  private static int reviewTasks(String query) {
    return json("/api/v1/reviews/metrics?" + query).getJsonObject("overall").getInt("tasks");
  }

  private static int hitlDecisions(String query) {
    return json("/api/v1/metrics/hitl?" + query).getInt("decisions");
  }

  @Test
  void reviewAndHitlFigures_narrowToAModelItsVersionAndATenant() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.registerModelVersion(MODEL, "{\"version\": \"2\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - {id: everything, condition: true, route: review, review: {queue: scoped-%s}}
        """
            .formatted(POLICY, MODEL, TAG),
        POLICY,
        "1");
    submit("1", null);
    submit("1", "acme");
    submit("2", "acme");

    String model = "model=" + MODEL;
    assertEquals(3, reviewTasks(model));
    assertEquals(2, reviewTasks(model + "&modelVersion=1"));
    assertEquals(1, reviewTasks(model + "&modelVersion=2"));
    assertEquals(2, reviewTasks(model + "&tenant=acme"));
    assertEquals(1, reviewTasks(model + "&modelVersion=1&tenant=acme"));
    assertEquals(0, reviewTasks("model=no-such-model-" + TAG));
    assertTrue(reviewTasks("") >= 3, "without a scope, every team's tasks");

    assertEquals(3, hitlDecisions(model));
    assertEquals(1, hitlDecisions(model + "&modelVersion=2"));
    assertEquals(2, hitlDecisions(model + "&tenant=acme"));

    for (String path : new String[] {"/api/v1/reviews/metrics", "/api/v1/metrics/hitl"}) {
      Reply refused = get(path + "?modelVersion=1", "auditor", "application/json");
      assertEquals(400, refused.status(), refused.toString());
      assertEquals(
          "modelVersion",
          refused.json().getJsonArray("errors").getJsonObject(0).getString("field"),
          refused.toString());
      Reply bad = get(path + "?tenant=%20x", "auditor", "application/json");
      assertEquals(400, bad.status(), bad.toString());
      assertEquals("tenant", bad.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    }
  }
}
