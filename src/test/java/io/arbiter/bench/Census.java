package io.arbiter.bench;

import com.sun.net.httpserver.HttpServer;
import io.arbiter.testing.OwnServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The latency census: every operation of the OpenAPI document, called over HTTP as the role that
 * uses it, against a server holding a realistic history ({@link CensusSeed}), with p50, p95 and p99
 * per operation marked against its target (issue 17):
 *
 * <ul>
 *   <li>interactive (reviews, decisions, policies, registry, metrics, ledger reads): p95 < 100 ms;
 *   <li>audit queries, SPARQL, lineage and provenance: p95 < 500 ms;
 *   <li>reports (backtest, export, impact, verification): no latency target; they must stream or
 *       run as jobs, and their figures are printed for the record.
 * </ul>
 *
 * Then the same interactive calls while exports of 20,000 events and an audit query run beside them
 * (one heavy request must not starve the rest), and 16 reviewers claiming and giving verdicts at
 * once.
 *
 * <pre>mvn -q -DskipTests verify   # once: the WAR and the Liberty runtime under target/
 * mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.arbiter.bench.Census \
 *   --data-dir target/census-100k --n 100000 [--runs 30] [--port 9680] [--only reviews,lineage]
 *   [--sections one,jobs,guard,reviewers] [--seed-only]</pre>
 *
 * {@code --only} names the operations of the one-client section and leaves the other sections out
 * unless {@code --sections} names them; {@code --sections guard} runs the guard alone.
 *
 * <p>The data directory is seeded once (minutes) and kept: later runs start the server over it at
 * once. Each run adds a few hundred events to it (the writes it measures).
 */
public final class Census {

  /** What kind of request an operation is, and its p95 target in milliseconds (0: none). */
  enum Kind {
    INTERACTIVE(100),
    /** Claims and verdicts with 16 reviewers at work. */
    CONCURRENT_REVIEW(150),
    AUDIT(500),
    REPORT(0);

    final int targetMs;

    Kind(int targetMs) {
      this.targetMs = targetMs;
    }
  }

  /**
   * One HTTP request: the user calls it with {@code body} (JSON unless the type says otherwise).
   */
  record Call(String method, String path, String user, String body, String type, String accept) {
    static Call get(String path, String user) {
      return new Call("GET", path, user, null, null, "application/json");
    }

    static Call post(String path, String user, String json) {
      return new Call("POST", path, user, json, "application/json", "application/json");
    }

    Call accepting(String mediaType) {
      return new Call(method, path, user, body, type, mediaType);
    }
  }

  /** Makes the {@code i}-th call of an operation; may first make untimed calls to set it up. */
  interface CallMaker {
    Call make(Context context, int i) throws Exception;
  }

  /**
   * An operation of the OpenAPI document ({@code method} and path {@code template} as the document
   * names them), in one of its realistic uses ({@code variant}).
   */
  record Operation(
      String method, String template, String variant, Kind kind, int runs, CallMaker maker) {
    String key() {
      return method + " " + template;
    }
  }

  private static final String DECISIONS = "/api/v1/decisions";
  private static final String REVIEWS = "/api/v1/reviews";
  private static final String POLICIES = "/api/v1/policies";
  private static final String REGISTRY = "/api/v1/registry";

