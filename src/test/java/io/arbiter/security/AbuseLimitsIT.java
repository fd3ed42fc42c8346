package io.arbiter.security;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.sparql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemType;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Await;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each request that once took the server down, or answered 500, sent to the real server: each now
 * gets a 4xx problem naming what it went past (docs/security.md, "Limits"), or is answered.
 */
@ExtendWith(ArquillianExtension.class)
class AbuseLimitsIT {

  private static final String RESULTS = "application/sparql-results+json";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static void assertProblem(Reply reply, ProblemType type) {
    assertEquals(type.status(), reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals(type.uri(), reply.json().getString("type"), reply.toString());
  }

  /** A refusal of {@code type} whose detail names {@code setting}. */
  private static void assertRefused(Reply reply, ProblemType type, String setting) {
    assertProblem(reply, type);
    assertTrue(reply.json().getString("detail").contains(setting), reply.toString());
  }

  private static String field(Reply reply) {
    return reply.json().getJsonArray("errors").getJsonObject(0).getString("field");
  }

  /** BINDs that double ?s0 {@code times} times, into ?s1 … ?s{times}. */
  private static String doubling(int times) {
    return IntStream.range(0, times)
        .mapToObj(i -> "BIND(CONCAT(?s%d, ?s%d) AS ?s%d)".formatted(i, i, i + 1))
        .collect(Collectors.joining(" "));
  }

  @Test
  void sparql_concatDoublingTwentyTimes_isQueryTooLarge() {
    Reply reply =
        sparql(
            "auditor",
            "SELECT (STRLEN(?s20) AS ?n) WHERE { VALUES ?s0 { \"0123456789\" } "
                + doubling(20)
                + " }",
            RESULTS);
    assertProblem(reply, ProblemType.QUERY_TOO_LARGE);
    assertEquals("query", field(reply));
  }

  /**
   * Rows within the row cap whose values are each within the string limit but add up past the
   * result's size limit (110 rows of 163,840 characters: 18 million against 16 MiB) are refused
   * whole, not cut mid-row and not run out of memory.
   */
  @Test
  void sparql_resultPastItsSizeLimit_isQueryTooLarge() {
    String rows =
        IntStream.rangeClosed(1, 110).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    Reply reply =
        sparql(
            "auditor",
            "SELECT ?i ?s14 WHERE { VALUES ?i { "
                + rows
                + " } BIND(\"0123456789\" AS ?s0) "
                + doubling(14)
                + " }",
            RESULTS);
    assertProblem(reply, ProblemType.QUERY_TOO_LARGE);
    assertTrue(
        reply.json().toString().contains("arbiter.sparql.max-result-bytes"), reply.toString());
  }

  @Test
  void sparql_regexWithNestedLazyGroups_isAnsweredNotLeftRunning() {
    // Exponential for java.util.regex within one row, past any timeout; linear on RE2J.
    Reply reply =
        sparql(
            "auditor",
            "ASK { VALUES ?s { \""
                + "a".repeat(64)
                + "!\" } FILTER(REGEX(?s, \"^(a+?)+?(a*?)*?$\")) }",
            RESULTS);
    assertEquals(200, reply.status(), reply.toString());
    assertFalse(reply.json().getBoolean("boolean"));
  }

  @Test
  void sparql_constructTemplateMultiplyingTriples_isQueryTooLarge() {
    String values =
        IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    String template =
        IntStream.range(0, 11)
            .mapToObj(i -> "?s <urn:p" + i + "> ?a .")
            .collect(Collectors.joining(" "));
    Reply reply =
        Api.send(
            Api.request("/sparql", "auditor")
                .header("Content-Type", "application/sparql-query")
                .header("Accept", "application/n-triples")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "CONSTRUCT { "
                            + template
                            + " } WHERE { VALUES ?a { "
                            + values
                            + " } VALUES ?b { "
                            + values
                            + " } BIND(IRI(CONCAT(\"urn:x:\", STR(?a), \":\", STR(?b))) AS ?s) }"))
                .build());
    assertProblem(reply, ProblemType.QUERY_TOO_LARGE);
  }

  @Test
  void sparql_aThirdConcurrentQueryOfOneCaller_isTooManyRequests() throws Exception {
    // Ten million rows: runs until the test server's timeout (3 s) cancels it.
    String slow =
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { "
            + IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(" "))
            + " } VALUES ?b { "
            + IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(" "))
            + " } VALUES ?c { "
            + IntStream.range(0, 1000).mapToObj(Integer::toString).collect(Collectors.joining(" "))
            + " } }";
    List<CompletableFuture<Reply>> running =
        List.of(
            CompletableFuture.supplyAsync(() -> sparql("auditor", slow, RESULTS)),
            CompletableFuture.supplyAsync(() -> sparql("auditor", slow, RESULTS)));
    Reply refused = null;
    while (refused == null && running.stream().anyMatch(r -> !r.isDone())) {
      Reply reply = sparql("auditor", "ASK {}", RESULTS);
      if (reply.status() == 429) {
        refused = reply;
      }
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    // The third query to arrive may be a slow one: a probe that got in first holds a permit then.
    for (CompletableFuture<Reply> slowOne : running) {
      if (refused == null && slowOne.join().status() == 429) {
        refused = slowOne.join();
      }
    }
    assertTrue(refused != null, "no third query was refused while two ran");
    assertProblem(refused, ProblemType.TOO_MANY_REQUESTS);
    assertTrue(refused.header("Retry-After") != null, refused.toString());
    // Another caller is not held back by the first one's queries, and the first one's ended.
    assertEquals(200, sparql("admin", "ASK {}", RESULTS).status());
    assertEquals(200, sparql("auditor", "ASK {}", RESULTS).status());
  }

  private static String list(int size) {
    return IntStream.range(0, size)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Test
  void policy_threeNestedComprehensionsOverHundredItemLists_isInvalidPolicy() {
    String condition =
        list(100) + ".all(a, " + list(100) + ".all(b, " + list(100) + ".all(c, a + b + c >= 0)))";
    Reply reply =
        Api.postPolicy(
            """
            id: abuse-limits-it
            version: costly
            scope: {models: [demo-credit]}
            rules:
              - id: costly
                condition: "%s"
                route: approve
            default: {route: review, review: {queue: general, reviewers: 1, sla: PT4H}}
            """
                .formatted(condition));
    assertProblem(reply, ProblemType.INVALID_POLICY);
    assertEquals("rules[0] 'costly'.condition", field(reply));
  }

  /**
   * A condition within the limits checked when a version is created (two nested comprehensions over
   * 200-item lists) that needs 40,000 iterations when it runs, past the budget of 20,000: the
   * decision it would have approved goes to a human instead (fail safe), and its record says which
   * rule could not be evaluated.
   */
  @Test
  void policy_conditionPastTheIterationBudgetAtIntake_failsSafeToReview() {
    String record =
        decisionRoutedBy(
            "abuse-limits-budget",
            "costly",
            list(200) + ".all(a, " + list(200) + ".all(b, a + b >= 0))");
    assertTrue(record.contains("rule 'costly' could not be evaluated"), record);
  }

  /**
   * A condition within every limit checked when a version is created and within the iteration
   * budget (two nested comprehensions over 100-item lists: 10,000 iterations), each iteration
   * matching a 16,000-character string: seconds of CPU per decision. The evaluation deadline
   * (arbiter.policy.evaluation-deadline-ms, 500 ms) abandons it, and the decision it would have
   * approved goes to a human, its record naming the rule and the deadline.
   */
  @Test
  void policy_conditionPastTheEvaluationDeadlineAtIntake_failsSafeToReview() {
    String text = "a".repeat(16_000);
    String record =
        decisionRoutedBy(
            "abuse-limits-deadline",
            "slow",
            list(100) + ".all(a, " + list(100) + ".all(b, '" + text + "'.matches('^(a|b)+$')))");
    assertTrue(record.contains("rule 'slow' could not be evaluated"), record);
    assertTrue(record.contains("ran past its deadline"), record);
  }

  /**
   * Activates a policy (named as its model) whose one rule approves when {@code condition} holds,
   * as does its default, submits a decision to it, checks that the decision went to review
   * regardless (fail safe), and returns the decision's record as an auditor reads it.
   */
  private static String decisionRoutedBy(String model, String rule, String condition) {
    Api.registerModelVersion(model, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        rules:
          - id: %s
            condition: "%s"
            route: approve
        default: {route: approve}
        """
            .formatted(model, model, rule, condition),
        model,
        "1");
    Reply submitted =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "%s-%s", "input": {},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(model, model, java.util.UUID.randomUUID()));
    assertEquals(202, submitted.status(), submitted.toString());
    assertEquals("review", submitted.json().getString("route"), submitted.toString());
    Reply decision =
        Api.get(
            "/api/v1/decisions/" + submitted.json().getString("id"), "auditor", "application/json");
    assertEquals(200, decision.status(), decision.toString());
    return decision.body();
  }

  @Test
  void policy_nestedTwentyThousandLevels_isInvalidPolicyNotA500() {
    Reply reply =
        Api.postPolicy("id: abuse-limits-it\nx: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
    assertProblem(reply, ProblemType.INVALID_POLICY);
  }

  /**
   * A decimal audit parameter is a number of bounded size: {@code 1e999999999} is valid JSON, but
   * printed plainly into the query it would be a gigabyte string. It is a 400 naming the parameter;
   * a plain threshold runs the library query (automated decisions below a confidence) and finds a
   * decision automated at confidence 0.7.
   */
  @Test
  void auditQuery_decimalParameterOfAGigabyte_isBadRequestNamingIt() {
    Reply submitted =
        Api.postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "abuse-limits-unsure",
             "input": {"amount": 1000, "income": 100000, "riskScore": 0.1},
             "output": {"label": "approve", "score": 0.7, "confidence": 0.7}}
            """);
    assertEquals(201, submitted.status(), "automated by the demo policy: " + submitted);
    String window =
        "\"from\": \"2000-01-01T00:00:00Z\", \"to\": \""
            + java.time.Instant.now().plusSeconds(3600)
            + "\"";
    String query = "/api/v1/audit/queries/automated-below-confidence";

    Reply huge = Api.postJson(query, "auditor", "{\"threshold\": 1e999999999, " + window + "}");
    assertProblem(huge, ProblemType.INVALID_REQUEST);
    assertEquals("threshold", field(huge));

    Reply found =
        Api.postJson(
            query, "auditor", "{\"threshold\": 0.75, " + window + "}", "Accept", "text/csv");
    assertEquals(200, found.status(), found.toString());
    assertTrue(found.body().contains(submitted.json().getString("id")), found.body());
  }

  /**
   * An export holds a permit while it streams: a caller's second export while its first still
   * streams is a 429, a third caller's while two stream is a 503 {@code server-busy}, each naming
   * its setting; once the streams are gone an export runs again. The two are held open by not
   * reading them, on a journal of thousands of events (tens of megabytes of N-Quads, past what the
   * sockets buffer), so the server is still writing them when the others ask.
   */
  @Test
  void export_pastItsConcurrencyCaps_isRefusedUntilOneEnds() throws Exception {
    fillJournalTo(2500);
    HttpResponse<InputStream> first = openExport("auditor");
    try {
      assertEquals(200, first.statusCode());
      assertRefused(
          get(EXPORT, "auditor", "application/n-quads"),
          ProblemType.TOO_MANY_REQUESTS,
          "arbiter.export.max-concurrent-per-caller");
      HttpResponse<InputStream> second = openExport("admin");
      try {
        assertEquals(200, second.statusCode());
        assertRefused(
            get(EXPORT, "acme-auditor", "application/n-quads"),
            ProblemType.SERVER_BUSY,
            "(arbiter.export.max-concurrent)");
      } finally {
        second.body().close();
      }
    } finally {
      first.body().close();
    }
    // A stream the client left is noticed at the server's next write, which fails.
    for (String user : List.of("auditor", "admin")) {
      Reply after =
          Await.until(
              () -> get(EXPORT + "&to=10", user, "application/n-quads"),
              reply -> reply.status() == 200,
              Duration.ofSeconds(30));
      assertEquals(200, after.status(), after.toString());
    }
  }

  private static final String EXPORT = "/api/v1/export?format=nquads";

  /** HTTP/1.1: no HTTP/2 stream window to absorb a body the test leaves unread. */
  private static final HttpClient ONE_ONE =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** An export's response once its headers have come; its body is left unread. */
  private static HttpResponse<InputStream> openExport(String user) throws Exception {
    return ONE_ONE.send(
        Api.request(EXPORT, user).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Submits automated decisions, eight at a time, until the journal holds {@code events}. */
  private static void fillJournalTo(long events) throws Exception {
    long missing = events - (Api.latestEvent() + 1);
    if (missing <= 0) {
      return;
    }
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (long i = 0; i < missing; i++) {
        String subject = "abuse-limits-fill-" + i;
        String body =
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",
             "input": {"amount": 1000, "income": 100000, "riskScore": 0.1},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}
            """
                .formatted(subject);
        replies.add(clients.submit(() -> submitHonouringRetryAfter(body)));
      }
      for (Future<Reply> reply : replies) {
        int status = reply.get().status();
        assertTrue(status == 201 || status == 202, "a filler decision: " + reply.get());
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** A submission, sent again after {@code Retry-After} while intake holds back (503). */
  private static Reply submitHonouringRetryAfter(String body) throws InterruptedException {
    Reply reply = Api.postJson("/api/v1/decisions", "integrator", body);
    for (int attempt = 0; attempt < 60 && reply.status() == 503; attempt++) {
      Thread.sleep(1000);
      reply = Api.postJson("/api/v1/decisions", "integrator", body);
    }
    return reply;
  }

  @Test
  void tile_levelEight_isNotFoundNotA500() {
    assertProblem(get("/ledger/tile/8/000.p/1", null, "*/*"), ProblemType.NOT_FOUND);
    assertProblem(
        get("/ledger/tile/0/x009/x223/x372/x036/x854/x775/999", null, "*/*"),
        ProblemType.NOT_FOUND);
  }
}
