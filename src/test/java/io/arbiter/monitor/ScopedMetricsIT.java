package io.arbiter.monitor;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Await;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One team's figures apart from everyone's (issue 18, item 6), over HTTP: the review metrics and
 * the HITL figures narrowed to a model, one of its versions and a tenant, and the decision counters
 * at {@code /metrics} tagged with model, version and a bounded tenant. Each test owns its model
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
    submit("integrator", MODEL, version, tenant);
  }

  /** A decision of {@code model} at {@code version}, which its policy sends to review; its id. */
  private static String submit(String caller, String model, String version, String tenant) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            caller,
            """
            {"model": {"name": "%s", "version": "%s"}, "subject": "case-%s", "input": {},
             %s "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(
                    model,
                    version,
                    UUID.randomUUID(),
                    tenant == null ? "" : "\"tenant\": \"" + tenant + "\","));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  /** Versions 1 and 2 of {@code model}, and a policy of {@code id} sending all to review. */
  private static void ownModelAndPolicy(String model, String id) {
    ownModelAndPolicy(model, id, "");
  }

  /** As above, with more review settings ({@code ", sla: PT1S"}) for the policy's one rule. */
  private static void ownModelAndPolicy(String model, String id, String moreReview) {
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.registerModelVersion(model, "{\"version\": \"2\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - {id: everything, condition: true, route: review, review: {queue: %s%s}}
        """
            .formatted(id, model, queueOf(model), moreReview),
        id,
        "1");
  }

  /** The review queue of {@code model}'s policy. */
  private static String queueOf(String model) {
    return "queue-" + model;
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
    ownModelAndPolicy(MODEL, POLICY);
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

  /**
   * The test server's tenant grants ({@code src/test/liberty/tenants.yaml}) name acme, globex and
   * eu-retail; {@code submitter-reviewer} may name any tenant. A decision for acme is counted under
   * acme, one for a tenant the grants do not name under other (its name never reaches {@code
   * /metrics}), one without a tenant under an empty tenant.
   */
  @Test
  void decisionCounters_onMetrics_countDeclaredTenantsByName_othersAsOther() {
    String model = MODEL + "-tagged";
    ownModelAndPolicy(model, POLICY + "-tagged");
    String undeclared = "walk-in-" + TAG;
    submit("integrator", model, "1", "acme");
    submit("integrator", model, "1", "acme");
    submit("integrator", model, "2", "acme");
    submit("integrator", model, "1", null);
    submit("submitter-reviewer", model, "1", undeclared);
    submit("submitter-reviewer", model, "1", "other-" + TAG);

    var metrics = Api.metrics("admin");
    assertEquals(200, metrics.statusCode(), metrics.body());
    String text = metrics.body();
    assertEquals(2.0, decisions(text, model, "1", "acme"), text);
    assertEquals(1.0, decisions(text, model, "2", "acme"), text);
    assertEquals(1.0, decisions(text, model, "1", ""), text);
    assertEquals(2.0, decisions(text, model, "1", "other"), text);
    assertEquals(
        List.of(),
        text.lines().filter(line -> line.contains(undeclared)).toList(),
        "an undeclared tenant names no series");
  }

  /** arbiter_decisions_total of this model version and tenant, routed to review. */
  private static double decisions(String text, String model, String version, String tenant) {
    return Api.sample(
            text,
            "arbiter_decisions_total",
            Map.of("model", model, "version", version, "route", "review", "tenant", tenant))
        .orElseThrow(
            () -> new AssertionError("no series for " + model + "/" + version + " " + tenant));
  }

  /**
   * A settled review with an override counts once in {@code arbiter_settlements} (by basis) and
   * once in {@code arbiter_overrides}, under the decision's model, version and tenant alone: the
   * decisions of the other version and tenant, left pending, move no series.
   */
  @Test
  void settlementCounters_onMetrics_countAnOverrideUnderItsModelVersionAndTenant() {
    String model = MODEL + "-settled";
    ownModelAndPolicy(model, POLICY + "-settled");
    String overridden = submit("integrator", model, "1", "acme");
    submit("integrator", model, "2", "acme");
    submit("integrator", model, "1", null);
    Map<String, String> acme1 = Map.of("model", model, "version", "1", "tenant", "acme");
    List<Map<String, String>> others =
        List.of(
            Map.of("model", model, "version", "2", "tenant", "acme"),
            Map.of("model", model, "version", "1", "tenant", ""));
    String before = metricsText();
    double settled = settlements(before, acme1);
    double overrides = overrides(before, acme1);

    // The model said approve; the reviewer rejects, with the justification an override needs.
    Reply verdict =
        Api.verdictAsReviewer(
            Api.openTaskOf(overridden, queueOf(model)),
            "reject",
            "income-too-low",
            "The stated income does not cover it.");
    assertEquals(200, verdict.status(), verdict.toString());
    assertTrue(
        verdict.json().getJsonObject("settlement").getBoolean("overridesRecommendation"),
        verdict.toString());

    String after = metricsText();
    assertEquals(settled + 1, settlements(after, acme1), after);
    assertEquals(overrides + 1, overrides(after, acme1), after);
    for (Map<String, String> other : others) {
      assertEquals(settlements(before, other), settlements(after, other), other.toString());
      assertEquals(overrides(before, other), overrides(after, other), other.toString());
    }
  }

  /**
   * A review whose SLA runs out is settled by the sweep, fail-safe: it counts once in {@code
   * arbiter_sla_breaches} and once in {@code arbiter_settlements} by timeout, under its model,
   * version and tenant alone. The policy gives its queue a one-second SLA; the sweep runs every
   * second.
   */
  @Test
  void slaBreachCounter_onMetrics_countsATimedOutReviewUnderItsModelVersionAndTenant()
      throws Exception {
    String model = MODEL + "-breached";
    ownModelAndPolicy(model, POLICY + "-breached", ", sla: PT1S");
    Map<String, String> acme1 = Map.of("model", model, "version", "1", "tenant", "acme");
    Map<String, String> acme2 = Map.of("model", model, "version", "2", "tenant", "acme");
    String before = metricsText();
    assertEquals(0, breaches(before, acme1), "a new model has no breaches yet");

    String breached = submit("integrator", model, "1", "acme");
    String status =
        Await.settled(
            () -> {
              Reply decision = get("/api/v1/decisions/" + breached, "auditor", "application/json");
              assertEquals(200, decision.status(), decision.toString());
              return decision.json().getString("status");
            });
    assertEquals("settled", status, "the sweep settles the review once its SLA is past");

    String after = metricsText();
    assertEquals(1, breaches(after, acme1), after);
    Map<String, String> timedOut = new java.util.HashMap<>(acme1);
    timedOut.put("basis", "timeout");
    assertEquals(1, Api.sample(after, "arbiter_settlements_total", timedOut).orElse(0), after);
    assertEquals(0, breaches(after, acme2), "the other version breached nothing");
    assertEquals(0, overrides(after, acme1), "a fail-safe settlement is no override");
  }

  /** arbiter_sla_breaches_total for these model tags; 0 before the first. */
  private static double breaches(String text, Map<String, String> tags) {
    return Api.sample(text, "arbiter_sla_breaches_total", tags).orElse(0);
  }

  private static String metricsText() {
    var metrics = Api.metrics("admin");
    assertEquals(200, metrics.statusCode(), metrics.body());
    return metrics.body();
  }

  /** arbiter_settlements_total by consensus for these model tags; 0 before the first. */
  private static double settlements(String text, Map<String, String> tags) {
    Map<String, String> labels = new java.util.HashMap<>(tags);
    labels.put("basis", "consensus");
    return Api.sample(text, "arbiter_settlements_total", labels).orElse(0);
  }

  /** arbiter_overrides_total for these model tags; 0 before the first. */
  private static double overrides(String text, Map<String, String> tags) {
    return Api.sample(text, "arbiter_overrides_total", tags).orElse(0);
  }
}
