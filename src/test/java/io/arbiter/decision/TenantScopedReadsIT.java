package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.notify.SettlementMessage;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.SseConnection;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callers bound to a tenant read only that tenant's data, over HTTP, on every read path; another
 * tenant's decision or task reads as not found. The test server's grants
 * (src/test/liberty/tenants.yaml) bind acme-auditor (an auditor), acme-reviewer (a reviewer) and
 * acme-admin (an admin, who records outcomes) to acme; auditor, reviewer and admin are bound to
 * nothing and read every tenant, as before. Each test records its own three decisions, all sent to
 * review: one for acme, one for globex (by integrator2), one without a tenant.
 */
@ExtendWith(ArquillianExtension.class)
class TenantScopedReadsIT {

  private static final String JSON = "application/json";
  private static final String PROBLEM = "https://w3id.org/arbiter/problems/";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** A decision the demo policy sends to review (low confidence), with its case and IRI. */
  private record Recorded(String id, String subject, String iri, String bundle) {}

  /** The test's own decisions: acme's, globex's and one without a tenant. */
  private record Three(Recorded acme, Recorded globex, Recorded none) {
    List<Recorded> all() {
      return List.of(acme, globex, none);
    }

    /** The base of our IRIs, from a decision's. */
    String base() {
      return acme.iri().substring(0, acme.iri().indexOf("decisions/"));
    }
  }

  private static Recorded submit(String user, String tenant) {
    String subject = "it-scoped-" + UUID.randomUUID();
    String body =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",%s
         "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.5, "confidence": 0.5}}"""
            .formatted(subject, tenant == null ? "" : " \"tenant\": \"" + tenant + "\",");
    Reply reply = postJson("/api/v1/decisions", user, body);
    assertEquals(202, reply.status(), reply.toString());
    JsonObject taken = reply.json();
    return new Recorded(
        taken.getString("id"), subject, taken.getString("iri"), taken.getString("bundle"));
  }

  private static Three record() {
    return new Three(
        submit("integrator", "acme"), submit("integrator2", "globex"), submit("integrator", null));
  }