  /** Every operation the census calls, in the order it calls them. */
  static List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    // Decisions
    ops.add(
        op(
            "POST",
            DECISIONS,
            "submit",
            Kind.INTERACTIVE,
            (c, i) -> Call.post(DECISIONS, "integrator", CensusSeed.body(7_000_000 + c.nonce()))));
    ops.add(
        op(
            "GET",
            DECISIONS,
            "first page of 500 (the most)",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(DECISIONS + "?limit=500", "auditor")));
    ops.add(
        op(
            "GET",
            DECISIONS,
            "model, route and a day",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    DECISIONS
                        + "?limit=100&model=demo-credit&modelVersion=2&route=review"
                        + "&from="
                        + c.day(i).from()
                        + "&to="
                        + c.day(i).to(),
                    "auditor")));
    ops.add(
        op(
            "GET",
            DECISIONS,
            "tenant and status, 30 days",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    DECISIONS
                        + "?limit=100&tenant=retail&status=settled&from="
                        + c.start
                        + "&to="
                        + c.end,
                    "auditor")));
    ops.add(
        op(
            "GET",
            DECISIONS,
            "integrator's own, page 5",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(DECISIONS + "?limit=100&cursor=" + c.cursor(5), "integrator")));
    ops.add(
        op(
            "GET",
            DECISIONS + "/{id}",
            "settled decision",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(DECISIONS + "/" + c.decision(i), "integrator")));
    ops.add(
        op(
            "POST",
            DECISIONS + "/{id}/outcome",
            "record ground truth",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    DECISIONS + "/" + c.withoutTruth() + "/outcome",
                    "integrator",
                    "{\"outcome\": \"approve\", \"note\": \"repaid\"}")));
    ops.add(
        op(
            "GET",
            DECISIONS + "/{id}/provenance",
            "JSON-LD",
            Kind.AUDIT,
            (c, i) ->
                Call.get(DECISIONS + "/" + c.decision(i) + "/provenance", "auditor")
                    .accepting("application/ld+json")));
    ops.add(
        op(
            "GET",
            DECISIONS + "/{id}/receipt",
            "receipt",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(DECISIONS + "/" + c.decision(i) + "/receipt", "integrator")));
    ops.add(
        op(
            "POST",
            DECISIONS + "/{id}/replay",
            "replay",
            Kind.INTERACTIVE,
            (c, i) -> Call.post(DECISIONS + "/" + c.decision(i) + "/replay", "auditor", "")));
    // Reviews
    ops.add(
        op(
            "GET",
            REVIEWS,
            "open, one queue",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "?state=open&queue=general&limit=50", "reviewer")));
    ops.add(
        op(
            "GET",
            REVIEWS,
            "every state, auditor, 500 (the most)",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "?limit=500", "auditor")));
    ops.add(
        op(
            "GET",
            REVIEWS,
            "settled history",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "?state=settled&limit=100", "auditor")));
    ops.add(
        op(
            "GET",
            REVIEWS,
            "mine, overdue",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "?mine=true&overdue=false&limit=50", "reviewer")));
    ops.add(
        op(
            "GET",
            REVIEWS + "/metrics",
            "30 days",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "/metrics?from=" + c.start + "&to=" + c.end, "auditor")));
    ops.add(
        op(
            "GET",
            REVIEWS + "/{id}",
            "open task",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REVIEWS + "/" + c.openTask(i), "reviewer")));
    ops.add(
        op(
            "POST",
            REVIEWS + "/{id}/claim",
            "claim",
            Kind.INTERACTIVE,
            (c, i) -> Call.post(REVIEWS + "/" + c.nextOpen() + "/claim", "reviewer", "")));
    ops.add(
        op(
            "POST",
            REVIEWS + "/{id}/release",
            "release",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(REVIEWS + "/" + c.claimed("reviewer") + "/release", "reviewer", "")));
    ops.add(
        op(
            "POST",
            REVIEWS + "/{id}/verdict",
            "verdict",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REVIEWS + "/" + c.claimed("reviewer") + "/verdict",
                    "reviewer",
                    Context.VERDICT_APPROVE)));
    ops.add(
        op(
            "POST",
            REVIEWS + "/{id}/adjudication",
            "ruling",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REVIEWS + "/" + c.disagreement() + "/adjudication",
                    "lead-reviewer",
                    Context.VERDICT_APPROVE)));
    // Policies
    ops.add(op("GET", POLICIES, "list", Kind.INTERACTIVE, (c, i) -> Call.get(POLICIES, "auditor")));
    ops.add(
        op(
            "GET",
            POLICIES + "/schema",
            "schema",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(POLICIES + "/schema", "policy-author")));
    ops.add(
        op(
            "POST",
            POLICIES,
            "register a draft",
            Kind.INTERACTIVE,
            (c, i) ->
                new Call(
                    "POST",
                    POLICIES,
                    "policy-author",
                    c.probePolicy(),
                    "application/yaml",
                    "application/json")));
    ops.add(
        op(
            "GET",
            POLICIES + "/{id}/versions/{version}",
            "demo v2",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(POLICIES + "/demo-credit-policy/versions/2", "auditor")));
    for (String transition : List.of("approve", "activate", "shadow", "retire")) {
      ops.add(
          op(
              "POST",
              POLICIES + "/{id}/versions/{version}/" + transition,
              transition,
              Kind.INTERACTIVE,
              (c, i) ->
                  Call.post(c.policyFor(transition) + "/" + transition, "policy-approver", "{}")));
    }
    ops.add(
        op(
            "GET",
            POLICIES + "/{id}/versions/{version}/coverage",
            "coverage",
            Kind.REPORT,
            (c, i) -> Call.get(POLICIES + "/demo-credit-policy/versions/2/coverage", "auditor")));
    ops.add(
        op(
            "GET",
            POLICIES + "/{id}/versions/{version}/shadow-report",
            "shadow-report",
            Kind.REPORT,
            (c, i) ->
                Call.get(
                    POLICIES + "/demo-credit-policy/versions/3/shadow-report?limit=100",
                    "auditor")));
    ops.add(
        op(
            "POST",
            POLICIES + "/{id}/versions/{version}/backtest",
            "backtest, a day",
            Kind.REPORT,
            (c, i) ->
                Call.post(
                    POLICIES + "/demo-credit-policy/versions/3/backtest",
                    "policy-author",
                    "{\"from\": \"" + c.day(i).from() + "\", \"to\": \"" + c.day(i).to() + "\"}")));
    ops.add(
        op(
            "POST",
            POLICIES + "/{id}/versions/{version}/backtest",
            "backtest, 30 days",
            Kind.REPORT,
            1,
            (c, i) ->
                Call.post(
                    POLICIES + "/demo-credit-policy/versions/3/backtest",
                    "policy-author",
                    "{\"from\": \"" + c.start + "\", \"to\": \"" + c.end + "\"}")));
    // Jobs: a report asked for with Prefer: respond-async (one backtest of a day, finished)
    ops.add(
        op(
            "GET",
            "/api/v1/jobs",
            "the caller's",
            Kind.INTERACTIVE,
            (c, i) -> {
              c.finishedJob();
              return Call.get("/api/v1/jobs", "policy-author");
            }));
    ops.add(
        op(
            "GET",
            "/api/v1/jobs/{id}",
            "a finished backtest's, with its result",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(c.finishedJob(), "policy-author")));
    ops.add(
        op(
            "POST",
            "/api/v1/jobs/{id}/cancel",
            "a finished one (stays as it finished)",
            Kind.INTERACTIVE,
            (c, i) -> Call.post(c.finishedJob() + "/cancel", "policy-author", "{}")));
    // Registry
    for (String kind : List.of("sources", "datasets", "features")) {
      ops.add(
          op(
              "GET",
              REGISTRY + "/" + kind,
              "list",
              Kind.INTERACTIVE,
              (c, i) -> Call.get(REGISTRY + "/" + kind, "auditor")));
    }
    ops.add(
        op(
            "GET",
            REGISTRY + "/models",
            "list",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/models", "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/sources",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/sources",
                    "data-steward",
                    "{\"id\": \"src-"
                        + c.nonce()
                        + "\", \"title\": \"Source\", \"fields\": [{\"name\": \"score\"}]}")));
    ops.add(
        op(
            "GET",
            REGISTRY + "/sources/{id}",
            "bureau",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/sources/bureau", "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/datasets",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/datasets",
                    "data-steward",
                    "{\"id\": \"ds-" + c.nonce() + "\", \"title\": \"Dataset\"}")));
    ops.add(
        op(
            "GET",
            REGISTRY + "/datasets/{id}",
            "loans",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/datasets/loans", "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/datasets/{id}/versions",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/datasets/loans/versions",
                    "data-steward",
                    "{\"version\": \"v"
                        + c.nonce()
                        + "\", \"contentHash\": \"sha256:"
                        + "0f".repeat(32)
                        + "\", \"derivedFrom\": [\"bureau\"]}")));
    ops.add(
        op(
            "GET",
            REGISTRY + "/datasets/{id}/versions/{version}",
            "loans 1",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/datasets/loans/versions/1", "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/features",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/features",
                    "data-steward",
                    "{\"name\": \"f-"
                        + c.nonce()
                        + "\", \"definition\": \"score / 1000\","
                        + " \"derivedFrom\": [{\"source\": \"bureau\", \"field\": \"score\"}]}")));
    ops.add(
        op(
            "GET",
            REGISTRY + "/features/{name}",
            "one",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/features/" + c.feature, "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/models/{name}/versions",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/models/census-probe/versions",
                    "data-steward",
                    "{\"version\": \""
                        + c.nonce()
                        + "\", \"trainedOn\": [{\"dataset\": \"loans\","
                        + " \"version\": \"1\"}]}")));
    ops.add(
        op(
            "GET",
            REGISTRY + "/models/{name}/versions/{version}",
            "demo-credit 2",
            Kind.INTERACTIVE,
            (c, i) -> Call.get(REGISTRY + "/models/demo-credit/versions/2", "auditor")));
    ops.add(
        op(
            "POST",
            REGISTRY + "/models/{name}/versions/{version}/approval",
            "approve",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    REGISTRY + "/models/census-probe/versions/" + c.unapprovedModel() + "/approval",
                    "policy-approver",
                    "{\"note\": \"holdout checked\"}")));
    // Drift
    ops.add(
        op(
            "GET",
            "/api/v1/drift",
            "every model",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/drift", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/models/{name}/versions/{version}/drift",
            "demo-credit 2",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/models/demo-credit/versions/2/drift", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/models/{name}/versions/{version}/reference",
            "demo-credit 2",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/models/demo-credit/versions/2/reference", "auditor")));
    ops.add(
        op(
            "PUT",
            "/api/v1/models/{name}/versions/{version}/reference",
            "census-probe",
            Kind.INTERACTIVE,
            (c, i) ->
                new Call(
                    "PUT",
                    "/api/v1/models/census-probe/versions/1/reference",
                    "policy-author",
                    Context.REFERENCE,
                    "application/json",
                    "application/json")));
    ops.add(
        op(
            "GET",
            DECISIONS + "/table",
            "a day, one model, CSV",
            Kind.REPORT,
            (c, i) ->
                Call.get(
                        DECISIONS
                            + "/table?model=demo-credit&from="
                            + c.day(i).from()
                            + "&to="
                            + c.day(i).to(),
                        "auditor")
                    .accepting("text/csv")));
    ops.add(
        op(
            "GET",
            "/api/v1/models/{name}/versions/{version}/reference/pending",
            "census-probe",
            Kind.INTERACTIVE,
            (c, i) -> {
              c.pendingReference();
              return Call.get(
                  "/api/v1/models/census-probe/versions/1/reference/pending", "auditor");
            }));
    ops.add(
        op(
            "POST",
            "/api/v1/models/{name}/versions/{version}/reference/approve",
            "census-probe",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    "/api/v1/models/census-probe/versions/1/reference/approve",
                    "policy-approver",
                    "{\"reference\": \"" + c.pendingReference() + "\"}")));
    // Metrics and objectives
    ops.add(
        op(
            "GET",
            "/api/v1/metrics/hitl",
            "30 days",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get("/api/v1/metrics/hitl?from=" + c.start + "&to=" + c.end, "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/metrics/hitl",
            "a day, one model",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    "/api/v1/metrics/hitl?model=demo-credit&from="
                        + c.day(i).from()
                        + "&to="
                        + c.day(i).to(),
                    "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/metrics/hitl",
            "a day, one model, one context value (read from the graph)",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    "/api/v1/metrics/hitl?model=demo-credit&contextKey=region&contextValue=EU&from="
                        + c.day(i).from()
                        + "&to="
                        + c.day(i).to(),
                    "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/slos",
            "list",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/slos", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/slos/{id}",
            "one",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/slos/" + c.slo, "auditor")));
    // Callbacks and events
    ops.add(
        op(
            "PUT",
            "/api/v1/callbacks",
            "register",
            Kind.INTERACTIVE,
            (c, i) ->
                new Call(
                    "PUT",
                    "/api/v1/callbacks",
                    "integrator",
                    "{\"url\": \"" + c.receiver + "\"}",
                    "application/json",
                    "application/json")));
    ops.add(
        op(
            "GET",
            "/api/v1/callbacks",
            "read",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/callbacks", "integrator")));
    ops.add(
        op(
            "GET",
            "/api/v1/callbacks/dead-letters",
            "list",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/callbacks/dead-letters", "integrator")));
    ops.add(
        op(
            "POST",
            "/api/v1/callbacks/dead-letters/{id}/redeliver",
            "redeliver",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.post(
                    "/api/v1/callbacks/dead-letters/" + c.deadLetter() + "/redeliver",
                    "integrator",
                    "")));
    ops.add(
        op(
            "DELETE",
            "/api/v1/callbacks",
            "remove",
            Kind.INTERACTIVE,
            (c, i) ->
                new Call(
                    "DELETE",
                    c.registeredCallback(),
                    "integrator",
                    null,
                    null,
                    "application/json")));
    ops.add(
        op(
            "GET",
            "/api/v1/events",
            "stream opens (headers)",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/events", "integrator").accepting("text/event-stream")));
    ops.add(
        op(
            "GET",
            "/api/v1/reviews/events",
            "stream opens (headers)",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get("/api/v1/reviews/events", "reviewer").accepting("text/event-stream")));
    // Ledger
    ops.add(
        op(
            "GET",
            "/ledger/checkpoint",
            "public",
            Kind.INTERACTIVE,
            (c, i) -> new Call("GET", "/ledger/checkpoint", null, null, null, "text/plain")));
    ops.add(
        op(
            "GET",
            "/ledger/tile/{path}",
            "level 0 tile",
            Kind.INTERACTIVE,
            (c, i) -> new Call("GET", "/ledger/tile/0/" + c.tile(i), null, null, null, "*/*")));
    ops.add(
        op(
            "GET",
            "/ledger/tile/entries/{path}",
            "entries tile",
            Kind.INTERACTIVE,
            (c, i) ->
                new Call(
                    "GET", "/ledger/tile/entries/" + c.tile(i), "auditor", null, null, "*/*")));
    ops.add(
        op(
            "GET",
            "/api/v1/ledger/key",
            "key",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/ledger/key", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/ledger/entries/{seq}",
            "entry",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/ledger/entries/" + c.seq(i), "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/ledger/proofs/inclusion",
            "proof",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    "/api/v1/ledger/proofs/inclusion?seq=" + c.seq(i) + "&treeSize=" + c.treeSize,
                    "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/ledger/proofs/consistency",
            "proof",
            Kind.INTERACTIVE,
            (c, i) ->
                Call.get(
                    "/api/v1/ledger/proofs/consistency?from=" + c.seq(i) + "&to=" + c.treeSize,
                    "auditor")));
    ops.add(
        op(
            "POST",
            "/api/v1/ledger/verify",
            "whole ledger and graph",
            Kind.REPORT,
            1,
            (c, i) -> Call.post("/api/v1/ledger/verify", "auditor", "")));
    // Operations
    ops.add(
        op(
            "GET",
            "/api/v1/journal",
            "state",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/journal", "admin")));
    ops.add(
        op(
            "POST",
            "/api/v1/journal/seal",
            "seal for a backup",
            Kind.INTERACTIVE,
            5,
            (c, i) -> Call.post("/api/v1/journal/seal", "admin", "")));
    // Graph: audit library, SPARQL, lineage, Linked Data, ontology, export
    ops.add(
        op(
            "GET",
            "/api/v1/audit/queries",
            "library",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/audit/queries", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/audit/queries/{name}",
            "one",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/audit/queries/who-decided", "auditor")));
    for (String query : AUDIT_QUERIES) {
      ops.add(
          op(
              "POST",
              "/api/v1/audit/queries/{name}",
              query,
              Kind.AUDIT,
              (c, i) ->
                  Call.post(
                      "/api/v1/audit/queries/" + query, "auditor", c.auditArguments(query, i))));
    }
    ops.add(
        op(
            "GET",
            "/sparql",
            "a decision's bundle",
            Kind.AUDIT,
            (c, i) ->
                Call.get("/sparql?query=" + encode(c.bundleQuery(i)), "auditor")
                    .accepting("application/sparql-results+json")));
    ops.add(
        op(
            "POST",
            "/sparql",
            "routes of a day's decisions",
            Kind.AUDIT,
            (c, i) ->
                new Call(
                    "POST",
                    "/sparql",
                    "auditor",
                    c.dayQuery(i),
                    "application/sparql-query",
                    "application/sparql-results+json")));
    ops.add(
        op(
            "GET",
            "/api/v1/lineage",
            "a decision, both ways, depth 5",
            Kind.AUDIT,
            (c, i) -> Call.get("/api/v1/lineage?node=" + encode(c.decisionIri(i)), "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/lineage",
            "the dataset downstream, 500",
            Kind.AUDIT,
            (c, i) ->
                Call.get(
                    "/api/v1/lineage?direction=downstream&limit=500&node="
                        + encode(CensusSeed.BASE_IRI + "datasets/loans"),
                    "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/lineage/impact",
            "dataset loans",
            Kind.REPORT,
            5,
            (c, i) ->
                Call.get(
                    "/api/v1/lineage/impact?dataset="
                        + encode(CensusSeed.BASE_IRI + "datasets/loans/versions/1"),
                    "auditor")));
    ops.add(
        op(
            "GET",
            "/id/{collection}/{id}",
            "a decision",
            Kind.AUDIT,
            (c, i) ->
                Call.get("/id/decisions/" + c.decision(i), "auditor").accepting("text/turtle")));
    ops.add(
        op(
            "GET",
            "/id/{collection}/{id}/{part}/{partId}",
            "a policy version",
            Kind.AUDIT,
            (c, i) ->
                Call.get("/id/policies/demo-credit-policy/versions/2", "auditor")
                    .accepting("text/turtle")));
    ops.add(
        op(
            "GET",
            "/api/v1/ontology",
            "Turtle",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/ontology", "auditor").accepting("text/turtle")));
    ops.add(
        op(
            "GET",
            "/api/v1/ontology/extensions",
            "list",
            Kind.INTERACTIVE,
            (c, i) -> Call.get("/api/v1/ontology/extensions", "auditor")));
    ops.add(
        op(
            "GET",
            "/api/v1/export",
            "10,000 events",
            Kind.REPORT,
            5,
            (c, i) ->
                Call.get(
                        "/api/v1/export?from=" + c.seq(i) + "&to=" + (c.seq(i) + 10_000), "auditor")
                    .accepting("application/n-quads")));
    ops.add(
        op(
            "GET",
            "/api/v1/export",
            "whole store",
            Kind.REPORT,
            1,
            (c, i) -> Call.get("/api/v1/export", "auditor").accepting("application/n-quads")));
    return ops;
  }

  /** The audit library, each with typical arguments ({@link Context#auditArguments}). */
  static final List<String> AUDIT_QUERIES =
      List.of(
          "decision-lineage",
          "decisions-by-model-version",
          "decisions-by-rule",
          "policy-version-active-at",
          "decisions-during-drift",
          "who-decided",
          "fail-safe-decisions",
          "automated-below-confidence",
          "escalation-by-policy-version",
          "verdicts-blind-or-sighted",
          "overrides-by-reviewer",
          "drift-alarms",
          "slo-breaches",
          "decisions-trained-on-dataset",
          "decisions-by-changed-rule",
          "model-versions-in-production-at");

  private static Operation op(
      String method, String path, String variant, Kind kind, CallMaker maker) {
    return new Operation(method, path, variant, kind, 0, maker);
  }

  private static Operation op(
      String method, String path, String variant, Kind kind, int runs, CallMaker maker) {
    return new Operation(method, path, variant, kind, runs, maker);
  }

  /** The operations the census calls, as "METHOD /path/{template}". */
  static Set<String> covered() {
    return operations().stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------

  public static void main(String[] args) throws Exception {
    Path data = Path.of(IntakeBench.option(args, "--data-dir", "target/census")).toAbsolutePath();
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "100000"));
    int runs = Integer.parseInt(IntakeBench.option(args, "--runs", "30"));
    int port = Integer.parseInt(IntakeBench.option(args, "--port", "9680"));
    String only = IntakeBench.option(args, "--only", "");
    Set<String> sections =
        new java.util.HashSet<>(
            Set.of(
                IntakeBench.option(
                        args, "--sections", only.isEmpty() ? "one,jobs,guard,reviewers" : "one")
                    .split(",")));
    if (Arrays.asList(args).contains("--jobs")) {
      sections.add("jobs"); // the older spelling of --sections one,jobs
    }
    System.out.printf(
        Locale.ROOT,
        "Arbiter census: %s, %d runs per operation; machine: %d cores, Java %s%n",
        data,
        runs,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    if (!Files.isDirectory(data.resolve("journal"))) {
      CensusSeed.seed(data, n);
    }
    if (Arrays.asList(args).contains("--seed-only")) {
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("arbiter.base-iri", CensusSeed.BASE_IRI);
    settings.put("arbiter.callbacks.allow-private-addresses", "true");
    settings.put("arbiter.callbacks.require-https", "false");
    settings.put("arbiter.callbacks.attempts", "1");
    // The census opens a stream per run and hangs up at once, faster than heartbeats find them
    // gone: it measures the opening, not the cap (EventStreamLimitsIT tests that).
    settings.put("arbiter.events.max-concurrent-per-caller", "1000");
    settings.put("arbiter.events.max-concurrent", "1000");
    OwnServer server = OwnServer.over("arbiter-census", port, data, settings);
    long starting = System.nanoTime();
    server.start(Duration.ofMinutes(15));
    System.out.printf(
        Locale.ROOT,
        "server ready over the seeded store in %.0f s%n",
        (System.nanoTime() - starting) / 1e9);
    try (Context context = new Context(server.base)) {
      context.prepare();
      if (sections.contains("one")) {
        List<Result> results = new ArrayList<>();
        for (Operation operation : operations()) {
          String name = operation.key() + " " + operation.variant();
          if (!only.isEmpty() && Arrays.stream(only.split(",")).noneMatch(name::contains)) {
            continue;
          }
          try {
            results.add(measure(context, operation, runsOf(operation, runs)));
          } catch (Exception e) {
            System.out.printf(
                Locale.ROOT,
                "%s (%s) could not be measured: %s%n",
                operation.key(),
                operation.variant(),
                e);
            results.add(new Result(operation, new double[] {Double.NaN}, Map.of(-1, 1)));
          }
        }
        print("one client", results);
      }
      if (sections.contains("jobs")) {
        jobs(context, only);
      }
      if (sections.contains("guard")) {
        contended(context, runs);
      }
      if (sections.contains("reviewers")) {
        reviewers(context, 16, runs);
      }
    } finally {
      server.stop();
    }
  }

  /** The reports that run as jobs when asked with Prefer: respond-async. */
  private static final Set<String> ASYNC_REPORTS =
      Set.of(
          "GET " + POLICIES + "/{id}/versions/{version}/coverage",
          "GET " + POLICIES + "/{id}/versions/{version}/shadow-report",
          "POST " + POLICIES + "/{id}/versions/{version}/backtest",
          "GET /api/v1/lineage/impact",
          "POST /api/v1/ledger/verify");

  /**
   * Each report asked for as a job (Prefer: respond-async), three times: how long until the 202
   * (the caller's wait) and until the job has finished (polled with Prefer: wait), with the job's
   * final state.
   */
  static void jobs(Context context, String only) throws Exception {
    System.out.printf(Locale.ROOT, "%n### reports as jobs%n%n");
    System.out.println(
        "| operation | use | to 202, ms (each run) | to finished, ms (each run) | states |");
    System.out.println("|---|---|---|---|---|");
    for (Operation operation : operations()) {
      String name = operation.key() + " " + operation.variant();
      if (!ASYNC_REPORTS.contains(operation.key())
          || !only.isEmpty() && Arrays.stream(only.split(",")).noneMatch(name::contains)) {
        continue;
      }
      List<String> accepted = new ArrayList<>();
      List<String> finished = new ArrayList<>();
      Map<String, Integer> states = new java.util.TreeMap<>();
      for (int i = 0; i < 3; i++) {
        Context.Job job = context.job(operation.maker().make(context, i));
        accepted.add(String.format(Locale.ROOT, "%.0f", job.acceptedNanos() / 1e6));
        finished.add(String.format(Locale.ROOT, "%.0f", job.finishedNanos() / 1e6));
        states.merge(job.state(), 1, Integer::sum);
      }
      System.out.printf(
          Locale.ROOT,
          "| `%s` | %s | %s | %s | %s |%n",
          operation.key(),
          operation.variant(),
          String.join(", ", accepted),
          String.join(", ", finished),
          states.entrySet().stream()
              .map(e -> e.getKey() + "×" + e.getValue())
              .collect(Collectors.joining(" ")));
    }
  }

  /** Reports run five times unless the operation says otherwise: each can take seconds. */
  private static int runsOf(Operation operation, int runs) {
    if (operation.runs() > 0) {
      return operation.runs();
    }
    return operation.kind() == Kind.REPORT ? Math.min(5, runs) : runs;
  }

  /** Latencies of one operation, in milliseconds, and the statuses it answered. */
  record Result(Operation operation, double[] millis, Map<Integer, Integer> statuses) {
    double percentile(double p) {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    boolean missed() {
      return operation.kind().targetMs > 0 && percentile(95) >= operation.kind().targetMs;
    }
  }

  static Result measure(Context context, Operation operation, int runs) throws Exception {
    // Reports are long enough to warm themselves; repeating them would only lengthen the run.
    int warmups = operation.kind() == Kind.REPORT ? 0 : Math.min(2, runs);
    for (int i = 0; i < warmups; i++) {
      context.time(operation.maker().make(context, i));
    }
    double[] millis = new double[runs];
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    for (int i = 0; i < runs; i++) {
      Call call = operation.maker().make(context, warmups + i);
      long[] timed = context.time(call);
      millis[i] = timed[1] / 1e6;
      statuses.merge((int) timed[0], 1, Integer::sum);
    }
    Result result = new Result(operation, millis, statuses);
    // Progress as it goes: a long report should not leave the run silent, nor lose what came
    // before.
    System.err.printf(
        Locale.ROOT,
        "measured %s (%s): p50 %.1f p95 %.1f ms %s%n",
        operation.key(),
        operation.variant(),
        result.percentile(50),
        result.percentile(95),
        statuses);
    return result;
  }

  static void print(String title, List<Result> results) {
    System.out.printf(Locale.ROOT, "%n### %s%n%n", title);
    System.out.println(
        "| operation | use | kind | target p95 | p50 ms | p95 ms | p99 ms | statuses | |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    int missed = 0;
    for (Result r : results) {
      Operation o = r.operation();
      System.out.printf(
          Locale.ROOT,
          "| `%s` | %s | %s | %s | %.1f | %.1f | %.1f | %s | %s |%n",
          o.key(),
          o.variant(),
          o.kind().name().toLowerCase(Locale.ROOT),
          o.kind().targetMs > 0 ? "< " + o.kind().targetMs + " ms" : "stream/job",
          r.percentile(50),
          r.percentile(95),
          r.percentile(99),
          r.statuses().entrySet().stream()
              .map(e -> e.getKey() + "×" + e.getValue())
              .collect(Collectors.joining(" ")),
          r.missed() ? "**missed**" : bad(r) ? "**error**" : "");
      missed += r.missed() || bad(r) ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d of %d rows miss their target or answered an error%n",
        missed,
        results.size());
  }

  private static boolean bad(Result r) {
    return r.statuses().keySet().stream().anyMatch(s -> s >= 400 || s < 0);
  }

  /** The interactive reviewer and decision paths while an export and an audit query run beside. */
  static void contended(Context context, int runs) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> heavy = new ArrayList<>();
    heavy.add(
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  // 20,000 events a time: heavy, yet short enough to stop with the measurement.
                  context.time(
                      Call.get("/api/v1/export?from=1&to=20001", "auditor")
                          .accepting("application/n-quads"));
                } catch (Exception e) {
                  return;
                }
              }
            }));
    heavy.add(
        new Thread(
            () -> {
              int i = 0;
              while (running.get()) {
                try {
                  context.time(
                      Call.post(
                          "/api/v1/audit/queries/overrides-by-reviewer",
                          "auditor",
                          context.auditArguments("overrides-by-reviewer", i++)));
                } catch (Exception e) {
                  return;
                }
              }
            }));
    heavy.forEach(Thread::start);
    Thread.sleep(2000);
    List<Result> results = new ArrayList<>();
    try {
      for (Operation operation : operations()) {
        if (operation.kind() == Kind.INTERACTIVE
            && (operation.template().startsWith(REVIEWS)
                || operation.template().startsWith(DECISIONS))) {
          results.add(measure(context, operation, runs));
        }
      }
    } finally {
      running.set(false);
      for (Thread thread : heavy) {
        thread.join(600_000);
      }
    }
    print("beside an export (20,000 events at a time) and an audit query", results);
  }

  /** {@code reviewers} clients, each claiming an open task and giving its verdict, at once. */
  static void reviewers(Context context, int reviewers, int runs) throws Exception {
    ConcurrentLinkedQueue<Double> claims = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Double> verdicts = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Integer, Integer> verdictStatuses = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < reviewers; r++) {
      String user = r % 2 == 0 ? "reviewer" : "reviewer2";
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < runs; i++) {
                    String task = context.nextOpen();
                    long[] claim =
                        context.time(Call.post(REVIEWS + "/" + task + "/claim", user, ""));
                    claims.add(claim[1] / 1e6);
                    statuses.merge((int) claim[0], 1, Integer::sum);
                    if (claim[0] == 200) {
                      long[] verdict =
                          context.time(
                              Call.post(
                                  REVIEWS + "/" + task + "/verdict",
                                  user,
                                  Context.VERDICT_APPROVE));
                      verdicts.add(verdict[1] / 1e6);
                      verdictStatuses.merge((int) verdict[0], 1, Integer::sum);
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    Operation claim =
        op(
            "POST",
            REVIEWS + "/{id}/claim",
            reviewers + " reviewers at once",
            Kind.CONCURRENT_REVIEW,
            (c, i) -> null);
    Operation verdict =
        op(
            "POST",
            REVIEWS + "/{id}/verdict",
            reviewers + " reviewers at once",
            Kind.CONCURRENT_REVIEW,
            (c, i) -> null);
    List<Result> results =
        List.of(
            new Result(claim, claims.stream().mapToDouble(Double::doubleValue).toArray(), statuses),
            new Result(
                verdict,
                verdicts.stream().mapToDouble(Double::doubleValue).toArray(),
                verdictStatuses));
    print(reviewers + " concurrent reviewers", results);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * What the calls need to know of the store (ids, windows, the ledger's size), and the untimed
   * set-up some of them need: a claimed task for a verdict, two disagreeing verdicts for a ruling,
   * a policy in the right state for each transition.
   */
  static final class Context implements AutoCloseable {

    static final String VERDICT_APPROVE =
        "{\"verdict\": \"approve\", \"reasonCode\": \"income-verified\", \"rules\": [],"
            + " \"justification\": \"Checked against the documents.\"}";
    static final String VERDICT_REJECT =
        "{\"verdict\": \"reject\", \"reasonCode\": \"income-unverified\", \"rules\": [],"
            + " \"justification\": \"The documents do not show it.\"}";
    static final String REFERENCE =
        "{\"inputs\": {\"amount\": {\"type\": \"histogram\", \"edges\": [0, 10000, 50000, 1000000],"
            + " \"counts\": [60, 30, 10]}}}";

    private final String base;
    private final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final long run = System.currentTimeMillis() % 1_000_000;
    private final AtomicInteger nonces = new AtomicInteger();
    Instant start;
    Instant end;
    long treeSize;
    String feature;
    String slo;
    String receiver;
    private HttpServer receiving;
    private final List<String> decisions = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> withoutTruth = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> open = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> blind = new ConcurrentLinkedQueue<>();
    private final List<String> openSample = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> deadLetters = new ConcurrentLinkedQueue<>();
    private final List<String> cursors = new ArrayList<>();
    private String activeProbe;

    /** Tasks already handed out: each is claimed or settled once. */
    private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Context(String base) {
      this.base = base;
    }

    /** A number no other call of this run, nor an earlier run, has had: for fresh ids. */
    int nonce() {
      return (int) (run * 1000 + nonces.incrementAndGet());
    }

    /** Reads what the calls need, and sets up what the store lacks (a drift reference, SLOs). */
    void prepare() throws Exception {
      // A probe policy an earlier run left active would refuse this run's activations.
      for (JsonValue value : json(send(Call.get(POLICIES, "auditor")).body()).asJsonArray()) {
        JsonObject policy = value.asJsonObject();
        if (policy.getString("id").startsWith("census-probe-")
            && policy.getString("state").equals("active")) {
          activeProbe = POLICIES + "/" + policy.getString("id") + "/versions/1";
        }
      }
      JsonObject firstPage =
          json(send(Call.get(DECISIONS + "?limit=500", "auditor")).body()).asJsonObject();
      JsonArray items = firstPage.getJsonArray("items");
      for (JsonValue value : items) {
        JsonObject d = value.asJsonObject();
        decisions.add(d.getString("id"));
      }
      Instant newest = Instant.parse(items.getJsonObject(0).getString("submittedAt"));
      end = newest.plusSeconds(1);
      start = end.minus(Duration.ofDays(31));
      String cursor = null;
      for (int page = 0; page < 6; page++) {
        var reply =
            json(send(Call.get(
                        DECISIONS + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                        "integrator"))
                    .body())
                .asJsonObject();
        cursor =
            reply.containsKey("next") && !reply.isNull("next") ? reply.getString("next") : null;
        if (cursor == null) {
          break;
        }
        cursors.add(cursor);
      }
      refillOpen();
      // Fresh decisions for the outcomes to be recorded on (a seeded one may have one already).
      for (int i = 0; i < 64; i++) {
        var submitted =
            send(Call.post(DECISIONS, "integrator", CensusSeed.body(9_000_000 + nonce())));
        withoutTruth.add(json(submitted.body()).asJsonObject().getString("id"));
      }
      treeSize =
          json(send(Call.get("/api/v1/journal", "admin")).body())
              .asJsonObject()
              .getJsonNumber("events")
              .longValue();
      var features = json(send(Call.get(REGISTRY + "/features", "auditor")).body());
      if (features.asJsonArray().isEmpty()) {
        send(
            Call.post(
                REGISTRY + "/features",
                "data-steward",
                "{\"name\": \"risk\", \"definition\": \"score / 1000\","
                    + " \"derivedFrom\": [{\"source\": \"bureau\", \"field\": \"score\"}]}"));
        features = json(send(Call.get(REGISTRY + "/features", "auditor")).body());
      }
      feature = features.asJsonArray().getJsonObject(0).getString("name");
      slo =
          json(send(Call.get("/api/v1/slos", "auditor")).body())
              .asJsonArray()
              .getJsonObject(0)
              .getString("id");
      if (send(Call.get("/api/v1/models/demo-credit/versions/2/reference", "auditor")).statusCode()
          != 200) {
        String pending =
            json(send(new Call(
                        "PUT",
                        "/api/v1/models/demo-credit/versions/2/reference",
                        "policy-author",
                        REFERENCE,
                        "application/json",
                        "application/json"))
                    .body())
                .asJsonObject()
                .getString("iri");
        expect(
            200,
            send(
                Call.post(
                    "/api/v1/models/demo-credit/versions/2/reference/approve",
                    "policy-approver",
                    "{\"reference\": \"" + pending + "\"}")));
      }
      send(
          Call.post(
              REGISTRY + "/models/census-probe/versions", "data-steward", "{\"version\": \"1\"}"));
      receiving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      receiving.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      receiving.start();
      receiver = "http://127.0.0.1:" + receiving.getAddress().getPort() + "/hook";
      deadLetters();
    }

    /** A few decisions whose callbacks fail (a closed port, one attempt): dead letters. */
    private void deadLetters() throws Exception {
      send(
          new Call(
              "PUT",
              "/api/v1/callbacks",
              "integrator",
              "{\"url\": \"http://127.0.0.1:9/closed\"}",
              "application/json",
              "application/json"));
      // Callbacks tell of settlements: settle a few of the integrator's escalations.
      for (int i = 0; i < 40; i++) {
        String task = claimed("reviewer");
        expect(
            200, send(Call.post(REVIEWS + "/" + task + "/verdict", "reviewer", VERDICT_APPROVE)));
      }
      for (int attempt = 0; attempt < 60 && deadLetters.size() < 35; attempt++) {
        Thread.sleep(500);
        deadLetters.clear();
        for (JsonValue letter :
            json(send(Call.get("/api/v1/callbacks/dead-letters", "integrator")).body())
                .asJsonArray()) {
          deadLetters.add(letter.asJsonObject().getString("id"));
        }
      }
      send(
          new Call(
              "PUT",
              "/api/v1/callbacks",
              "integrator",
              "{\"url\": \"" + receiver + "\"}",
              "application/json",
              "application/json"));
    }

    private synchronized void refillOpen() throws Exception {
      // Work order puts the unsure model's tasks first: the two-reviewer queue is read apart.
      refillOpen("");
      refillOpen("&queue=senior-credit");
    }

    private void refillOpen(String filter) throws Exception {
      String cursor = null;
      for (int page = 0; page < 10; page++) {
        var reply =
            json(send(Call.get(
                        REVIEWS
                            + "?state=open&limit=200"
                            + filter
                            + (cursor == null ? "" : "&cursor=" + cursor),
                        "auditor"))
                    .body())
                .asJsonObject();
        for (JsonValue value : reply.getJsonArray("items")) {
          JsonObject task = value.asJsonObject();
          if (!task.getString("kind", "escalation").equals("escalation")
              || !seen.add(task.getString("id"))) {
            continue;
          }
          if (task.getInt("reviewersNeeded", 1) > 1) {
            blind.add(task.getString("id"));
          } else {
            open.add(task.getString("id"));
          }
          if (openSample.size() < 200) {
            openSample.add(task.getString("id"));
          }
        }
        cursor =
            reply.containsKey("next") && !reply.isNull("next") ? reply.getString("next") : null;
        if (cursor == null) {
          break;
        }
      }
    }

    record Window(Instant from, Instant to) {}

    /** The {@code i}-th day of the history, round the month. */
    Window day(int i) {
      Instant from = start.plus(Duration.ofDays(1 + (i * 7L) % 29));
      return new Window(from, from.plus(Duration.ofDays(1)));
    }

    String decision(int i) {
      return decisions.get((i * 37) % decisions.size());
    }

    String decisionIri(int i) {
      return CensusSeed.BASE_IRI + "decisions/" + decision(i);
    }

    String cursor(int page) {
      return cursors.get(Math.min(page, cursors.size()) - 1);
    }

    String withoutTruth() {
      return java.util.Objects.requireNonNull(
          withoutTruth.poll(), "no decision left without an outcome");
    }

    String openTask(int i) {
      return openSample.get(i % openSample.size());
    }

    String nextOpen() throws Exception {
      String task = open.poll();
      if (task == null) {
        refillOpen();
        task = java.util.Objects.requireNonNull(open.poll(), "no open task left");
      }
      return task;
    }

    /** An open task {@code user} has just claimed. */
    String claimed(String user) throws Exception {
      String task = nextOpen();
      expect(200, send(Call.post(REVIEWS + "/" + task + "/claim", user, "")));
      return task;
    }

    /** A two-reviewer task whose reviewers disagreed: awaiting a lead's ruling. */
    String disagreement() throws Exception {
      String task = java.util.Objects.requireNonNull(blind.poll(), "no two-reviewer task left");
      expect(200, send(Call.post(REVIEWS + "/" + task + "/claim", "reviewer", "")));
      expect(200, send(Call.post(REVIEWS + "/" + task + "/verdict", "reviewer", VERDICT_APPROVE)));
      expect(200, send(Call.post(REVIEWS + "/" + task + "/claim", "reviewer2", "")));
      expect(200, send(Call.post(REVIEWS + "/" + task + "/verdict", "reviewer2", VERDICT_REJECT)));
      return task;
    }

    /** The callbacks path, once the integrator has a callback registered again. */
    String registeredCallback() throws Exception {
      expect(
          200,
          send(
              new Call(
                  "PUT",
                  "/api/v1/callbacks",
                  "integrator",
                  "{\"url\": \"" + receiver + "\"}",
                  "application/json",
                  "application/json")));
      return "/api/v1/callbacks";
    }

    String deadLetter() {
      return java.util.Objects.requireNonNull(deadLetters.poll(), "no dead letter left");
    }

    /** A census-probe reference profile uploaded (untimed) and awaiting approval: its IRI. */
    String pendingReference() throws Exception {
      HttpResponse<String> uploaded =
          send(
              new Call(
                  "PUT",
                  "/api/v1/models/census-probe/versions/1/reference",
                  "policy-author",
                  REFERENCE,
                  "application/json",
                  "application/json"));
      expect(202, uploaded);
      return json(uploaded.body()).asJsonObject().getString("iri");
    }

    String unapprovedModel() throws Exception {
      String version = "a" + nonce();
      expect(
          201,
          send(
              Call.post(
                  REGISTRY + "/models/census-probe/versions",
                  "data-steward",
                  "{\"version\": \"" + version + "\"}")));
      return version;
    }

    /** A policy for the probe model, by its author, each time new. */
    String probePolicy() {
      return """
          id: census-probe-%d
          version: 1
          scope:
            models: [census-probe]
          inputs:
            amount: number
          rules:
            - id: small
              condition: input.amount < 1000
              route: approve
          default:
            route: review
            review: {queue: general, reviewers: 1, sla: PT24H}
          """
          .formatted(nonce());
    }

    /** The path of a probe policy version in the state {@code transition} starts from. */
    String policyFor(String transition) throws Exception {
      String text = probePolicy();
      String id = text.lines().findFirst().orElseThrow().substring("id: ".length());
      expect(
          201,
          send(
              new Call(
                  "POST",
                  POLICIES,
                  "policy-author",
                  text,
                  "application/yaml",
                  "application/json")));
      String path = POLICIES + "/" + id + "/versions/1";
      if (transition.equals("activate")) {
        // One active policy per model: the one the last run activated steps aside first.
        if (activeProbe != null) {
          expect(200, send(Call.post(activeProbe + "/retire", "policy-approver", "{}")));
        }
        activeProbe = path;
      }
      if (!transition.equals("approve")) {
        expect(200, send(Call.post(path + "/approve", "policy-approver", "{}")));
      }
      if (transition.equals("retire")) {
        expect(200, send(Call.post(path + "/shadow", "policy-approver", "{}")));
      }
      return path;
    }

    /** A tile index within the ledger, three digits per path element as tlog tiles name them. */
    String tile(int i) {
      long tiles = Math.max(1, treeSize / 256);
      long index = (i * 7919L) % tiles;
      return tilePath(index);
    }

    static String tilePath(long index) {
      String digits = String.valueOf(index);
      int groups = (digits.length() + 2) / 3;
      String padded = "0".repeat(groups * 3 - digits.length()) + digits;
      StringBuilder path = new StringBuilder();
      for (int g = 0; g < groups; g++) {
        if (g > 0) {
          path.append('/');
        }
        if (g < groups - 1) {
          path.append('x');
        }
        path.append(padded, g * 3, g * 3 + 3);
      }
      return path.toString();
    }

    long seq(int i) {
      return 1 + (i * 104_729L) % Math.max(1, treeSize - 10_000);
    }

    String bundleQuery(int i) {
      return "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
          + "SELECT ?p ?o WHERE { GRAPH ?g { <"
          + decisionIri(i)
          + "> ?p ?o } } LIMIT 100";
    }

    String dayQuery(int i) {
      Window day = day(i);
      return "PREFIX arb: <https://w3id.org/arbiter/ns#>\n"
          + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
          + "SELECT ?route (COUNT(*) AS ?n) WHERE { GRAPH ?g {\n"
          + "  ?d arb:submittedInHour ?h ; arb:route ?route } GRAPH ?hg {\n"
          + "  ?h arb:hourStart ?start FILTER(?start >= \""
          + day.from()
          + "\"^^xsd:dateTime"
          + " && ?start < \""
          + day.to()
          + "\"^^xsd:dateTime) } } GROUP BY ?route";
    }

    /** Typical arguments for a library query. */
    String auditArguments(String query, int i) {
      Window day = day(i);
      String decision = decisionIri(i);
      String modelVersion = CensusSeed.BASE_IRI + "models/demo-credit/versions/2";
      String policy = CensusSeed.BASE_IRI + "policies/demo-credit-policy";
      String window = "\"from\": \"" + day.from() + "\", \"to\": \"" + day.to() + "\"";
      return switch (query) {
        case "decision-lineage", "who-decided" -> "{\"decision\": \"" + decision + "\"}";
        case "decisions-by-model-version", "decisions-during-drift", "drift-alarms" ->
            "{\"modelVersion\": \""
                + modelVersion
                + "\""
                + (query.equals("decisions-by-model-version") ? ", " + window : "")
                + "}";
        case "decisions-by-rule" ->
            "{\"policyVersion\": \""
                + policy
                + "/versions/2\","
                + " \"ruleId\": \"low-confidence\", "
                + window
                + "}";
        case "policy-version-active-at" ->
            "{\"policy\": \"" + policy + "\", \"at\": \"" + day.from() + "\"}";
        case "slo-breaches" -> "{\"objective\": \"" + CensusSeed.BASE_IRI + "slos/" + slo + "\"}";
        case "decisions-trained-on-dataset" ->
            "{\"dataset\": \""
                + CensusSeed.BASE_IRI
                + "datasets/loans/versions/1\", "
                + window
                + "}";
        case "decisions-by-changed-rule" ->
            "{\"policy\": \"" + policy + "/versions/2\", " + window + "}";
        case "model-versions-in-production-at" -> "{\"at\": \"" + day.from() + "\"}";
        case "automated-below-confidence" -> "{\"threshold\": 0.8, " + window + "}";
        default -> "{" + window + "}";
      };
    }

    /**
     * Sends {@code call} and returns its status and nanoseconds to the whole answer (headers for a
     * stream).
     */
    long[] time(Call call) throws Exception {
      HttpRequest request = request(call);
      long began = System.nanoTime();
      if ("text/event-stream".equals(call.accept())) {
        // A stream whose headers do not come within 10 s counts as failed (-1), not as a hang.
        request =
            HttpRequest.newBuilder(request, (name, value) -> true)
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<InputStream> reply;
        try {
          reply = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
          return new long[] {-1, System.nanoTime() - began};
        }
        long took = System.nanoTime() - began;
        reply.body().close();
        return new long[] {reply.statusCode(), took};
      }
      HttpResponse<Void> reply = http.send(request, HttpResponse.BodyHandlers.discarding());
      return new long[] {reply.statusCode(), System.nanoTime() - began};
    }

    HttpResponse<String> send(Call call) throws Exception {
      return http.send(request(call), HttpResponse.BodyHandlers.ofString());
    }

    /** A report run as a job: time to its 202, time until it finished, and how it ended. */
    record Job(long acceptedNanos, long finishedNanos, String state) {}

    Job job(Call call) throws Exception {
      long began = System.nanoTime();
      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(request(call), (name, value) -> true)
                  .header("Prefer", "respond-async")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long accepted = System.nanoTime() - began;
      if (reply.statusCode() != 202) {
        return new Job(accepted, accepted, "answered " + reply.statusCode());
      }
      String path = "/api/v1/jobs/" + json(reply.body()).asJsonObject().getString("id");
      String state = "";
      // 30 minutes at most: a job still running then is reported as it stands.
      for (int i = 0; i < 90 && !Set.of("succeeded", "failed", "cancelled").contains(state); i++) {
        HttpResponse<String> job =
            http.send(
                HttpRequest.newBuilder(request(Call.get(path, call.user())), (n, v) -> true)
                    .header("Prefer", "wait=20")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        state = json(job.body()).asJsonObject().getString("state");
      }
      return new Job(accepted, System.nanoTime() - began, state);
    }

    private String finishedJob;

    /**
     * The path of a finished job of {@code policy-author}'s (started once, untimed): a backtest of
     * the first day, asked for with Prefer: respond-async and waited for with Prefer: wait.
     */
    synchronized String finishedJob() throws Exception {
      if (finishedJob == null) {
        Call start =
            Call.post(
                POLICIES + "/demo-credit-policy/versions/3/backtest",
                "policy-author",
                "{\"from\": \"" + day(0).from() + "\", \"to\": \"" + day(0).to() + "\"}");
        HttpResponse<String> accepted =
            http.send(
                HttpRequest.newBuilder(request(start), (name, value) -> true)
                    .header("Prefer", "respond-async")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(202, accepted);
        String path = "/api/v1/jobs/" + json(accepted.body()).asJsonObject().getString("id");
        String state = "";
        for (int i = 0;
            i < 30 && !Set.of("succeeded", "failed", "cancelled").contains(state);
            i++) {
          HttpResponse<String> job =
              http.send(
                  HttpRequest.newBuilder(request(Call.get(path, "policy-author")), (n, v) -> true)
                      .header("Prefer", "wait=20")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          state = json(job.body()).asJsonObject().getString("state");
        }
        if (!"succeeded".equals(state)) {
          throw new IllegalStateException("the census's backtest job ended " + state);
        }
        finishedJob = path;
      }
      return finishedJob;
    }

    private HttpRequest request(Call call) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + call.path())).timeout(Duration.ofMinutes(30));
      if (call.user() != null) {
        builder.header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (call.user() + ":" + OwnServer.PASSWORD).getBytes(StandardCharsets.UTF_8)));
      }
      if (call.accept() != null) {
        builder.header("Accept", call.accept());
      }
      if (call.type() != null) {
        builder.header("Content-Type", call.type());
      }
      builder.method(
          call.method(),
          call.body() == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(call.body()));
      return builder.build();
    }

    private static void expect(int status, HttpResponse<String> reply) {
      if (reply.statusCode() != status) {
        throw new IllegalStateException(
            "set-up call answered " + reply.statusCode() + ": " + reply.body());
      }
    }

    static JsonStructure json(String text) {
      return Json.createReader(new StringReader(text)).read();
    }

    @Override
    public void close() {
      if (receiving != null) {
        receiving.stop(0);
      }
    }
  }
}
