package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.DecisionId;
import io.arbiter.decision.DecisionSummary;
import io.arbiter.decision.TenantScope;
import io.arbiter.event.IriScheme;
import io.arbiter.policy.Route;
import io.arbiter.policy.RuleKind;
import io.arbiter.registry.ModelVersionRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which bundles and resources a caller bound to tenants sees, without a store or a server. */
class TenantBundlesTest {

  private static final IriScheme IRIS = new IriScheme("http://arbiter.test/id/");
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static final DecisionSummary ACME = decision("acme");
  private static final DecisionSummary GLOBEX = decision("globex");
  private static final DecisionSummary NONE = decision(null);

  private static final Map<DecisionId, DecisionSummary> DECISIONS =
      Map.of(ACME.id(), ACME, GLOBEX.id(), GLOBEX, NONE.id(), NONE);
  private static final Map<String, DecisionId> TASKS =
      Map.of("task-acme", ACME.id(), "task-globex", GLOBEX.id());

  private static final TenantBundles BUNDLES =
      new TenantBundles(
          IRIS,
          id -> Optional.ofNullable(DECISIONS.get(id)),
          task -> Optional.ofNullable(TASKS.get(task)));

  private static final TenantScope ACME_ONLY = TenantScope.bound(Set.of("acme"));

  private static DecisionSummary decision(String tenant) {
    return new DecisionSummary(
        DecisionId.next(AT),
        "case",
        new ModelVersionRef("demo-credit", "1"),
        Optional.ofNullable(tenant),
        Route.REVIEW,
        RuleKind.RULE,
        Optional.of("r"),
        "approve",
        0.9,
        Optional.empty(),
        "integrator",
        AT,
        Optional.empty(),
        1,
        "b",
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static String iri(DecisionSummary decision) {
    return IRIS.decision(decision.id().value());
  }

  @Test
  void global_hasNoFilter_andSeesEverything() {
    assertEquals(Optional.empty(), BUNDLES.filterFor(TenantScope.GLOBAL));
    assertTrue(BUNDLES.visible(TenantScope.GLOBAL, "decision.hour-tallied", IRIS.hour(AT)));
    assertTrue(BUNDLES.visibleResource(TenantScope.GLOBAL, IRIS.agent("someone")));
  }

  @Test
  void decisionBundles_visibleByTheDecisionsTenant_untenantedHidden() {
    var filter = BUNDLES.filterFor(ACME_ONLY).orElseThrow();
    assertTrue(filter.visible("decision.submitted", iri(ACME)));
    assertTrue(filter.visible("decision.outcome", iri(ACME)));
    assertFalse(filter.visible("decision.submitted", iri(GLOBEX)));
    assertFalse(filter.visible("decision.submitted", iri(NONE)), "no tenant: global callers only");
    assertFalse(
        filter.visible("decision.submitted", IRIS.decision(DecisionId.next(AT).value())),
        "an unknown decision");
  }

  @Test
  void reviewBundles_followTheirTasksDecision() {
    var filter = BUNDLES.filterFor(ACME_ONLY).orElseThrow();
    assertTrue(filter.visible("review.verdict", IRIS.review("task-acme")));
    assertFalse(filter.visible("review.verdict", IRIS.review("task-globex")));
    assertFalse(filter.visible("review.claimed", IRIS.review("task-unknown")));
  }

  @Test
  void registryAndPolicyBundles_areShared_tallesDriftAndSlosHidden() {
    var filter = BUNDLES.filterFor(ACME_ONLY).orElseThrow();
    assertTrue(filter.visible("policy.registered", IRIS.policyVersion("p", "1")));
    assertTrue(filter.visible("model.registered", IRIS.modelVersion("m", "1")));
    assertTrue(filter.visible("registry.dataset-registered", IRIS.dataset("d")));
    assertFalse(filter.visible("decision.hour-tallied", IRIS.hour(AT)));
    assertFalse(filter.visible("decision.hour-indexed", IRIS.hour(AT)));
    assertFalse(filter.visible("drift.alarm-raised", IRIS.driftAlarm("a")));
    assertFalse(filter.visible("slo.breached", IRIS.sloBreach("s")));
  }

  @Test
  void resources_decisionsAndTheirPartsByTenant_registryShared_restHidden() {
    assertTrue(BUNDLES.visibleResource(ACME_ONLY, iri(ACME)));
    assertTrue(BUNDLES.visibleResource(ACME_ONLY, iri(ACME) + "/routing"));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, iri(GLOBEX)));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, iri(GLOBEX) + "/routing"));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, iri(NONE)));
    assertTrue(BUNDLES.visibleResource(ACME_ONLY, IRIS.review("task-acme")));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, IRIS.review("task-globex")));
    assertTrue(BUNDLES.visibleResource(ACME_ONLY, IRIS.modelVersion("demo-credit", "1")));
    assertFalse(
        BUNDLES.visibleResource(ACME_ONLY, IRIS.driftReference("demo-credit", "1", "r1")),
        "drift references are drift, hidden as in the graph");
    assertTrue(BUNDLES.visibleResource(ACME_ONLY, IRIS.policyVersion("p", "1")));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, IRIS.agent("integrator")));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, IRIS.hour(AT)));
    assertFalse(BUNDLES.visibleResource(ACME_ONLY, IRIS.ledgerGraph()));
  }
}
