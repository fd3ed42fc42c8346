package io.arbiter.jobs;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reports as jobs through the real server: a report asked for with {@code Prefer: respond-async}
 * answers 202 with its job, and the job's result is what the synchronous request answers; a job can
 * be cancelled and stops; nobody but its owner (and an admin) sees it; a backtest's window is
 * capped.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(300)
class JobsIT {

  private static final String VERSIONS = "/api/v1/policies/demo-credit-policy/versions/";
  private static final String ASYNC = "respond-async";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** Submits {@code n} decisions of demo-credit; answers the window that holds them. */
  private static String window(int n) {
    Instant from = Instant.now();
    for (int i = 0; i < n; i++) {
      Reply decision =
          postJson(
              "/api/v1/decisions",
              "integrator",
              Fixtures.requestJson(20000 + 1000 * i, 200000, 0.1, "approve", 0.9));
      assertTrue(decision.status() == 201 || decision.status() == 202, decision.toString());
    }
    Instant to = Instant.now().plusMillis(1);
    return "{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}";
  }

  private static Reply postAsync(String path, String user, String json) {
    return postJson(path, user, json, "Prefer", ASYNC);
  }

  private static Reply getAsync(String path, String user) {
    return Api.send(
        Api.request(path, user)
            .header("Accept", "application/json")
            .header("Prefer", ASYNC)
            .GET()
            .build());
  }

  /** The 202 a job answers, checked; its job's path. */
  private static String accepted(Reply reply, String kind, String owner) {
    assertEquals(202, reply.status(), reply.toString());
    assertEquals("respond-async", reply.header("Preference-Applied"));
    JsonObject job = reply.json();
    String path = "/api/v1/jobs/" + job.getString("id");
    assertEquals(Api.BASE + path, reply.header("Location"));
    assertEquals(path, job.getString("href"));
    assertEquals(kind, job.getString("kind"));
    assertEquals(owner, job.getString("owner"));
    // Any state but cancelled: a quick report may have finished, or failed, before the 202 left.
    assertTrue(
        Set.of("queued", "running", "succeeded", "failed").contains(job.getString("state")),
        job.toString());
    assertNotNull(job.getString("created"));
    return path;
  }

  /** Reads the job with Prefer: wait until it finished (each read waits for it, no sleeping). */
  private static JsonObject finished(String path, String user) {
    for (int i = 0; i < 20; i++) {
      Reply reply =
          Api.send(Api.plainRequest(path, user).header("Prefer", "wait=10").GET().build());
      assertEquals(200, reply.status(), reply.toString());
      String state = reply.json().getString("state");
      if (Set.of("succeeded", "failed", "cancelled").contains(state)) {
        return reply.json();
      }
    }
    throw new AssertionError("the job at " + path + " did not finish");
  }

  @Test
  void backtestAsAJob_answersWhatTheSynchronousBacktestAnswers_andOnlyItsOwnerSeesIt() {
    String range = window(3);
    Reply now = postJson(VERSIONS + "1/backtest", "policy-author", range);
    assertEquals(200, now.status(), now.toString());

    String job =
        accepted(
            postAsync(VERSIONS + "1/backtest", "policy-author", range),
            "backtest",
            "policy-author");
    JsonObject done = finished(job, "policy-author");
    assertEquals("succeeded", done.getString("state"), done.toString());
    assertEquals(now.json(), done.getJsonObject("result"), "the job's result is the report");
    assertEquals(3, now.json().getInt("evaluated"));
    assertEquals(3, done.getJsonObject("progress").getInt("done"));
    assertEquals(3, done.getJsonObject("progress").getInt("total"));
    assertTrue(done.containsKey("started") && done.containsKey("finished"), done.toString());
    assertFalse(done.containsKey("problem"));

    // Another caller, whatever their roles, is told there is no such job; an admin sees it.
    assertEquals(404, get(job, "auditor", "application/json").status());
    assertEquals(404, postJson(job + "/cancel", "auditor", "{}").status());
    assertEquals(404, get(job, "policy-approver", "application/json").status());
    assertEquals(200, get(job, "admin", "application/json").status());
    assertEquals(403, get(job, "integrator", "application/json").status());
    assertEquals(
        404, get("/api/v1/jobs/" + UUID.randomUUID(), "admin", "application/json").status());
    String id = done.getString("id");
    assertTrue(ids(get("/api/v1/jobs", "policy-author", "application/json")).contains(id));
    assertFalse(ids(get("/api/v1/jobs", "auditor", "application/json")).contains(id));

    // With wait=N, a report done in time is answered inline, as without Prefer.
    Reply inline =
        postJson(
            VERSIONS + "1/backtest", "policy-author", range, "Prefer", "respond-async, wait=20");
    assertEquals(200, inline.status(), inline.toString());
    assertEquals(now.json(), inline.json());
  }

