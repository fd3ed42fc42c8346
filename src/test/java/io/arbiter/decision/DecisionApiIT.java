package io.arbiter.decision;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The decisions HTTP contract on managed Open Liberty with the real WAR. */
@ExtendWith(ArquillianExtension.class)
class DecisionApiIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String body(
      String subject, double amount, double risk, String label, double confidence) {
    return """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s",
         "input": {"amount": %s, "income": 56000, "riskScore": {"value": %s, "source": "bureau"}},
         "output": {"label": "%s", "score": 0.8, "confidence": %s, "explanation": {"income": 0.4}},
         "context": {"region": "EU"}}"""
        .formatted(subject, amount, risk, label, confidence);
  }

  private static String unique() {
    return "it-" + UUID.randomUUID();
  }

  /** True when the graph holds a decision with this case id, asked as an auditor through SPARQL. */
  private static boolean recorded(String subject) {
    Reply reply =
        Api.sparql(
            "auditor",
            "ASK { ?d a <https://w3id.org/arbiter#Decision> ; <https://w3id.org/arbiter#caseId> \""
                + subject
                + "\" }",
            "application/sparql-results+json");
    assertEquals(200, reply.status(), reply.toString());
    return reply.json().getBoolean("boolean");
  }

  private static void assertProblem(Reply reply, int status, String type) {
    assertEquals(status, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("application/problem+json"), reply.toString());
    JsonObject problem = reply.json();
    assertEquals("https://w3id.org/arbiter/problems/" + type, problem.getString("type"));
    assertEquals(status, problem.getInt("status"));
    assertFalse(problem.getString("detail").isBlank());
    assertFalse(
        reply.body().contains("Exception"), "no stack traces or library messages: " + reply.body());
  }

  private static List<String> errorFields(Reply reply) {
    return reply.json().getJsonArray("errors").stream()
        .map(e -> e.asJsonObject().getString("field"))
        .toList();
  }

  @Test
  void submit_clearCase_isAutomatedWith201AndReadsBack() {
    String subject = unique();
    Reply created =
        postJson("/api/v1/decisions", "integrator", body(subject, 12000, 0.1, "approve", 0.9));
    assertEquals(201, created.status(), created.toString());
    JsonObject receipt = created.json();
    assertEquals("approve", receipt.getString("route"));
    assertEquals("automated", receipt.getString("status"));
    assertEquals("affordable-low-risk", receipt.getJsonObject("rule").getString("id"));
    assertEquals("demo-credit-policy", receipt.getJsonObject("policy").getString("id"));
    assertEquals("1", receipt.getJsonObject("policy").getString("version"));
    assertTrue(receipt.getString("bundle").startsWith("http://localhost:9280/id/bundles/"));
    assertTrue(receipt.containsKey("submittedAt"));
    String id = receipt.getString("id");
    assertEquals(Api.BASE + "/api/v1/decisions/" + id, created.header("Location"));

    Reply read = get("/api/v1/decisions/" + id, "integrator", "application/json");
    assertEquals(200, read.status(), read.toString());
    JsonObject decision = read.json();
    assertEquals(subject, decision.getString("subject"));
    assertEquals(
        "bureau", decision.getJsonObject("input").getJsonObject("riskScore").getString("source"));
    assertEquals(0.9, decision.getJsonObject("output").getJsonNumber("confidence").doubleValue());
    assertEquals("EU", decision.getJsonObject("context").getString("region"));
    assertEquals("integrator", decision.getString("submittedBy"));
    assertEquals(5, decision.getJsonArray("trace").size());
  }

  @Test
  void submit_largeAmount_waitsForHumansWith202() {
    Reply accepted =
        postJson("/api/v1/decisions", "integrator", body(unique(), 90000, 0.2, "approve", 0.9));
    assertEquals(202, accepted.status(), accepted.toString());
    JsonObject receipt = accepted.json();
    assertEquals("review", receipt.getString("route"));
    assertEquals("pending_review", receipt.getString("status"));
    assertEquals("large-amount", receipt.getJsonObject("rule").getString("id"));
    JsonObject review = receipt.getJsonObject("review");
    assertEquals("senior-credit", review.getString("queue"));
    assertEquals(2, review.getInt("reviewers"));
    assertTrue(review.getBoolean("blind"));
    assertEquals(
        Api.BASE + "/api/v1/decisions/" + receipt.getString("id"), accepted.header("Location"));
  }

  @Test
  void submit_missingDeclaredInput_failsSafeToReview() {
    String json =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s", "input": {"amount": 10},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
            .formatted(unique());
    Reply reply = postJson("/api/v1/decisions", "integrator", json);
    assertEquals(202, reply.status(), reply.toString());
    assertEquals("fail-safe", reply.json().getJsonObject("rule").getString("kind"));
    assertTrue(reply.json().getString("failure").contains("input.riskScore"));
  }

  @Test
  void idempotencyKey_sameBody_returnsTheSameDecisionOnce() {
    String subject = unique();
    String key = UUID.randomUUID().toString();
    Reply first =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(subject, 12000, 0.1, "approve", 0.9),
            "Idempotency-Key",
            key);
    // The same JSON with other whitespace and key order is the same request.
    String reordered =
        """
        {"subject": "%s", "context": {"region": "EU"},
         "output": {"confidence": 0.9, "label": "approve", "explanation": {"income": 0.4}, "score": 0.8},
         "input": {"riskScore": {"source": "bureau", "value": 0.1}, "income": 56000, "amount": 12000.0},
         "model": {"version": "1", "name": "demo-credit"}}"""
            .formatted(subject);
    Reply second = postJson("/api/v1/decisions", "integrator", reordered, "Idempotency-Key", key);
    assertEquals(201, first.status(), first.toString());
    assertEquals(201, second.status(), second.toString());
    assertEquals(first.json().getString("id"), second.json().getString("id"));
    assertEquals(first.json().getString("bundle"), second.json().getString("bundle"));
    assertEquals("true", second.header("Idempotent-Replayed"));
    assertNull(first.header("Idempotent-Replayed"));

    Reply count =
        Api.sparql(
            "auditor",
            "SELECT (COUNT(?d) AS ?n) WHERE { ?d <https://w3id.org/arbiter#caseId> \""
                + subject
                + "\" }",
            "application/sparql-results+json");
    assertEquals(
        "1",
        count
            .json()
            .getJsonObject("results")
            .getJsonArray("bindings")
            .getJsonObject(0)
            .getJsonObject("n")
            .getString("value"));
  }

  @Test
  void idempotencyKey_otherBody_isAConflictAndRecordsNothing() {
    String key = UUID.randomUUID().toString();
    postJson(
        "/api/v1/decisions",
        "integrator",
        body(unique(), 12000, 0.1, "approve", 0.9),
        "Idempotency-Key",
        key);
    String other = unique();
    Reply conflict =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(other, 13000, 0.1, "approve", 0.9),
            "Idempotency-Key",
            key);
    assertProblem(conflict, 409, "idempotency-conflict");
    assertFalse(recorded(other));
  }

  @Test
  void badIdempotencyKey_isRefused() {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(unique(), 1, 0.1, "approve", 0.9),
            "Idempotency-Key",
            "has spaces in it");
    assertProblem(reply, 400, "bad-request");
    assertEquals(List.of("Idempotency-Key"), errorFields(reply));
  }

  @Test
  void malformedJson_is400AndRecordsNothing() {
    String subject = unique();
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(subject, 1, 0.1, "approve", 0.9).replace("}}", "}"));
    assertProblem(reply, 400, "malformed-json");
    assertFalse(recorded(subject));
  }

  @Test
  void wrongTypesAndMissingFields_are422NamingEachField() {
    String subject = unique();
    String json =
        """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "%s", "input": {"amount": 1},
         "output": {"label": "approve", "score": "high"}, "colour": "red"}"""
            .formatted(subject);
    Reply reply = postJson("/api/v1/decisions", "integrator", json);
    assertProblem(reply, 422, "invalid-request");
    assertEquals(List.of("colour", "output.score", "output.confidence"), errorFields(reply));
    assertFalse(recorded(subject));
  }

  @Test
  void inputOfWrongDeclaredType_is422() {
    String subject = unique();
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(subject, 1, 0.1, "approve", 0.9)
                .replace("\"income\": 56000", "\"income\": \"lots\""));
    assertProblem(reply, 422, "invalid-request");
    assertEquals(List.of("input.income"), errorFields(reply));
    assertFalse(recorded(subject));
  }

  @Test
  void unregisteredModelVersion_isRecordedAndFailsSafeToReview() {
    String subject = unique();
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            body(subject, 1, 0.1, "approve", 0.9)
                .replace("\"version\": \"1\"", "\"version\": \"99\""));
    assertEquals(202, reply.status(), reply.toString());
    assertEquals("review", reply.json().getString("route"));
    assertEquals("fail-safe", reply.json().getJsonObject("rule").getString("kind"));
    assertEquals(
        "model demo-credit version 99 is not registered", reply.json().getString("failure"));
    assertTrue(recorded(subject));
  }

  @Test
  void oversizeBody_is413AndRecordsNothing() {
    String subject = unique();
    String padding = "x".repeat(4000);
    StringBuilder context = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      context
          .append(i == 0 ? "" : ",")
          .append("\"k")
          .append(i)
          .append("\": \"")
          .append(padding)
          .append('"');
    }
    String json = body(subject, 1, 0.1, "approve", 0.9).replace("\"region\": \"EU\"", context);
    Reply reply = postJson("/api/v1/decisions", "integrator", json);
    assertProblem(reply, 413, "payload-too-large");
    assertFalse(recorded(subject));
  }

  @Test
  void nonJsonMediaType_is415() {
    Reply reply =
        Api.send(
            Api.request("/api/v1/decisions", "integrator")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build());
    assertProblem(reply, 415, "unsupported-media-type");
  }

  @Test
  void noCredentials_is401ProblemWithChallenge() {
    Reply reply = postJson("/api/v1/decisions", null, body(unique(), 1, 0.1, "approve", 0.9));
    assertProblem(reply, 401, "unauthorized");
    assertTrue(reply.header("WWW-Authenticate").startsWith("Basic"));
  }

  @Test
  void wrongPassword_is401() {
    Reply reply =
        Api.send(
            Api.request("/api/v1/decisions", null)
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString("integrator:nope".getBytes()))
                .GET()
                .build());
    assertProblem(reply, 401, "unauthorized");
  }

  @Test
  void wrongRole_is403Problem() {
    String subject = unique();
    assertProblem(
        postJson("/api/v1/decisions", "reviewer", body(subject, 1, 0.1, "approve", 0.9)),
        403,
        "forbidden");
    assertProblem(
        postJson("/api/v1/decisions", "auditor", body(subject, 1, 0.1, "approve", 0.9)),
        403,
        "forbidden");
    assertProblem(get("/api/v1/decisions", "policy-author", "application/json"), 403, "forbidden");
    assertFalse(recorded(subject));
  }

  @Test
  void unknownDecision_is404Problem() {
    assertProblem(
        get("/api/v1/decisions/" + UUID.randomUUID(), "auditor", "application/json"),
        404,
        "not-found");
    assertProblem(
        get("/api/v1/decisions/not-a-uuid", "auditor", "application/json"), 404, "not-found");
  }

  @Test
  void list_filtersByRoute_andPages() {
    for (int i = 0; i < 3; i++) {
      postJson("/api/v1/decisions", "integrator", body(unique(), 12000, 0.1, "approve", 0.9));
    }
    Reply page =
        get(
            "/api/v1/decisions?route=approve&model=demo-credit&limit=2",
            "auditor",
            "application/json");
    assertEquals(200, page.status(), page.toString());
    var items = page.json().getJsonArray("items");
    assertEquals(2, items.size());
    items.forEach(item -> assertEquals("approve", item.asJsonObject().getString("route")));
    String next = page.json().getString("next");
    Reply second =
        get(
            "/api/v1/decisions?route=approve&model=demo-credit&limit=2&cursor=" + next,
            "auditor",
            "application/json");
    assertEquals(200, second.status());
    assertNotEquals(
        items.getJsonObject(0).getString("id"),
        second.json().getJsonArray("items").getJsonObject(0).getString("id"));
  }

  @Test
  void list_badParameters_are400NamingThem() {
    Reply reply =
        get("/api/v1/decisions?route=maybe&from=yesterday&limit=0", "auditor", "application/json");
    assertProblem(reply, 400, "bad-request");
    assertEquals(List.of("route", "from", "limit"), errorFields(reply));
  }

  @Test
  void duplicateKey_is400MalformedAndRecordsNothing() {
    String subject = unique();
    String json =
        body(subject, 1, 0.1, "approve", 0.9)
            .replace("\"subject\"", "\"subject\": \"x\", \"subject\"");
    Reply reply = postJson("/api/v1/decisions", "integrator", json);
    assertProblem(reply, 400, "malformed-json");
    assertFalse(recorded(subject));
  }

  @Test
  void integrators_seeOnlyTheirOwnDecisions() {
    String subject = unique();
    Reply mine =
        postJson("/api/v1/decisions", "integrator", body(subject, 12000, 0.1, "approve", 0.9));
    String id = mine.json().getString("id");
    assertEquals(200, get("/api/v1/decisions/" + id, "integrator", "application/json").status());
    assertProblem(
        get("/api/v1/decisions/" + id, "integrator2", "application/json"), 404, "not-found");
    assertProblem(
        get("/api/v1/decisions/" + id + "/provenance", "integrator2", "text/turtle"),
        404,
        "not-found");
    Reply theirs = get("/api/v1/decisions?limit=500", "integrator2", "application/json");
    assertEquals(200, theirs.status(), theirs.toString());
    theirs
        .json()
        .getJsonArray("items")
        .forEach(item -> assertEquals("integrator2", item.asJsonObject().getString("submittedBy")));
    Reply all = get("/api/v1/decisions?limit=500", "auditor", "application/json");
    assertTrue(
        all.json().getJsonArray("items").stream()
            .anyMatch(item -> item.asJsonObject().getString("id").equals(id)));
  }

  @Test
  void unknownPath_is404Problem() {
    assertProblem(get("/api/v1/nothing-here", "auditor", "application/json"), 404, "not-found");
  }
}
