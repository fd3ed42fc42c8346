package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.security.OpenApiOperations.Answer;
import io.arbiter.security.OpenApiOperations.Op;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenant dimension of {@link AuthorizationMatrixIT}: every operation of the served OpenAPI
 * document ({@link OpenApiOperations}, the same enumeration) has one entry in {@link #TENANCY}, and
 * an operation without one fails the build. An operation is either tenant-neutral, with the reason
 * it holds no tenant's data, or scoped: it is then called by a caller of every role bound to acme
 * ({@code acme-<role>}, src/test/liberty/tenants.yaml), once for acme's object and once for
 * globex's, and the answers must be what the entry says:
 *
 * <ul>
 *   <li>{@link #byId}: acme's object gets the operation's success status; globex's is {@code 404
 *       not-found}, as an unknown id.
 *   <li>{@link #filtered}: both are answered, acme's object shows in the answer and globex's does
 *       not.
 *   <li>{@link #refused}: {@code 403 forbidden} to a bound caller, whichever tenant it asks about.
 *   <li>{@link #narrowed}: the operation is not about one object (an event stream, a report on a
 *       policy version); a bound caller is answered, and the test named in the entry checks what
 *       the answer counts.
 *   <li>submission: a bound integrator records a decision for acme, and is refused {@code 403
 *       tenant-not-granted} for globex.
 * </ul>
 *
 * A bound caller whose role the operation does not allow gets {@code 403 forbidden} for either
 * tenant. Each scoped answer is set against a global caller of the same role asking for globex's
 * object, who must get it: so a {@code 404} or an empty answer is the binding's doing, not the
 * object's. The test seeds its own decisions over the API: acme's submitted by acme-integrator,
 * globex's by integrator2, all sent to review (low confidence); an operation that changes its
 * object gets a fresh one per call. The objectives are the test server's own, one scoped to each
 * tenant (src/test/liberty/objectives.yaml).
 */
@ExtendWith(ArquillianExtension.class)
class TenantMatrixIT {

  private static final String JSON = "application/json";
  private static final String PROBLEM = "https://w3id.org/arbiter/problems/";
  private static final String ACME = "acme";
  private static final String GLOBEX = "globex";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** A decision the test recorded for a tenant, with its review task and submission time. */
  record Seeded(
      String tenant,
      String id,
      String subject,
      String iri,
      String bundle,
      String task,
      Instant submittedAt) {}

  /** What every call may refer to beyond its object: the first event of the test's own. */
  record Context(long firstEvent) {}

  /** One call of an operation, about {@code object}, as {@code user}. */
  @FunctionalInterface
  interface Call {
    Answer as(Context context, Seeded object, String user);
  }

  /** Whether an answer shows {@code object}. */
  @FunctionalInterface
  interface Shows {
    boolean test(Answer answer, Seeded object);
  }

  /** How an operation meets tenants. */
  sealed interface Tenancy permits Neutral, Scoped {}

  /** Holds no tenant's data, for {@code reason}; the role matrix is all there is to check. */
  record Neutral(String reason) implements Tenancy {}

  /**
   * Reads or changes tenants' data.
   *
   * @param own the status for acme's object
   * @param other the status for globex's object
   * @param otherType the problem type of {@code other} when it is a refusal
   * @param shows for a filtered read, whether the answer shows an object
   * @param fresh whether each call needs an object no call has touched (the operation changes it)
   * @param note where what the answer holds is checked, for a narrowed one
   */
  record Scoped(
      Call call,
      int own,
      int other,
      Optional<String> otherType,
      Optional<Shows> shows,
      boolean fresh,
      Optional<String> note)
      implements Tenancy {}

  private static Neutral neutral(String reason) {
    return new Neutral(reason);
  }

  private static Scoped byId(int own, Call call) {
    return new Scoped(
        call, own, 404, Optional.of("not-found"), Optional.empty(), false, Optional.empty());
  }

  private static Scoped changes(int own, Call call) {
    return new Scoped(
        call, own, 404, Optional.of("not-found"), Optional.empty(), true, Optional.empty());
  }

  private static Scoped filtered(int status, Call call, Shows shows) {
    return new Scoped(
        call, status, status, Optional.empty(), Optional.of(shows), false, Optional.empty());
  }

  private static Scoped refused(Call call) {
    return new Scoped(
        call, 403, 403, Optional.of("forbidden"), Optional.empty(), false, Optional.empty());
  }

  private static Scoped narrowed(int status, Call call, String note) {
    return new Scoped(
        call, status, status, Optional.empty(), Optional.empty(), false, Optional.of(note));
  }

  /** One approving verdict under the demo policy's low-confidence guardrail. */
  private static final String VERDICT =
      "{\"verdict\": \"approve\", \"reasonCode\": \"confident-enough\","
          + " \"rules\": [\"low-confidence\"]}";

  private static final String SHARED_REGISTRY =
      "the shared registry: models, datasets, sources and features are no tenant's data"
          + " (docs/security.md, Tenants)";
  private static final String POLICY =
      "policy versions are shared: routing rules are not client data, even for a policy scoped to"
          + " a tenant (docs/security.md, Tenants)";
  private static final String DRIFT =
      "drift is per model version across tenants, documented as not scoped (docs/security.md,"
          + " 'Not scoped')";
  private static final String CALLBACKS =
      "an integrator's own callback and dead letters: kept by caller, not by tenant; a bound admin"
          + " sees its own only (docs/security.md, Tenants)";
  private static final String JOBS =
      "a caller's own report jobs: kept by caller, and a bound admin is not every caller's admin"
          + " (JobResource); the job's result is the report's, which is scoped";
  private static final String HASHES =
      "ledger commitments: hashes, sizes and signatures, no entry's content";
  private static final String VOCABULARY = "the ontology and its extensions: vocabulary, no data";

  /**
   * The one table: every operation of the OpenAPI document, by operationId, and how it meets
   * tenants.
   */
  static final Map<String, Tenancy> TENANCY =
      Map.ofEntries(
          // Decisions.
          Map.entry(
              "submitDecision",
              new Scoped(
                  TenantMatrixIT::submit,
                  202,
                  403,
                  Optional.of("tenant-not-granted"),
                  Optional.empty(),
                  false,
                  Optional.empty())),
          Map.entry("getDecision", byId(200, get("/api/v1/decisions/%s", JSON))),
          Map.entry(
              "listDecisions",
              filtered(
                  200,
                  (c, o, u) -> read("/api/v1/decisions?limit=500&subject=" + enc(o.subject()), u),
                  TenantMatrixIT::namesDecision)),
          Map.entry(
              "recordOutcome",
              changes(
                  201,
                  (c, o, u) ->
                      post(
                          "/api/v1/decisions/" + o.id() + "/outcome",
                          u,
                          "{\"outcome\": \"approve\"}"))),
          Map.entry(
              "getDecisionProvenance",
              byId(200, get("/api/v1/decisions/%s/provenance", "text/turtle"))),
          Map.entry("getDecisionReceipt", byId(200, get("/api/v1/decisions/%s/receipt", JSON))),
          Map.entry(
              "replayDecision",
              byId(200, (c, o, u) -> post("/api/v1/decisions/" + o.id() + "/replay", u, ""))),
          Map.entry(
              "getDecisionTable",
              filtered(
                  200,
                  (c, o, u) -> read("/api/v1/decisions/table?model=demo-credit", u, "text/csv"),
                  TenantMatrixIT::namesDecision)),
          Map.entry(
              "getHitlMetrics",
              filtered(
                  200,
                  (c, o, u) -> read("/api/v1/metrics/hitl?tenant=" + o.tenant(), u),
                  (a, o) -> json(a).getInt("decisions") > 0)),
          Map.entry(
              "streamSettlements",
              narrowed(
                  200,
                  (c, o, u) -> read("/api/v1/events", u, "text/event-stream"),
                  "TenantScopedReadsIT.settlementStream_ofABoundAuditor_carriesItsTenants"
                      + "SettlementsOnly")),
          // Reviews.
          Map.entry(
              "listReviewTasks",
              filtered(200, (c, o, u) -> openTasks(u), TenantMatrixIT::namesDecision)),
          Map.entry(
              "getReviewTask", byId(200, (c, o, u) -> read("/api/v1/reviews/" + o.task(), u))),
          Map.entry("claimReviewTask", changes(200, TenantMatrixIT::claim)),
          Map.entry(
              "releaseReviewTask",
              changes(
                  200,
                  (c, o, u) -> {
                    claim(c, o, u);
                    return post("/api/v1/reviews/" + o.task() + "/release", u, "");
                  })),
          Map.entry(
              "submitVerdict",
              changes(
                  200,
                  (c, o, u) -> {
                    claim(c, o, u);
                    return post("/api/v1/reviews/" + o.task() + "/verdict", u, VERDICT);
                  })),
          // No disagreement to rule on: found, and refused for its state.
          Map.entry(
              "adjudicateReviewTask",
              changes(
                  409,
                  (c, o, u) ->
                      post(
                          "/api/v1/reviews/" + o.task() + "/adjudication",
                          u,
                          VERDICT.replace("}", ", \"justification\": \"matrix\"}")))),
          Map.entry(
              "getReviewMetrics",
              filtered(
                  200,
                  (c, o, u) -> read("/api/v1/reviews/metrics?tenant=" + o.tenant(), u),
                  (a, o) -> json(a).getJsonObject("overall").getInt("tasks") > 0)),
          Map.entry(
              "streamTaskChanges",
              narrowed(
                  200,
                  (c, o, u) -> read("/api/v1/reviews/events", u, "text/event-stream"),
                  "TenantScopedReadsIT.taskStream_ofABoundReviewer_carriesItsTenantsTasksOnly")),
          // The graph.
          Map.entry(
              "sparqlGet",
              filtered(
                  200,
                  (c, o, u) -> read("/sparql?query=" + enc(caseQuery(o)), u, "text/csv"),
                  TenantMatrixIT::namesSubject)),
          Map.entry(
              "sparqlPost",
              filtered(
                  200,
                  (c, o, u) ->
                      send(
                          u,
                          "/sparql",
                          "POST",
                          "application/sparql-query",
                          caseQuery(o),
                          "text/csv"),
                  TenantMatrixIT::namesSubject)),
          Map.entry(
              "runAuditQuery",
              filtered(
                  200,
                  (c, o, u) ->
                      send(
                          u,
                          "/api/v1/audit/queries/who-decided",
                          "POST",
                          JSON,
                          "{\"decision\": \"" + o.iri() + "\"}",
                          "text/csv"),
                  (a, o) -> a.body().lines().count() > 1)),
          Map.entry(
              "exportStore",
              filtered(
                  200,
                  (c, o, u) ->
                      read(
                          "/api/v1/export?format=nquads&from=" + c.firstEvent(),
                          u,
                          "application/n-quads"),
                  TenantMatrixIT::namesSubject)),
          Map.entry("dereferenceIri", byId(200, get("/id/decisions/%s", "text/turtle"))),
          Map.entry(
              "getLineage",
              byId(
                  200,
                  (c, o, u) -> read("/api/v1/lineage?direction=upstream&node=" + enc(o.iri()), u))),
          Map.entry(
              "getDatasetImpact",
              narrowed(
                  404,
                  (c, o, u) -> read("/api/v1/lineage/impact?dataset=matrix-none", u),
                  "TenantScopedReadsIT (what a bound caller's impact report counts)")),
          Map.entry(
              "getAuditQuery", neutral("the text of a catalogue query; running it is scoped")),
          Map.entry("listAuditQueries", neutral("the catalogue of audit queries, no answers")),
          Map.entry(
              "dereferenceNestedIri",
              neutral(
                  "registry versions and fields (shared) or hour tallies, which count every"
                      + " tenant and are hidden from bound callers (TenantBundles"
                      + ".visibleResource); no decision or task IRI has four segments")),
          // Replay, backtests and reports over a policy version.
          Map.entry(
              "backtestPolicyVersion",
              filtered(
                  200,
                  (c, o, u) ->
                      post(
                          "/api/v1/policies/demo-credit-policy/versions/1/backtest",
                          u,
                          "{\"from\": \""
                              + o.submittedAt()
                              + "\", \"to\": \""
                              + o.submittedAt().plusMillis(1)
                              + "\"}"),
                  (a, o) -> json(a).getJsonNumber("evaluated").longValue() > 0)),
          Map.entry(
              "getShadowReport",
              narrowed(
                  200,
                  (c, o, u) ->
                      read("/api/v1/policies/demo-credit-policy/versions/1/shadow-report", u),
                  "ReplayServiceTest (what a bound caller's report compares)")),
          Map.entry(
              "getRuleCoverage",
              narrowed(
                  200,
                  (c, o, u) -> read("/api/v1/policies/demo-credit-policy/versions/1/coverage", u),
                  "TenantScopedReadsIT and ReplayServiceTest (what a bound caller's report counts)")),
          // The ledger.
          Map.entry(
              "getLedgerEntry",
              byId(200, (c, o, u) -> read("/api/v1/ledger/entries/" + ledgerSequenceOf(o), u))),
          Map.entry(
              "getEntryTile", refused((c, o, u) -> read("/ledger/tile/entries/000", u, "*/*"))),
          Map.entry("getCheckpoint", neutral(HASHES)),
          Map.entry("getTile", neutral(HASHES)),
          Map.entry("getLedgerKey", neutral(HASHES)),
          Map.entry("getInclusionProof", neutral(HASHES)),
          Map.entry("getConsistencyProof", neutral(HASHES)),
          Map.entry(
              "verifyLedger",
              neutral(
                  "checks the whole log: counts, and for a fault its sequence and bundle IRI,"
                      + " never a bundle's content")),
          Map.entry("getJournalStatus", neutral("counts of the whole journal only")),
          Map.entry("sealJournal", neutral("an operator's action on the whole journal")),
          // Shared by design.
          Map.entry("listJobs", neutral(JOBS)),
          Map.entry("getJob", neutral(JOBS)),
          Map.entry("cancelJob", neutral(JOBS)),
          Map.entry("registerCallback", neutral(CALLBACKS)),
          Map.entry("getCallback", neutral(CALLBACKS)),
          Map.entry("removeCallback", neutral(CALLBACKS)),
          Map.entry("listDeadLetters", neutral(CALLBACKS)),
          Map.entry("redeliverDeadLetter", neutral(CALLBACKS)),
          Map.entry("getOntology", neutral(VOCABULARY)),
          Map.entry("listOntologyExtensions", neutral(VOCABULARY)),
          Map.entry("listDrift", neutral(DRIFT)),
          Map.entry("getModelVersionDrift", neutral(DRIFT)),
          Map.entry("getDriftReference", neutral(DRIFT)),
          Map.entry("getPendingDriftReference", neutral(DRIFT)),
          Map.entry("putDriftReference", neutral(DRIFT)),
          Map.entry("approveDriftReference", neutral(DRIFT)),
          // Objectives over every tenant are shown as drift is; a tenant's own is that tenant's.
          Map.entry(
              "listSlos",
              filtered(
                  200,
                  (c, o, u) -> read("/api/v1/slos?tenant=" + o.tenant(), u),
                  (a, o) -> a.body().contains("\"" + objectiveOf(o) + "\""))),
          Map.entry("getSlo", byId(200, (c, o, u) -> read("/api/v1/slos/" + objectiveOf(o), u))),
          Map.entry("getPolicySchema", neutral(POLICY)),
          Map.entry("listPolicyVersions", neutral(POLICY)),
          Map.entry("getPolicyVersion", neutral(POLICY)),
          Map.entry("submitPolicyVersion", neutral(POLICY)),
          Map.entry("approvePolicyVersion", neutral(POLICY)),
          Map.entry("activatePolicyVersion", neutral(POLICY)),
          Map.entry("shadowPolicyVersion", neutral(POLICY)),
          Map.entry("retirePolicyVersion", neutral(POLICY)),
          Map.entry("listModelVersions", neutral(SHARED_REGISTRY)),
          Map.entry("getModelVersion", neutral(SHARED_REGISTRY)),
          Map.entry("registerModelVersion", neutral(SHARED_REGISTRY)),
          Map.entry("approveModelVersion", neutral(SHARED_REGISTRY)),
          Map.entry("listDatasets", neutral(SHARED_REGISTRY)),
          Map.entry("getDataset", neutral(SHARED_REGISTRY)),
          Map.entry("registerDataset", neutral(SHARED_REGISTRY)),
          Map.entry("getDatasetVersion", neutral(SHARED_REGISTRY)),
          Map.entry("registerDatasetVersion", neutral(SHARED_REGISTRY)),
          Map.entry("listDataSources", neutral(SHARED_REGISTRY)),
          Map.entry("getDataSource", neutral(SHARED_REGISTRY)),
          Map.entry("registerDataSource", neutral(SHARED_REGISTRY)),
          Map.entry("listFeatures", neutral(SHARED_REGISTRY)),
          Map.entry("getFeature", neutral(SHARED_REGISTRY)),
          Map.entry("registerFeature", neutral(SHARED_REGISTRY)));

  /** Operations whose calls change their object: how many fresh objects each tenant needs. */
  private static final int FRESH_PER_TENANT = 12;

  @Test
  @Timeout(900)
  void everyOperation_everyBoundRole_ownTenantAnswered_otherTenantNot() {
    List<Op> operations = OpenApiOperations.operations();
    Set<String> documented = operations.stream().map(Op::id).collect(Collectors.toSet());
    Map<String, String> wrong = new TreeMap<>();
    for (Op op : operations) {
      if (!TENANCY.containsKey(op.id())) {
        wrong.put(op.id(), "no tenant entry in TenantMatrixIT.TENANCY");
      } else if (op.rule() == null) {
        wrong.put(op.id(), "no row in " + OpenApiOperations.TABLE + ": who may call it is unknown");
      }
    }
    Set<String> stale = new TreeSet<>(TENANCY.keySet());
    stale.removeAll(documented);
    assertEquals(Set.of(), stale, "tenant entries for operations the document does not have");
    assertEquals(Map.of(), wrong, "every operation needs a tenant entry");

    Context context = new Context(Api.latestEvent() + 1);
    Seeds seeds = Seeds.record();
    int calls = 0;
    for (Op op : operations) {
      if (!(TENANCY.get(op.id()) instanceof Scoped scoped)) {
        continue;
      }
      for (String role : OpenApiOperations.ROLES) {
        calls += check(op, scoped, role, context, seeds, wrong);
      }
    }
    assertEquals(Map.of(), wrong, "tenant matrix, " + calls + " calls");
    assertTrue(calls > 150, "the tenant matrix made " + calls + " calls");
  }

  /** The calls of one scoped operation for one role; what went wrong, into {@code wrong}. */
  private static int check(
      Op op, Scoped scoped, String role, Context context, Seeds seeds, Map<String, String> wrong) {
    String bound = "acme-" + role;
    String key = op.id() + " as " + bound;
    if (!op.rule().allows(role)) {
      for (Seeded object : List.of(seeds.acme(), seeds.globex())) {
        Answer answer = scoped.call().as(context, object, bound);
        if (answer.status() != 403 || !isProblem(answer, "forbidden")) {
          wrong.put(key + ", " + object.tenant(), "role not allowed, got " + answer.brief());
        }
      }
      return 2;
    }
    Seeded own = scoped.fresh() ? seeds.take(ACME) : seeds.acme();
    Answer mine = scoped.call().as(context, own, bound);
    if (mine.status() != scoped.own()) {
      wrong.put(key + ", own", "expected " + scoped.own() + ", got " + mine.brief());
    } else if (scoped.shows().isPresent() && !scoped.shows().get().test(mine, own)) {
      wrong.put(key + ", own", "its own tenant's object is not in " + mine.brief());
    }
    if (scoped.note().isEmpty()) {
      other(op, scoped, context, seeds.globex(), bound, wrong);
    }
    // A global caller of the same role gets globex's object: the refusal above is the binding's.
    String global = role.equals(Roles.INTEGRATOR) ? "integrator2" : role;
    Seeded globex = scoped.fresh() ? seeds.take(GLOBEX) : seeds.globex();
    Answer baseline = scoped.call().as(context, globex, global);
    boolean expected =
        scoped.shows().isPresent()
            ? baseline.status() == scoped.own() && scoped.shows().get().test(baseline, globex)
            : scoped.own() == 403 ? !baseline.refused() : baseline.status() == scoped.own();
    if (!expected) {
      wrong.put(op.id() + " as " + global + " (global), other", "got " + baseline.brief());
    }
    return scoped.note().isEmpty() ? 3 : 2;
  }

  /** A bound caller asking for globex's object: refused, or an answer without it. */
  private static void other(
      Op op,
      Scoped scoped,
      Context context,
      Seeded globex,
      String bound,
      Map<String, String> wrong) {
    String key = op.id() + " as " + bound;
    Answer theirs = scoped.call().as(context, globex, bound);
    if (theirs.status() != scoped.other()
        || scoped.otherType().filter(type -> !isProblem(theirs, type)).isPresent()) {
      wrong.put(
          key + ", other",
          "expected "
              + scoped.other()
              + scoped.otherType().map(t -> " " + t).orElse("")
              + ", got "
              + theirs.brief());
    } else if (scoped.shows().isPresent() && scoped.shows().get().test(theirs, globex)) {
      wrong.put(key + ", other", "LEAK: globex's object is in " + theirs.brief());
    }
  }

  private static boolean isProblem(Answer answer, String type) {
    return answer.body().contains("\"" + PROBLEM + type + "\"");
  }

  /** The decisions of the test, per tenant: one shared by the reads, fresh ones for changes. */
  record Seeds(Seeded acme, Seeded globex, Map<String, Deque<Seeded>> fresh) {
    Seeded take(String tenant) {
      Seeded next = fresh.get(tenant).poll();
      if (next == null) {
        throw new AssertionError("more fresh " + tenant + " objects needed: FRESH_PER_TENANT");
      }
      return next;
    }

    static Seeds record() {
      List<String[]> order = new java.util.ArrayList<>();
      for (int i = 0; i <= FRESH_PER_TENANT; i++) {
        order.add(submitTo("acme-integrator", ACME));
        order.add(submitTo("integrator2", GLOBEX));
      }
      Map<String, String> tasks = tasksByDecision();
      Map<String, Deque<Seeded>> fresh =
          Map.of(ACME, new ArrayDeque<>(), GLOBEX, new ArrayDeque<>());
      Seeded acme = null;
      Seeded globex = null;
      for (String[] s : order) {
        String task = tasks.get(s[1]);
        assertTrue(task != null, "a review task for " + s[1]);
        Reply decision = Api.get("/api/v1/decisions/" + s[1], "auditor", JSON);
        assertEquals(200, decision.status(), decision.toString());
        Seeded seeded =
            new Seeded(
                s[0],
                s[1],
                s[2],
                s[3],
                s[4],
                task,
                Instant.parse(decision.json().getString("submittedAt")));
        if (s[0].equals(ACME) && acme == null) {
          acme = seeded;
        } else if (s[0].equals(GLOBEX) && globex == null) {
          globex = seeded;
        } else {
          fresh.get(s[0]).add(seeded);
        }
      }
      return new Seeds(acme, globex, fresh);
    }
  }

  /** Submits a decision the demo policy sends to review: {tenant, id, subject, iri, bundle}. */
  private static String[] submitTo(String user, String tenant) {
    String subject = "it-matrix-" + UUID.randomUUID();
    Answer answer = submit(subject, tenant, user);
    assertEquals(202, answer.status(), answer.brief());
    JsonObject taken = json(answer);
    return new String[] {
      tenant, taken.getString("id"), subject, taken.getString("iri"), taken.getString("bundle")
    };
  }

  private static Answer submit(Context context, Seeded object, String user) {
    return submit("it-matrix-" + UUID.randomUUID(), object.tenant(), user);
  }

  private static Answer submit(String subject, String tenant, String user) {
    String body =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s", "tenant": "%s",
         "input": {"amount": 12000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.5, "confidence": 0.5}}"""
            .formatted(subject, tenant);
    return post("/api/v1/decisions", user, body);
  }

  /** Every open task, as a global reviewer lists them: decision id → task id. */
  private static Map<String, String> tasksByDecision() {
    Map<String, String> byDecision = new HashMap<>();
    Answer all = openTasks("reviewer");
    assertEquals(200, all.status(), all.brief());
    for (String page : all.body().split(PAGE_BREAK)) {
      try (var reader = Json.createReader(new StringReader(page))) {
        reader
            .readObject()
            .getJsonArray("items")
            .forEach(
                item ->
                    byDecision.put(
                        item.asJsonObject().getString("decision"),
                        item.asJsonObject().getString("id")));
      }
    }
    return byDecision;
  }

  /** Between pages in one answer: a control character JSON has no raw place for. */
  private static final String PAGE_BREAK = "\u001e";

  /** Every page of a cursor-paged list, as one answer: the pages' bodies, or the first refusal. */
  private static Answer pages(String path, String user) {
    List<String> bodies = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Answer page = read(path + (cursor == null ? "" : "&cursor=" + enc(cursor)), user);
      if (page.status() != 200) {
        return page;
      }
      bodies.add(page.body());
      JsonObject json = json(page);
      cursor = json.containsKey("next") && !json.isNull("next") ? json.getString("next") : null;
    } while (cursor != null);
    return new Answer(200, String.join(PAGE_BREAK, bodies));
  }

  /** Every open task {@code user} may list, as one answer. */
  private static Answer openTasks(String user) {
    return pages("/api/v1/reviews?state=open&limit=500", user);
  }

  private static Answer claim(Context context, Seeded object, String user) {
    return post("/api/v1/reviews/" + object.task() + "/claim", user, "");
  }

  /**
   * The test server's objective scoped to the object's tenant (src/test/liberty/objectives.yaml).
   */
  private static String objectiveOf(Seeded object) {
    return object.tenant().equals(ACME)
        ? "screening-north-within-sla"
        : "screening-globex-within-sla";
  }

  private static boolean namesDecision(Answer answer, Seeded object) {
    return answer.body().contains(object.id());
  }

  private static boolean namesSubject(Answer answer, Seeded object) {
    return answer.body().contains(object.subject());
  }

  /** A SELECT of the case id of the object, the test's own UUID, wherever the caller sees it. */
  private static String caseQuery(Seeded object) {
    return "PREFIX arb: <https://w3id.org/arbiter#>\n"
        + "SELECT ?case WHERE { VALUES ?case { \"%s\" } ?d arb:caseId ?case }"
            .formatted(object.subject());
  }

  /** The ledger entry of the decision's recording, as a global auditor reads it. */
  private static long ledgerSequenceOf(Seeded decision) {
    Api.Reply read = Api.get("/api/v1/decisions/" + decision.id(), "auditor", JSON);
    assertEquals(200, read.status(), read.toString());
    return read.json().getJsonNumber("sequence").longValue();
  }

  private static Call get(String pathOfId, String accept) {
    return (c, o, u) -> read(pathOfId.formatted(o.id()), u, accept);
  }

  private static Answer read(String path, String user) {
    return read(path, user, JSON);
  }

  private static Answer read(String path, String user, String accept) {
    return send(user, path, "GET", JSON, "", accept);
  }

  private static Answer post(String path, String user, String json) {
    return send(user, path, "POST", JSON, json, JSON);
  }

  /**
   * A call through {@link Api#request}: a graph read waits for every event recorded so far, so that
   * what the test recorded is there to be found (or not).
   */
  private static Answer send(
      String user, String path, String method, String type, String body, String accept) {
    HttpRequest.Builder request =
        Api.request(path, user).header("Accept", accept).timeout(Duration.ofSeconds(60));
    return OpenApiOperations.call(request, method, type, body);
  }

  private static JsonObject json(Answer answer) {
    try (var reader = Json.createReader(new StringReader(answer.body()))) {
      return reader.readObject();
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