  private static List<String> ids(Reply list) {
    assertEquals(200, list.status(), list.toString());
    try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(list.body()))) {
      return reader.readArray().stream()
          .map(JsonValue::asJsonObject)
          .map(j -> j.getString("id"))
          .toList();
    }
  }

  @Test
  void impactAndVerificationAsJobs_answerWhatTheSynchronousRequestsAnswer() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String dataset = "jobs-" + tag;
    assertEquals(
        201,
        postJson(
                "/api/v1/registry/sources",
                "data-steward",
                "{\"id\": \"src-" + tag + "\", \"title\": \"s\"}")
            .status());
    assertEquals(
        201,
        postJson(
                "/api/v1/registry/datasets",
                "data-steward",
                "{\"id\": \"" + dataset + "\", \"title\": \"d\"}")
            .status());
    Reply version =
        postJson(
            "/api/v1/registry/datasets/" + dataset + "/versions",
            "data-steward",
            """
            {"version": "1", "contentHash": "sha256:%s", "derivedFrom": ["src-%s"]}"""
                .formatted("0e".repeat(32), tag));
    assertEquals(201, version.status(), version.toString());

    String impact =
        "/api/v1/lineage/impact?dataset=" + URLEncoder.encode(dataset, StandardCharsets.UTF_8);
    Reply now = get(impact, "data-steward", "application/json");
    assertEquals(200, now.status(), now.toString());
    JsonObject done =
        finished(
            accepted(getAsync(impact, "data-steward"), "impact", "data-steward"), "data-steward");
    assertEquals("succeeded", done.getString("state"), done.toString());
    assertEquals(now.json(), done.getJsonObject("result"));
    assertEquals(4, done.getJsonObject("progress").getInt("total"));
    assertEquals(4, done.getJsonObject("progress").getInt("done"));

    // A report that fails as a job keeps its problem, as the synchronous request would answer it.
    String missing = "/api/v1/lineage/impact?dataset=none-" + tag;
    assertEquals(404, get(missing, "data-steward", "application/json").status());
    JsonObject failed =
        finished(
            accepted(getAsync(missing, "data-steward"), "impact", "data-steward"), "data-steward");
    assertEquals("failed", failed.getString("state"));
    assertEquals(404, failed.getJsonObject("problem").getInt("status"));
    assertEquals(
        "https://w3id.org/arbiter/problems/not-found",
        failed.getJsonObject("problem").getString("type"));
    assertEquals(
        "dataset",
        failed.getJsonObject("problem").getJsonArray("errors").getJsonObject(0).getString("field"));

    Reply verified = postJson("/api/v1/ledger/verify", "auditor", "");
    assertEquals(200, verified.status(), verified.toString());
    JsonObject job =
        finished(
            accepted(postAsync("/api/v1/ledger/verify", "auditor", ""), "verification", "auditor"),
            "auditor");
    assertEquals("succeeded", job.getString("state"), job.toString());
    JsonObject report = job.getJsonObject("result");
    assertTrue(report.getBoolean("ok"), report.toString());
    assertEquals(verified.json().getJsonArray("faults"), report.getJsonArray("faults"));
    // The log only grows between the two: the job checked at least what the request did.
    assertTrue(report.getInt("entries") >= verified.json().getInt("entries"), report.toString());
    assertEquals(
        2L * report.getInt("entries"),
        job.getJsonObject("progress").getJsonNumber("total").longValue(),
        "each record once against the log and once against the store");
  }

  /**
   * A candidate whose six rules each cost CEL's whole iteration budget (two nested all() over 140
   * items, inside the limits a new version is checked against) and never match: a backtest slow
   * enough to be cancelled halfway, as a costly draft would be.
   */
  private static String slowPolicy(String id) {
    String items =
        IntStream.range(0, 140).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String condition = "\"!([%s].all(x, [%s].all(y, x + y >= 0)))\"".formatted(items, items);
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      rules
          .append("  - id: costly-")
          .append(i)
          .append("\n    condition: ")
          .append(condition)
          .append("\n    route: approve\n");
    }
    return """
        id: %s
        version: 1
        scope:
          models: [demo-credit]
        inputs:
          amount: number
        rules:
        %sdefault:
          route: review
          review: {queue: general, reviewers: 1, sla: PT24H}
        """
        .formatted(id, rules);
  }

  @Test
  void cancellingARunningBacktest_stopsItBeforeItEvaluatedEverything() {
    String policy = "jobs-it-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created = Api.postPolicy(slowPolicy(policy));
    assertEquals(201, created.status(), created.toString());
    String range = window(12);
    String path = "/api/v1/policies/" + policy + "/versions/1/backtest";
    String job = accepted(postAsync(path, "policy-author", range), "backtest", "policy-author");

    // Wait until it has evaluated something, then cancel it.
    JsonObject running = null;
    Instant giveUp = Instant.now().plusSeconds(60);
    while (running == null && Instant.now().isBefore(giveUp)) {
      JsonObject now = get(job, "policy-author", "application/json").json();
      if (now.getJsonObject("progress").getInt("done") > 0) {
        running = now;
      }
      assertFalse(
          now.getString("state").equals("succeeded"),
          "finished before it could be cancelled: " + now);
    }
    assertNotNull(running, "the backtest never started");
    Reply cancel = postJson(job + "/cancel", "policy-author", "{}", "Prefer", "wait=20");
    assertEquals(200, cancel.status(), cancel.toString());
    assertEquals("cancelled", cancel.json().getString("state"), "stopped within the wait");
    JsonObject cancelled = finished(job, "policy-author");
    assertEquals("cancelled", cancelled.getString("state"), cancelled.toString());
    assertEquals(12, cancelled.getJsonObject("progress").getInt("total"));
    assertTrue(cancelled.getJsonObject("progress").getInt("done") < 12, cancelled.toString());
    assertFalse(cancelled.containsKey("result"));
    // Its permit is free again: the same caller may start reports.
    assertEquals(200, postJson(VERSIONS + "1/backtest", "policy-author", range).status());
  }

  @Test
  void backtestWindow_longerThanTheMaximum_isRefusedNamingFrom() {
    Reply tooLong =
        postJson(
            VERSIONS + "1/backtest",
            "policy-author",
            "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-03-01T00:00:00Z\"}");
    assertEquals(422, tooLong.status(), tooLong.toString());
    assertEquals("from", tooLong.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Reply asJob =
        postAsync(VERSIONS + "1/backtest", "policy-author", "{\"from\": \"2026-01-01T00:00:00Z\"}");
    assertEquals(422, asJob.status(), "refused before any job starts: " + asJob);
    Reply month =
        postJson(
            VERSIONS + "1/backtest",
            "policy-author",
            "{\"from\": \"" + Instant.now().minus(Duration.ofDays(30)) + "\"}");
    assertEquals(200, month.status(), month.toString());
    assertEquals(
        404,
        postAsync("/api/v1/policies/no-such/versions/1/backtest", "policy-author", "{}").status());
  }
}