  private static void assertNotFound(Reply reply) {
    assertEquals(404, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals(PROBLEM + "not-found", reply.json().getString("type"));
  }

  private static Set<String> listedSubjects(String user, Recorded decision) {
    Reply list =
        get(
            "/api/v1/decisions?limit=500&subject="
                + URLEncoder.encode(decision.subject(), StandardCharsets.UTF_8),
            user,
            JSON);
    assertEquals(200, list.status(), list.toString());
    Set<String> subjects = new HashSet<>();
    list.json()
        .getJsonArray("items")
        .forEach(item -> subjects.add(item.asJsonObject().getString("subject")));
    return subjects;
  }

  @Test
  void decisions_boundCaller_readsItsTenantsOnly_othersAreNotFound() {
    Three three = record();
    for (String path : List.of("/api/v1/decisions/%s", "/api/v1/decisions/%s/provenance")) {
      String accept = path.endsWith("provenance") ? "text/turtle" : JSON;
      assertEquals(
          200, get(path.formatted(three.acme().id()), "acme-auditor", accept).status(), path);
      assertNotFound(get(path.formatted(three.globex().id()), "acme-auditor", accept));
      assertNotFound(get(path.formatted(three.none().id()), "acme-auditor", accept));
      for (Recorded any : three.all()) {
        assertEquals(200, get(path.formatted(any.id()), "auditor", accept).status(), path);
      }
    }
    for (Recorded any : three.all()) {
      boolean visible = any == three.acme();
      assertEquals(
          visible ? Set.of(any.subject()) : Set.of(),
          listedSubjects("acme-auditor", any),
          "the list, " + any);
      assertEquals(Set.of(any.subject()), listedSubjects("auditor", any));
    }
    // Asking for another tenant by name does not get round the binding.
    Reply globex = get("/api/v1/decisions?tenant=globex&limit=500", "acme-auditor", JSON);
    assertEquals(200, globex.status(), globex.toString());
    assertEquals(0, globex.json().getJsonArray("items").size(), globex.body());
  }

  /**
   * A caller bound to two tenants reads both, by id, in lists, through audit queries and in the
   * ledger, and still not a decision without a tenant, nor a third tenant by name.
   */
  @Test
  void boundToTwoTenants_readsBoth_andNothingElse() {
    Three three = record();
    String both = "acme-globex-auditor";
    for (Recorded mine : List.of(three.acme(), three.globex())) {
      assertEquals(200, get("/api/v1/decisions/" + mine.id(), both, JSON).status(), mine.id());
      assertEquals(Set.of(mine.subject()), listedSubjects(both, mine), "the list, " + mine);
      assertTrue(whoDecided(both, mine).body().lines().count() > 1, "who-decided, " + mine);
      assertEquals(200, get(entryOf(mine), both, JSON).status(), "its ledger entry, " + mine);
    }
    assertNotFound(get("/api/v1/decisions/" + three.none().id(), both, JSON));
    assertEquals(Set.of(), listedSubjects(both, three.none()));
    assertEquals(1, whoDecided(both, three.none()).body().lines().count(), "the header only");
    assertNotFound(get(entryOf(three.none()), both, JSON));
    Reply eu = get("/api/v1/decisions?tenant=eu-retail&limit=500", both, JSON);
    assertEquals(200, eu.status(), eu.toString());
    assertEquals(0, eu.json().getJsonArray("items").size(), eu.body());
  }

  @Test
  void replay_ofAnotherTenantsDecision_isNotFound() {
    Three three = record();
    assertEquals(
        200,
        postJson("/api/v1/decisions/" + three.acme().id() + "/replay", "acme-auditor", "")
            .status());
    assertNotFound(
        postJson("/api/v1/decisions/" + three.globex().id() + "/replay", "acme-auditor", ""));
    assertEquals(
        200,
        postJson("/api/v1/decisions/" + three.globex().id() + "/replay", "auditor", "").status());
  }

  /** Every task the user may list, page by page: decision id → task id. */
  private static java.util.Map<String, String> tasks(String user) {
    java.util.Map<String, String> byDecision = new java.util.HashMap<>();
    String cursor = null;
    do {
      Reply page =
          get(
              "/api/v1/reviews?state=open&limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
              user,
              JSON);
      assertEquals(200, page.status(), page.toString());
      page.json()
          .getJsonArray("items")
          .forEach(
              item ->
                  byDecision.put(
                      item.asJsonObject().getString("decision"),
                      item.asJsonObject().getString("id")));
      cursor = page.json().containsKey("next") ? page.json().getString("next", null) : null;
    } while (cursor != null);
    return byDecision;
  }

  @Test
  void reviews_boundReviewer_listsReadsAndClaimsItsTenantsTasksOnly() {
    Three three = record();
    var all = tasks("auditor");
    for (Recorded any : three.all()) {
      assertTrue(all.containsKey(any.id()), "a global caller lists every task: " + any);
    }
    var acmes = tasks("acme-reviewer");
    assertTrue(acmes.containsKey(three.acme().id()));
    assertFalse(acmes.containsKey(three.globex().id()));
    assertFalse(acmes.containsKey(three.none().id()));
    assertFalse(tasks("acme-auditor").containsKey(three.globex().id()));

    String acmeTask = all.get(three.acme().id());
    String globexTask = all.get(three.globex().id());
    assertEquals(200, get("/api/v1/reviews/" + acmeTask, "acme-reviewer", JSON).status());
    assertNotFound(get("/api/v1/reviews/" + globexTask, "acme-reviewer", JSON));
    assertNotFound(get("/api/v1/reviews/" + globexTask, "acme-auditor", JSON));
    assertNotFound(postJson("/api/v1/reviews/" + globexTask + "/claim", "acme-reviewer", ""));
    Reply claimed = postJson("/api/v1/reviews/" + acmeTask + "/claim", "acme-reviewer", "");
    assertEquals(200, claimed.status(), claimed.toString());
    assertEquals(200, get("/api/v1/reviews/" + globexTask, "reviewer", JSON).status());
  }

  @Test
  void metrics_boundCaller_countsItsTenantsDecisionsAndTasksOnly() {
    record();
    JsonObject mine = get("/api/v1/metrics/hitl?tenant=globex", "acme-auditor", JSON).json();
    JsonObject all = get("/api/v1/metrics/hitl?tenant=globex", "auditor", JSON).json();
    assertEquals(0, mine.getInt("decisions"), mine.toString());
    assertTrue(all.getInt("decisions") >= 1, all.toString());
    assertTrue(
        get("/api/v1/metrics/hitl?tenant=acme", "acme-auditor", JSON).json().getInt("decisions")
            >= 1);

    JsonObject reviewsMine =
        get("/api/v1/reviews/metrics?tenant=globex", "acme-auditor", JSON).json();
    JsonObject reviewsAll = get("/api/v1/reviews/metrics?tenant=globex", "auditor", JSON).json();
    assertEquals(0, reviewsMine.getJsonObject("overall").getInt("tasks"), reviewsMine.toString());
    assertTrue(reviewsAll.getJsonObject("overall").getInt("tasks") >= 1, reviewsAll.toString());
  }

  @Test
  void decisionTable_boundCaller_hasItsTenantsRowsOnly() {
    Three three = record();
    Reply mine = get("/api/v1/decisions/table?model=demo-credit", "acme-auditor", "text/csv");
    Reply all = get("/api/v1/decisions/table?model=demo-credit", "auditor", "text/csv");
    assertEquals(200, mine.status(), mine.toString());
    assertTrue(mine.body().contains(three.acme().id()));
    assertFalse(mine.body().contains(three.globex().id()));
    assertFalse(mine.body().contains(three.none().id()));
    for (Recorded any : three.all()) {
      assertTrue(all.body().contains(any.id()), any.toString());
    }
  }

  private static Set<String> cases(String user, String query) {
    Reply reply = Api.sparql(user, query, "text/csv");
    assertEquals(200, reply.status(), reply.toString());
    Set<String> found = new HashSet<>();
    reply.body().lines().skip(1).forEach(line -> found.add(line.strip()));
    return found;
  }

  @Test
  void sparql_boundCaller_seesItsTenantsBundlesOnly_however_asked() {
    Three three = record();
    String values =
        three.all().stream()
            .map(r -> "\"" + r.subject() + "\"")
            .reduce((a, b) -> a + " " + b)
            .orElseThrow();
    String prefix = "PREFIX arb: <https://w3id.org/arbiter#>\n";
    List<String> queries =
        List.of(
            "SELECT ?case WHERE { VALUES ?case { %s } ?d arb:caseId ?case }",
            "SELECT ?case WHERE { VALUES ?case { %s } GRAPH ?g { ?d arb:caseId ?case } }",
            "SELECT DISTINCT ?case WHERE { VALUES ?case { %s } ?d (arb:caseId)+ ?case }");
    for (String query : queries) {
      String text = prefix + query.formatted(values);
      assertEquals(Set.of(three.acme().subject()), cases("acme-auditor", text), query);
      assertEquals(
          Set.of(three.acme().subject(), three.globex().subject(), three.none().subject()),
          cases("auditor", text),
          query);
    }
    String ledger = "ASK { GRAPH <" + three.base() + "ledger> { ?s ?p ?o } }";
    assertFalse(
        Api.sparql("acme-auditor", ledger, JSON).json().getBoolean("boolean"),
        "the ledger graph places every tenant's bundles");
    assertTrue(Api.sparql("auditor", ledger, JSON).json().getBoolean("boolean"));
  }

  private static Reply whoDecided(String user, Recorded decision) {
    return Api.send(
        Api.request("/api/v1/audit/queries/who-decided", user)
            .header("Content-Type", JSON)
            .header("Accept", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString("{\"decision\": \"" + decision.iri() + "\"}"))
            .build());
  }

  @Test
  void auditQuery_boundCaller_answersOverItsTenantsBundlesOnly() {
    Three three = record();
    Reply acme = whoDecided("acme-auditor", three.acme());
    assertEquals(200, acme.status(), acme.toString());
    assertTrue(acme.body().lines().count() > 1, "the routing at least: " + acme.body());
    for (Recorded hidden : List.of(three.globex(), three.none())) {
      Reply none = whoDecided("acme-auditor", hidden);
      assertEquals(200, none.status(), none.toString());
      assertEquals(1, none.body().lines().count(), "the header only: " + none.body());
      assertTrue(whoDecided("auditor", hidden).body().lines().count() > 1);
    }
  }

  @Test
  void linkedData_boundCaller_dereferencesItsTenantsResourcesOnly() {
    Three three = record();
    String path = "/id/decisions/";
    assertEquals(200, get(path + three.acme().id(), "acme-auditor", "text/turtle").status());
    assertNotFound(get(path + three.globex().id(), "acme-auditor", "text/turtle"));
    assertNotFound(get(path + three.none().id(), "acme-auditor", "text/turtle"));
    assertEquals(200, get(path + three.globex().id(), "auditor", "text/turtle").status());
    String bundlePath = "/id/" + three.globex().bundle().substring(three.base().length());
    assertNotFound(get(bundlePath, "acme-auditor", "application/trig"));
    assertEquals(200, get(bundlePath, "auditor", "application/trig").status());
    String acmeBundle = "/id/" + three.acme().bundle().substring(three.base().length());
    assertEquals(200, get(acmeBundle, "acme-auditor", "application/trig").status());
    assertEquals(
        200,
        get("/id/models/demo-credit/versions/1", "acme-auditor", "text/turtle").status(),
        "the registry is shared");
  }

  @Test
  void export_boundCaller_hasItsTenantsBundlesOnly_andNoLedgerGraph() {
    long from = Api.latestEvent() + 1;
    Three three = record();
    String path = "/api/v1/export?format=nquads&from=" + from;
    Reply mine = get(path, "acme-auditor", "application/n-quads");
    Reply all = get(path, "auditor", "application/n-quads");
    assertEquals(200, mine.status(), mine.toString());
    assertTrue(mine.body().contains(three.acme().subject()));
    assertFalse(mine.body().contains(three.globex().subject()));
    assertFalse(mine.body().contains(three.none().subject()));
    assertFalse(mine.body().contains("<" + three.base() + "ledger>"));
    for (Recorded any : three.all()) {
      assertTrue(all.body().contains(any.subject()), any.toString());
    }
  }

  /** The ledger entry of a decision's recording: its sequence, as a global auditor reads it. */
  private static String entryOf(Recorded decision) {
    Reply read = get("/api/v1/decisions/" + decision.id(), "auditor", JSON);
    assertEquals(200, read.status(), read.toString());
    return "/api/v1/ledger/entries/" + read.json().getJsonNumber("sequence").longValue();
  }

  @Test
  void ledgerEntries_boundCaller_readsItsTenantsAndTheSharedOnes_tilesAreRefused() {
    Three three = record();
    Reply mine = get(entryOf(three.acme()), "acme-auditor", JSON);
    assertEquals(200, mine.status(), mine.toString());
    assertTrue(mine.json().getString("canonical").contains(three.acme().id()), mine.toString());
    assertNotFound(get(entryOf(three.globex()), "acme-auditor", JSON));
    assertNotFound(get(entryOf(three.none()), "acme-auditor", JSON));
    assertEquals(200, get(entryOf(three.globex()), "auditor", JSON).status());
    // The first entries register the demo's model and policy: the shared registry.
    Reply first = get("/api/v1/ledger/entries/0", "acme-auditor", JSON);
    assertEquals(200, first.status(), first.toString());
    // A tile holds every tenant's entries, and must be whole to verify.
    Reply tile = get("/ledger/tile/entries/000", "acme-auditor", "*/*");
    assertEquals(403, tile.status(), tile.toString());
    assertEquals(PROBLEM + "forbidden", tile.json().getString("type"));
  }

  private static Reply lineage(String node, String direction, String user) {
    return get(
        "/api/v1/lineage?limit=5000&direction="
            + direction
            + "&node="
            + URLEncoder.encode(node, StandardCharsets.UTF_8),
        user,
        JSON);
  }

  private static Set<String> nodes(Reply walk) {
    assertEquals(200, walk.status(), walk.toString());
    Set<String> iris = new HashSet<>();
    walk.json().getJsonArray("nodes").forEach(n -> iris.add(n.asJsonObject().getString("iri")));
    return iris;
  }

  @Test
  void lineage_boundCaller_walksItsTenantsDecisionsAndTheSharedRegistryOnly() {
    Three three = record();
    String modelVersion = three.base() + "models/demo-credit/versions/1";
    Set<String> mine = nodes(lineage(three.acme().iri(), "both", "acme-auditor"));
    assertTrue(mine.contains(three.acme().iri()), mine.toString());
    assertTrue(mine.contains(modelVersion), "the shared registry: " + mine);
    assertTrue(
        mine.stream().noneMatch(iri -> iri.startsWith(three.base() + "agents/")),
        "people and Arbiter are no tenant's: " + mine);
    assertTrue(
        nodes(lineage(three.acme().iri(), "both", "auditor")).stream()
            .anyMatch(iri -> iri.startsWith(three.base() + "agents/")),
        "a global caller sees the agents");
    // Another tenant's decision, and one without a tenant, are not found.
    assertNotFound(lineage(three.globex().iri(), "both", "acme-auditor"));
    assertNotFound(lineage(three.none().iri(), "upstream", "acme-auditor"));
    assertEquals(200, lineage(three.globex().iri(), "both", "auditor").status());
    // Downstream from the shared model version: no other tenant's decision on the way.
    Reply down = lineage(modelVersion, "downstream", "acme-auditor");
    Set<String> reached = nodes(down);
    assertFalse(down.json().getBoolean("truncated"), "only acme's decisions to walk");
    assertTrue(reached.contains(three.acme().iri()), reached.toString());
    assertFalse(reached.contains(three.globex().iri()));
    assertFalse(reached.contains(three.none().iri()));
    Reply all = lineage(modelVersion, "downstream", "auditor");
    assertTrue(
        all.json().getBoolean("truncated") || nodes(all).contains(three.globex().iri()),
        "a global caller's walk reaches globex's decision unless cut short");
  }

  private static long evaluated(String user, java.time.Instant from) {
    Reply report =
        postJson(
            "/api/v1/policies/demo-credit-policy/versions/1/backtest",
            user,
            "{\"from\": \"" + from + "\"}");
    assertEquals(200, report.status(), report.toString());
    return report.json().getJsonNumber("evaluated").longValue();
  }

  @Test
  void backtest_boundCaller_evaluatesItsTenantsDecisionsOnly() {
    java.time.Instant from = java.time.Instant.now().minusSeconds(2);
    record();
    long mine = evaluated("acme-auditor", from);
    long all = evaluated("auditor", from);
    assertTrue(mine >= 1, "our acme decision at least: " + mine);
    assertTrue(all - mine >= 2, "globex's and the untenanted are not acme-auditor's: " + all);
  }

  private static Reply outcome(String user, Recorded decision) {
    return postJson(
        "/api/v1/decisions/" + decision.id() + "/outcome", user, "{\"outcome\": \"approve\"}");
  }

  @Test
  void outcome_ofAnotherTenantsDecision_isNotFound_evenToABoundAdmin() {
    Three three = record();
    // An admin reads every decision: only the binding keeps acme-admin from these two.
    assertNotFound(outcome("acme-admin", three.globex()));
    assertNotFound(outcome("acme-admin", three.none()));
    Reply mine = outcome("acme-admin", three.acme());
    assertEquals(201, mine.status(), mine.toString());
    // The refused one recorded nothing: the global admin's is a first outcome, needing no reason.
    Reply global = outcome("admin", three.globex());
    assertEquals(201, global.status(), global.toString());
    assertEquals(1, global.json().getInt("revision"), global.toString());
  }

  @Test
  void receipt_ofAnotherTenantsDecision_isNotFound() {
    Three three = record();
    String path = "/api/v1/decisions/%s/receipt";
    Reply mine = get(path.formatted(three.acme().id()), "acme-auditor", JSON);
    assertEquals(200, mine.status(), mine.toString());
    assertEquals(three.acme().id(), mine.json().getString("decision"));
    assertNotFound(get(path.formatted(three.globex().id()), "acme-auditor", JSON));
    assertNotFound(get(path.formatted(three.none().id()), "acme-auditor", JSON));
    Reply global = get(path.formatted(three.globex().id()), "auditor", JSON);
    assertEquals(200, global.status(), global.toString());
  }

  /** A dataset with one version, registered for the test; its id. */
  private static String registerDataset() {
    String dataset = "it-scoped-" + UUID.randomUUID().toString().substring(0, 8);
    Api.registerDataset(dataset);
    return dataset;
  }

  /** A decision of {@code model} for {@code tenant}, which its policy sends to review; its id. */
  private static String submitFor(String user, String model, String tenant) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            user,
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "it-scoped-%s", "input": {},
             "tenant": "%s", "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(model, UUID.randomUUID(), tenant));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  /** The report as {@code user}, answered at once. */
  private static JsonObject report(String path, String user) {
    Reply reply = get(path, user, JSON);
    assertEquals(200, reply.status(), reply.toString());
    return reply.json();
  }

  /**
   * The impact and coverage reports of a bound caller count its tenants' decisions and verdicts
   * only; a global caller's count them all. The test's own dataset, model trained on it and policy
   * (sending everything to review) keep other tests' decisions out of the counts.
   */
  @Test
  void impactAndCoverageReports_ofABoundCaller_countItsTenantsDecisionsOnly() {
    String dataset = registerDataset();
    String model = "scoped-" + dataset;
    String policy = "policy-" + dataset;
    Api.registerModelVersion(
        model,
        "{\"version\": \"1\", \"trainedOn\": [{\"dataset\": \"%s\", \"version\": \"1\"}]}"
            .formatted(dataset));
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - {id: everything, condition: true, route: review, review: {queue: queue-%s}}
        """
            .formatted(policy, model, model),
        policy,
        "1");
    String acme = submitFor("integrator", model, "acme");
    submitFor("integrator", model, "acme");
    String globex = submitFor("integrator2", model, "globex");
    for (String decision : List.of(acme, globex)) {
      Reply verdict =
          Api.verdictAsReviewer(
              Api.openTaskOf(decision, "queue-" + model), "approve", "confident-enough", null);
      assertEquals(200, verdict.status(), verdict.toString());
    }

    String impact = "/api/v1/lineage/impact?dataset=" + dataset;
    JsonObject mine = report(impact, "acme-auditor");
    JsonObject all = report(impact, "auditor");
    assertEquals(2, mine.getInt("decisions"), mine.toString());
    assertEquals(3, all.getInt("decisions"), all.toString());
    assertEquals(1, verdicts(mine), mine.toString());
    assertEquals(2, verdicts(all), all.toString());
    assertEquals(
        all.getJsonArray("modelVersions"),
        mine.getJsonArray("modelVersions"),
        "the shared registry for both");

    String coverage = "/api/v1/policies/" + policy + "/versions/1/coverage";
    assertEquals(2, report(coverage, "acme-auditor").getInt("decisions"));
    assertEquals(3, report(coverage, "auditor").getInt("decisions"));
    assertEquals(
        2,
        report(coverage, "acme-auditor")
            .getJsonObject("matched")
            .getJsonNumber("everything")
            .longValue());

    // The shadow report is narrowed too (ReplayServiceTest checks what it counts).
    String shadow = "/api/v1/policies/demo-credit-policy/versions/1/shadow-report";
    assertTrue(
        report(shadow, "acme-auditor").getJsonNumber("compared").longValue()
            <= report(shadow, "auditor").getJsonNumber("compared").longValue());
  }

  /** The verdicts an impact report counts, over every reviewer. */
  private static long verdicts(JsonObject impact) {
    return impact.getJsonArray("decisionsByReviewer").stream()
        .mapToLong(row -> row.asJsonObject().getJsonNumber("decisions").longValue())
        .sum();
  }

  /** Claims the task and settles it by one approving verdict (the low-confidence guardrail's). */
  private static void settle(String task) {
    Reply verdict = Api.approveAsReviewer(task, null);
    assertEquals(200, verdict.status(), verdict.toString());
    assertEquals("consensus", verdict.json().getJsonObject("settlement").getString("basis"));
  }

  private static Set<String> similar(String task, String user) {
    Reply detail = get("/api/v1/reviews/" + task, user, JSON);
    assertEquals(200, detail.status(), detail.toString());
    Set<String> decisions = new HashSet<>();
    detail
        .json()
        .getJsonArray("similar")
        .forEach(c -> decisions.add(c.asJsonObject().getString("decision")));
    return decisions;
  }

  @Test
  void similarCases_inABoundReviewersDetail_areItsTenantsOnly() {
    // All routed by the same guardrail of the same policy version, so all similar to each other.
    Three three = record();
    Recorded settledAcme = submit("integrator", "acme");
    var open = tasks("reviewer");
    settle(open.get(settledAcme.id()));
    settle(open.get(three.globex().id()));
    settle(open.get(three.none().id()));
    String viewed = open.get(three.acme().id());

    Set<String> global = similar(viewed, "reviewer");
    assertTrue(global.contains(settledAcme.id()), global.toString());
    assertTrue(global.contains(three.globex().id()), "a global reviewer sees globex's: " + global);
    assertTrue(global.contains(three.none().id()), global.toString());
    Set<String> bound = similar(viewed, "acme-reviewer");
    assertTrue(bound.contains(settledAcme.id()), "acme's own settled case: " + bound);
    assertFalse(bound.contains(three.globex().id()), bound.toString());
    assertFalse(bound.contains(three.none().id()), bound.toString());
  }

  /**
   * The decisions among {@code watched} that the stream's settlement events name, read in order
   * until every one of {@code awaited} has come.
   */
  private static Set<String> settledUntil(
      SseConnection stream, List<Recorded> watched, Set<String> awaited)
      throws java.io.IOException {
    Set<String> seen = new HashSet<>();
    while (!seen.containsAll(awaited)) {
      SseConnection.Event event = stream.next(SettlementMessage.TYPE);
      assertTrue(event != null, "the stream ended before " + awaited + ", seen " + seen);
      for (Recorded any : watched) {
        if (event.data().contains(any.id())) {
          seen.add(any.id());
        }
      }
    }
    return seen;
  }

  @Test
  @Timeout(120)
  void settlementStream_ofABoundAuditor_carriesItsTenantsSettlementsOnly() throws Exception {
    Three three = record();
    Recorded lastAcme = submit("integrator", "acme");
    List<Recorded> watched = List.of(three.acme(), three.globex(), three.none(), lastAcme);
    var open = tasks("reviewer");
    try (SseConnection bound = new SseConnection("/api/v1/events", "acme-auditor");
        SseConnection global = new SseConnection("/api/v1/events", "auditor")) {
      assertEquals(200, bound.status());
      assertEquals(200, global.status());
      // The opening comment: both are subscribed before anything settles.
      assertTrue(bound.nextComment() != null);
      assertTrue(global.nextComment() != null);
      // Globex's and the untenanted settle between acme's two, so a stream read in order up to
      // acme's last would have carried them.
      for (Recorded each : watched) {
        settle(open.get(each.id()));
      }
      Set<String> acmes = Set.of(three.acme().id(), lastAcme.id());
      assertEquals(acmes, settledUntil(bound, watched, acmes));
      Set<String> all =
          Set.of(three.acme().id(), three.globex().id(), three.none().id(), lastAcme.id());
      assertEquals(all, settledUntil(global, watched, all));
    }
  }

  /**
   * The decisions among {@code watched} whose review tasks the stream's task-changed events name
   * (an escalation's task id is its decision's), read in order until every one of {@code awaited}
   * has come.
   */
  private static Set<String> changedUntil(
      SseConnection stream, List<Recorded> watched, Set<String> awaited)
      throws java.io.IOException {
    Set<String> seen = new HashSet<>();
    while (!seen.containsAll(awaited)) {
      SseConnection.Event event = stream.next("review.task-changed");
      assertTrue(event != null, "the stream ended before " + awaited + ", seen " + seen);
      for (Recorded any : watched) {
        if (event.data().contains(any.id())) {
          seen.add(any.id());
        }
      }
    }
    return seen;
  }

  @Test
  @Timeout(120)
  void taskStream_ofABoundReviewer_carriesItsTenantsTasksOnly() throws Exception {
    try (SseConnection bound = new SseConnection("/api/v1/reviews/events", "acme-reviewer");
        SseConnection global = new SseConnection("/api/v1/reviews/events", "reviewer")) {
      assertEquals(200, bound.status());
      assertEquals(200, global.status());
      // The opening comment: both are subscribed before any task opens.
      assertTrue(bound.nextComment() != null);
      assertTrue(global.nextComment() != null);
      // Globex's task and the untenanted one open between acme's two, so a stream read in order
      // up to acme's last would have carried them.
      Three three = record();
      Recorded lastAcme = submit("integrator", "acme");
      List<Recorded> watched = List.of(three.acme(), three.globex(), three.none(), lastAcme);
      Set<String> acmes = Set.of(three.acme().id(), lastAcme.id());
      assertEquals(acmes, changedUntil(bound, watched, acmes));
      Set<String> all =
          Set.of(three.acme().id(), three.globex().id(), three.none().id(), lastAcme.id());
      assertEquals(all, changedUntil(global, watched, all));
    }
  }
}
