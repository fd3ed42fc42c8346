package io.arbiter.review;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.arbiter.notify.CallbackSignature;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Human review over HTTP on a managed Liberty: an escalated decision through blind four-eyes
 * verdicts that disagree and a lead's ruling; separation of duties; blind review that the server
 * enforces; the integrator told by a signed callback, the event stream and {@code Prefer: wait};
 * undeliverable callbacks kept as dead letters; twenty reviewers racing for one slot; and SPARQL
 * showing who decided what, when, under which rule.
 */
@ExtendWith(ArquillianExtension.class)
class ReviewApiIT {

  private static final String REVIEWS = "/api/v1/reviews/";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** Submits a demo-credit decision; answers its id after checking it went to review. */
  private static String submitForReview(
      String user, double amount, String label, double confidence) {
    String body =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "review-it-%s",
         "input": {"amount": %s, "income": 200000, "riskScore": 0.1},
         "output": {"label": "%s", "score": 0.7, "confidence": %s,
                    "explanation": {"amount": 0.5}}}"""
            .formatted(UUID.randomUUID(), amount, label, confidence);
    Reply reply = postJson("/api/v1/decisions", user, body);
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  private static Reply get(String path, String user) {
    return Api.get(path, user, "application/json");
  }

  private static Reply post(String id, String step, String user, String json) {
    return postJson(REVIEWS + id + "/" + step, user, json);
  }

  /**
   * A verdict on the large-amount task {@code id}: blind, so it cites the rule by the alias the
   * task shows for it; the record names the rule itself.
   */
  private static String verdict(String id, String outcome, String justification) {
    return """
        {"verdict": "%s", "reasonCode": "amount-check", "rules": ["%s"],
         "justification": "%s"}"""
        .formatted(outcome, Api.ruleAliasOf(id), justification);
  }

  private static void assertProblem(Reply reply, int status, String type) {
    assertEquals(status, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    assertEquals("https://w3id.org/arbiter/problems/" + type, reply.json().getString("type"));
  }

  private static List<String> reviewers(JsonObject detail) {
    return detail.getJsonArray("verdicts").stream()
        .map(v -> v.asJsonObject().getString("reviewer"))
        .toList();
  }

  /** An HTTP endpoint in this JVM that integrators' callbacks reach. */
  private static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/settled",
          exchange -> {
            String[] delivery = {
              exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE),
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
              exchange.getRequestHeaders().getFirst(CallbackSignature.ID),
              exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP)
            };
            // Answer before the test sees it, so closing the receiver never cuts the answer off.
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            received.add(delivery);
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/settled";
    }

    /**
     * The next delivery about {@code decision}: its {@code webhook-signature}, body, {@code
     * webhook-id} and {@code webhook-timestamp}.
     */
    String[] about(String decision) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String[] got = received.poll(1, TimeUnit.SECONDS);
        if (got != null && got[1].contains(decision)) {
          return got;
        }
      }
      throw new AssertionError("no callback about " + decision);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** An open event stream whose lines are read on another thread; closing it hangs up. */
  private static final class EventStream implements AutoCloseable {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

    // Its own HTTP/1.1 client: the shared one multiplexes HTTP/2 streams over one connection, which
    // a long-lived stream hung up mid-way could disturb for later tests.
    final java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();

    EventStream(String user) {
      response =
          client.sendAsync(
              Api.request("/api/v1/events", user)
                  .timeout(Duration.ofMinutes(5))
                  .header("Accept", "text/event-stream")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      response.thenAcceptAsync(r -> r.body().forEach(lines::add));
    }

    @Override
    public void close() {
      response.thenAccept(r -> r.body().close());
      response.cancel(true);
    }
  }

  private static String eventAbout(BlockingQueue<String> lines, String decision)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean settledEvent = false;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        continue;
      }
      if (line.startsWith("event:")) {
        settledEvent = line.substring(6).strip().equals("decision.settled");
      } else if (settledEvent && line.startsWith("data:") && line.contains(decision)) {
        return line.substring(5).strip();
      }
    }
    throw new AssertionError("no event about " + decision);
  }

  @Test
  void blindFourEyesDisagreement_isRuledByALead_andSparqlShowsWhoDecidedWhatUnderWhichRule()
      throws Exception {
    try (Receiver receiver = new Receiver()) {
      Reply registered =
          Api.send(
              Api.request("/api/v1/callbacks", "integrator")
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiver.url() + "\"}"))
                  .build());
      assertEquals(200, registered.status(), registered.toString());
      String secret = registered.json().getString("secret");
      try (EventStream events = new EventStream("integrator")) {
        // The stream opens at once, before anything settles: headers, then a comment line.
        assertEquals(200, events.response.get(10, TimeUnit.SECONDS).statusCode());
        String first = events.lines.poll(10, TimeUnit.SECONDS);
        while (first != null && first.isEmpty()) { // an event's separator may come first
          first = events.lines.poll(10, TimeUnit.SECONDS);
        }
        assertTrue(first != null && first.startsWith(":"), "a comment opens the stream: " + first);
        wholePath(receiver, secret, events.lines);
      } finally {
        Api.send(Api.request("/api/v1/callbacks", "integrator").DELETE().build());
      }
    }
  }

  private void wholePath(Receiver receiver, String secret, BlockingQueue<String> events)
      throws Exception {
    String id = submitForReview("integrator", 60_000, "approve", 0.9); // large-amount: 2, blind

    Reply listed = get("/api/v1/reviews?queue=senior-credit&state=open&limit=500", "reviewer");
    assertEquals(200, listed.status(), listed.toString());
    var items = listed.json().getJsonArray("items");
    assertTrue(
        items.stream().anyMatch(t -> t.asJsonObject().getString("id").equals(id)),
        listed.toString());
    for (int i = 1; i < items.size(); i++) {
      assertTrue(
          items.getJsonObject(i - 1).getInt("priority")
              >= items.getJsonObject(i).getInt("priority"),
          "most urgent first");
    }

    // Blind: the server withholds the model's output and the trace, in the task and everywhere.
    JsonObject task = get(REVIEWS + id, "reviewer").json();
    assertTrue(task.getBoolean("modelOutputHidden"));
    JsonObject decision = task.getJsonObject("decision");
    assertFalse(decision.containsKey("output"), decision.toString());
    assertFalse(decision.containsKey("trace"), decision.toString());
    assertEquals(60000, decision.getJsonObject("input").getInt("amount"));
    // Rules by their aliases: a rule's id may name the model's call.
    String alias = task.getJsonObject("task").getString("rule");
    assertTrue(alias.matches("rule-[1-6]"), alias);
    assertTrue(task.getJsonArray("rules").contains(Json.createValue(alias)), task.toString());
    assertFalse(task.toString().contains("large-amount"), task.toString());
    assertProblem(get("/api/v1/decisions/" + id, "reviewer"), 403, "forbidden");

    assertEquals(200, post(id, "claim", "reviewer", "").status());
    assertEquals(200, post(id, "claim", "reviewer2", "").status());
    assertProblem(post(id, "claim", "lead-reviewer", ""), 409, "state-conflict");
    // A justification is required in blind review, whatever the verdict.
    Reply unjustified =
        post(id, "verdict", "reviewer", "{\"verdict\": \"approve\", \"reasonCode\": \"ok\"}");
    assertProblem(unjustified, 422, "invalid-request");
    assertEquals(
        "justification",
        unjustified.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    Reply first = post(id, "verdict", "reviewer", verdict(id, "approve", "Income covers it."));
    assertEquals(200, first.status(), first.toString());
    assertEquals("open", first.json().getJsonObject("task").getString("state"));
    assertFalse(
        first.json().getJsonArray("verdicts").getJsonObject(0).getBoolean("sawRecommendation"));
    // Each reviewer decides without seeing the other's verdict.
    assertEquals(List.of(), reviewers(get(REVIEWS + id, "reviewer2").json()));
    assertProblem(post(id, "claim", "reviewer", ""), 403, "separation-of-duties");

    Reply second = post(id, "verdict", "reviewer2", verdict(id, "reject", "Exposure too high."));
    assertEquals(200, second.status(), second.toString());
    assertEquals("adjudication", second.json().getJsonObject("task").getString("state"));
    assertEquals(List.of("reviewer2"), reviewers(second.json()));

    // A lead sees both verdicts when asked to rule; a reviewer may not rule.
    assertEquals(
        List.of("reviewer", "reviewer2"), reviewers(get(REVIEWS + id, "lead-reviewer").json()));
    assertProblem(
        post(id, "adjudication", "reviewer", verdict(id, "reject", "x")), 403, "forbidden");
    Reply ruled = post(id, "adjudication", "lead-reviewer", verdict(id, "reject", "Policy limit."));
    assertEquals(200, ruled.status(), ruled.toString());
    JsonObject settlement = ruled.json().getJsonObject("settlement");
    assertEquals("reject", settlement.getString("outcome"));
    assertEquals("adjudication", settlement.getString("basis"));
    assertTrue(settlement.getBoolean("overridesRecommendation"));
    assertEquals("settled", ruled.json().getJsonObject("task").getString("state"));
    // The integrator hears of it by a callback signed as Standard Webhooks says.
    String[] callback = receiver.about(id);
    assertTrue(
        CallbackSignature.verify(
            secret, callback[2], callback[3], callback[0], callback[1], java.time.Instant.now()),
        "the callback verifies under the registration's secret: " + String.join(" | ", callback));
    // Settled: the model's output is shown again.
    assertTrue(
        get(REVIEWS + id, "reviewer").json().getJsonObject("decision").containsKey("output"));

    // Months later the integrator learns what it should have been.
    String outcome = "/api/v1/decisions/" + id + "/outcome";
    assertProblem(
        postJson(outcome, "integrator", "{\"outcome\": \"maybe\"}"), 422, "invalid-request");
    assertProblem(postJson(outcome, "integrator2", "{\"outcome\": \"reject\"}"), 404, "not-found");
    Reply learnt =
        postJson(outcome, "integrator", "{\"outcome\": \"reject\", \"note\": \"defaulted\"}");
    assertEquals(201, learnt.status(), learnt.toString());
    assertEquals("integrator", learnt.json().getString("recordedBy"));
    assertProblem(
        postJson(outcome, "integrator", "{\"outcome\": \"approve\"}"), 409, "state-conflict");
    Reply metrics = get("/api/v1/reviews/metrics", "lead-reviewer");
    assertEquals(200, metrics.status(), metrics.toString());
    JsonObject overall = metrics.json().getJsonObject("overall");
    assertTrue(overall.getInt("verdictsWithOutcome") >= 3, overall.toString());
    assertTrue(metrics.json().getJsonObject("byReviewer").containsKey("lead-reviewer"));
    assertProblem(get("/api/v1/reviews/metrics", "reviewer"), 403, "forbidden");
    assertProblem(get("/api/v1/reviews/metrics?from=yesterday", "auditor"), 400, "bad-request");
    Reply hitl = get("/api/v1/metrics/hitl?model=demo-credit&policy=demo-credit-policy", "auditor");
    assertEquals(200, hitl.status(), hitl.toString());
    assertTrue(hitl.json().getInt("settled") >= 1, hitl.toString());
    assertTrue(
        hitl.json().getJsonObject("reviewedAgainstOutcomes").getInt("withOutcome") >= 1,
        hitl.toString());
    assertProblem(get("/api/v1/metrics/hitl", "integrator"), 403, "forbidden");
    assertProblem(
        get("/api/v1/metrics/hitl?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "auditor"),
        400,
        "bad-request");

    Reply rows =
        Api.sparql(
            "auditor",
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?who ?kind ?verdict ?rule ?at ?truth WHERE {
              ?decision dcterms:identifier "%s" .
              ?task arb:reviewOf ?decision .
              ?step prov:used ?task ; a ?kind ; arb:verdict ?verdict ; prov:endedAtTime ?at ;
                    prov:wasAssociatedWith/dcterms:identifier ?who ;
                    arb:reliedOnRule/dcterms:identifier ?rule .
              FILTER(?kind IN (arb:Review, arb:Adjudication))
              ?outcome arb:outcomeOf ?decision ; arb:route ?truth .
            } ORDER BY ?at"""
                .formatted(id),
            "application/sparql-results+json");
    assertEquals(200, rows.status(), rows.toString());
    List<String> decided =
        rows.json().getJsonObject("results").getJsonArray("bindings").stream()
            .map(JsonValue::asJsonObject)
            .map(
                b ->
                    value(b, "who")
                        + " "
                        + value(b, "kind").replace("https://w3id.org/arbiter#", "")
                        + " "
                        + value(b, "verdict").replace("https://w3id.org/arbiter#", "")
                        + " "
                        + value(b, "rule"))
            .toList();
    assertEquals(
        List.of(
            "reviewer Review RouteApprove large-amount",
            "reviewer2 Review RouteReject large-amount",
            "lead-reviewer Adjudication RouteReject large-amount"),
        decided);
  }

  private static String value(JsonObject binding, String variable) {
    return ((JsonString) binding.getJsonObject(variable).get("value")).getString();
  }

  @Test
  void whoSubmittedADecisionCannotReviewIt_evenHoldingTheReviewerRole() throws Exception {
    String id = submitForReview("submitter-reviewer", 10_000, "approve", 0.5); // low-confidence
    assertProblem(post(id, "claim", "submitter-reviewer", ""), 403, "separation-of-duties");
    assertEquals(200, post(id, "claim", "reviewer", "").status());

    // The integrator waits for the settlement with Prefer: wait; the verdict answers it.
    long asked = System.nanoTime();
    CompletableFuture<Reply> waiting =
        CompletableFuture.supplyAsync(
            () ->
                Api.send(
                    Api.request("/api/v1/decisions/" + id, "submitter-reviewer")
                        .header("Prefer", "wait=30")
                        .GET()
                        .build()));
    Thread.sleep(500);
    assertFalse(waiting.isDone(), "a pending decision is not answered before it settles");
    Reply verdict =
        post(
            id,
            "verdict",
            "reviewer",
            "{\"verdict\": \"approve\", \"reasonCode\": \"confident-enough\","
                + " \"rules\": [\"low-confidence\"]}");
    assertEquals(200, verdict.status(), verdict.toString());
    assertEquals("consensus", verdict.json().getJsonObject("settlement").getString("basis"));
    Reply settled = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, settled.status(), settled.toString());
    assertTrue(System.nanoTime() - asked < 25_000_000_000L, "answered on settlement, not timeout");
    assertEquals("settled", settled.json().getString("status"));
    JsonObject resolution = settled.json().getJsonObject("resolution");
    assertEquals("approve", resolution.getString("outcome"));
    assertEquals("consensus", resolution.getString("basis"));
    assertFalse(resolution.getBoolean("failSafe"));

    // Without a settlement coming, the wait ends after N seconds with the decision as it stands.
    String other = submitForReview("integrator", 10_000, "approve", 0.5);
    long started = System.nanoTime();
    Reply unsettled =
        Api.send(
            Api.request("/api/v1/decisions/" + other, "integrator")
                .header("Prefer", "wait=1")
                .GET()
                .build());
    assertTrue(System.nanoTime() - started >= 900_000_000L);
    assertEquals("pending_review", unsettled.json().getString("status"));
  }

  @Test
  void aCallbackNobodyAnswersBecomesADeadLetter_thatCanBeRedelivered() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Reply registered =
        Api.send(
            Api.request("/api/v1/callbacks", "integrator2")
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"url\": \"http://127.0.0.1:" + closedPort + "/gone\"}"))
                .build());
    assertEquals(200, registered.status(), registered.toString());
    assertFalse(get("/api/v1/callbacks", "integrator2").json().containsKey("secret"));
    try {
      String id = submitForReview("integrator2", 10_000, "approve", 0.5);
      assertEquals(200, post(id, "claim", "reviewer", "").status());
      assertEquals(
          200,
          post(id, "verdict", "reviewer", "{\"verdict\": \"approve\", \"reasonCode\": \"ok\"}")
              .status());
      JsonObject letter = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (letter == null && System.nanoTime() < deadline) {
        Reply letters = get("/api/v1/callbacks/dead-letters", "integrator2");
        assertEquals(200, letters.status(), letters.toString());
        letter =
            Json.createReader(new StringReader(letters.body())).readArray().stream()
                .map(JsonValue::asJsonObject)
                .filter(l -> l.getString("decision").equals(id))
                .findFirst()
                .orElse(null);
        Thread.sleep(200);
      }
      assertTrue(letter != null, "the failed callback was kept as a dead letter");
      assertEquals(3, letter.getInt("attempts"));
      // Another integrator neither sees nor redelivers it.
      String letterId = letter.getString("id");
      assertProblem(
          postJson("/api/v1/callbacks/dead-letters/" + letterId + "/redeliver", "integrator", ""),
          404,
          "not-found");
      try (Receiver receiver = new Receiver()) {
        Api.send(
            Api.request("/api/v1/callbacks", "integrator2")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiver.url() + "\"}"))
                .build());
        Reply again =
            postJson(
                "/api/v1/callbacks/dead-letters/" + letterId + "/redeliver", "integrator2", "");
        assertEquals(202, again.status(), again.toString());
        assertTrue(receiver.about(id)[1].contains("\"outcome\":\"approve\""));
      }
    } finally {
      Api.send(Api.request("/api/v1/callbacks", "integrator2").DELETE().build());
    }
  }

  @Test
  void badVerdictsAreRefusedNamingTheField_andChangeNothing() {
    String id = submitForReview("integrator", 10_000, "approve", 0.5);
    assertProblem(
        post(id, "verdict", "reviewer", "{\"verdict\": \"approve\", \"reasonCode\": \"ok\"}"),
        409,
        "state-conflict"); // no claim yet
    assertEquals(200, post(id, "claim", "reviewer", "").status());
    assertProblem(post(id, "verdict", "reviewer", "{\"verdict\": "), 400, "malformed-json");
    Reply invalid =
        post(
            id,
            "verdict",
            "reviewer",
            "{\"verdict\": \"maybe\", \"rules\": \"low-confidence\", \"colour\": 1}");
    assertProblem(invalid, 422, "invalid-request");
    assertEquals(
        "colour", invalid.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Reply fields =
        post(id, "verdict", "reviewer", "{\"verdict\": \"maybe\", \"rules\": [\"no-such-rule\"]}");
    assertProblem(fields, 422, "invalid-request");
    assertEquals(
        List.of("verdict", "reasonCode"),
        fields.json().getJsonArray("errors").stream()
            .map(e -> e.asJsonObject().getString("field"))
            .toList());
    Reply override =
        post(id, "verdict", "reviewer", "{\"verdict\": \"reject\", \"reasonCode\": \"doubt\"}");
    assertProblem(override, 422, "invalid-request");
    assertEquals(
        "justification",
        override.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    JsonObject task = get(REVIEWS + id, "reviewer").json();
    assertEquals("open", task.getJsonObject("task").getString("state"));
    assertEquals(List.of(), reviewers(task));
    assertProblem(get(REVIEWS + "no-such-task", "reviewer"), 404, "not-found");
    assertProblem(get("/api/v1/reviews?state=done", "reviewer"), 400, "bad-request");
    assertProblem(get("/api/v1/reviews", "integrator"), 403, "forbidden");
  }

  @Test
  void ofTwentyReviewersClaimingAtOnceExactlyOneGetsTheSlot() throws Exception {
    String id = submitForReview("integrator", 10_000, "approve", 0.5); // one reviewer needed
    int racers = 20;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 1; i <= racers; i++) {
      String user = "racer%02d".formatted(i);
      replies.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return post(id, "claim", user, "");
              },
              pool));
    }
    go.countDown();
    List<Integer> statuses = replies.stream().map(r -> r.join().status()).sorted().toList();
    pool.shutdown();
    assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(racers - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    String winner =
        replies.stream()
            .map(CompletableFuture::join)
            .filter(r -> r.status() == 200)
            .map(r -> r.raw().request().headers().firstValue("Authorization").orElseThrow())
            .collect(Collectors.joining());
    assertFalse(winner.isEmpty());
    JsonObject task = get(REVIEWS + id, "lead-reviewer").json().getJsonObject("task");
    assertEquals(0, task.getInt("freeSlots"));
  }
}
