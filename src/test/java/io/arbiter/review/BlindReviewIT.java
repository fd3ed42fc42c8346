package io.arbiter.review;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.SseConnection;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, item 3, over HTTP on the managed Liberty: everything a blind reviewer can fetch while
 * the task is unsettled (listings under every filter and their cursors, the task, claim and
 * release, verdicts, every refusal, the endpoints they are kept from) holds neither the model's
 * label, score or confidence, nor the priority that used to be derived from the confidence, nor a
 * rule's real id, in its body or its headers. The lead ruling on the reviewers' disagreement is
 * held to the same. Once settled, the task shows the model's call: the scan would have seen it.
 *
 * <p>The model and policy are this test's own (a new name each run). The policy names its rules for
 * the label, as authors do, and routes a decision through both the blind rule and, failing to
 * evaluate a guardrail, a blind fail-safe.
 */
@ExtendWith(ArquillianExtension.class)
class BlindReviewIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "blindscan-" + TAG;
  private static final String QUEUE = "triage-" + TAG;
  private static final String REVIEWS = "/api/v1/reviews/";
  private static final String TASK_CHANGED = "review.task-changed";

  private static final String LABEL = "malignant";
  private static final String SCORE = "0.61230947";
  private static final String CONFIDENCE = "0.87310571";

  /** What the priority was before issue 18: round(100 × (1 − confidence)). */
  private static final int CONFIDENCE_PRIORITY = 13;

  /**
   * Strings no response may hold, compared in lower case: the label; the score, the confidence and
   * 1 − confidence by their digits (long enough that no timestamp holds them by chance); every
   * rule's real id (the other label too).
   */
  private static final List<String> TELLS =
      List.of(
          LABEL,
          "61230947",
          "87310571",
          "12689429",
          "benign",
          "malignant-two-blind",
          "malignant-needs-site",
          "confident-benign");

  private static final String POLICY =
      """
      id: %1$s-policy
      version: 1
      scope: {models: [%1$s]}
      inputs:
        size: number
        shape: string
      reasonCodes: [looks-fine, needs-biopsy]
      failSafe: {queue: %2$s, reviewers: 1, sla: PT4H, blind: true}
      guardrails:
        - id: malignant-needs-site
          description: Malignant calls from the northern site are looked at by one person.
          condition: output.label == 'malignant' && context.site == 'north'
          route: review
          review: {queue: %2$s, reviewers: 1, sla: PT8H}
      rules:
        - id: malignant-two-blind
          description: The model calls it malignant, so two reviewers decide without its advice.
          condition: output.label == 'malignant'
          route: review
          review: {queue: %2$s, reviewers: 2, sla: PT24H, blind: true}
        - id: confident-benign
          description: The model is sure it is benign.
          condition: output.label == 'benign' && output.confidence > 0.8
          route: approve
      default: {route: review, review: {queue: %2$s, reviewers: 1, sla: PT24H}}
      """
          .formatted(MODEL, QUEUE);

  private static final Pattern PRIORITY = Pattern.compile("\"priority\"\\s*:\\s*(-?\\d+)");
  private static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]+)\"");

  private int scanned;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @BeforeAll
  static void registerModelAndPolicy() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(POLICY, MODEL + "-policy", "1");
  }

  /** A malignant call with the distinctive score and confidence, sent with {@code context}. */
  private static String submit(String context) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "blind-%s",
             "input": {"size": 3.5, "shape": "irregular"}, "context": %s,
             "output": {"label": "%s", "score": %s, "confidence": %s}}"""
                .formatted(MODEL, UUID.randomUUID(), context, LABEL, SCORE, CONFIDENCE));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  /** {@code reply}, after checking it tells nothing of the model's output. */
  private Reply blind(Reply reply, String what) {
    scan(reply.body() + "\n" + reply.raw().headers().map(), what);
    return reply;
  }

  /** Checks that {@code text}, all a client was sent, tells nothing of the model's output. */
  private void scan(String text, String what) {
    String all = text.toLowerCase(Locale.ROOT);
    for (String tell : TELLS) {
      assertFalse(all.contains(tell), what + " shows '" + tell + "': " + text);
    }
    Matcher priority = PRIORITY.matcher(text);
    while (priority.find()) {
      int value = Integer.parseInt(priority.group(1));
      assertTrue(value == 0 || value == 50 || value == 100, what + ": priority " + value);
    }
    Matcher next = NEXT.matcher(text);
    while (next.find()) {
      // Opaque to clients, but only base64: it must not carry what the body may not.
      String cursor =
          new String(Base64.getUrlDecoder().decode(next.group(1)), StandardCharsets.UTF_8);
      assertFalse(cursor.startsWith(CONFIDENCE_PRIORITY + "|"), what + ": cursor " + cursor);
      for (String tell : TELLS) {
        assertFalse(cursor.toLowerCase(Locale.ROOT).contains(tell), what + ": cursor " + cursor);
      }
    }
    scanned++;
  }

  /**
   * Reads the reviewers' event stream, scanning every event as written, until {@code count} events
   * have named {@code task}; the event type must be the task-change one.
   */
  private void streamedUntil(SseConnection stream, String task, int count) throws IOException {
    int naming = 0;
    for (int read = 0; naming < count; read++) {
      assertTrue(read < 1000, "the stream never named " + task + " " + count + " times");
      String raw = stream.nextRaw();
      assertNotNull(raw, "the stream ended before " + task + " changed " + count + " times");
      scan(raw, "the reviewers' event stream");
      if (raw.contains("\"" + task + "\"")) {
        assertTrue(
            Pattern.compile("(?m)^event: ?" + Pattern.quote(TASK_CHANGED) + "$")
                .matcher(raw)
                .find(),
            raw);
        naming++;
      }
    }
  }

  private Reply get(String path, String user) {
    return blind(Api.get(path, user, "application/json"), user + " GET " + path);
  }

  private Reply post(String id, String step, String user, String json) {
    return blind(postJson(REVIEWS + id + "/" + step, user, json), user + " POST " + step);
  }

  private static void assertStatus(int status, Reply reply) {
    assertEquals(status, reply.status(), reply.toString());
  }

  /** Every listing a reviewer can ask for, each filter alone and paged one task at a time. */
  private void listEverything(String user) {
    for (String query :
        List.of(
            "",
            "?queue=" + QUEUE,
            "?state=open",
            "?state=adjudication",
            "?state=settled",
            "?state=timed_out",
            "?overdue=true",
            "?overdue=false",
            "?mine=true",
            "?mine=false",
            "?queue=" + QUEUE + "&state=open&overdue=false&mine=false&limit=500")) {
      assertStatus(200, get("/api/v1/reviews" + query, user));
    }
    // Paging one at a time through the queue: every cursor is scanned.
    String cursor = null;
    int pages = 0;
    do {
      Reply page =
          get(
              "/api/v1/reviews?queue="
                  + QUEUE
                  + "&limit=1"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              user);
      assertStatus(200, page);
      JsonObject json = page.json();
      cursor = json.containsKey("next") && !json.isNull("next") ? json.getString("next") : null;
      pages++;
    } while (cursor != null && pages < 20);
    assertTrue(pages >= 2, "both of this test's tasks are in its queue");
    assertStatus(400, get("/api/v1/reviews?cursor=not-a-cursor", user));
    assertStatus(400, get("/api/v1/reviews?state=pending&limit=0", user));
  }

  /** The paths a reviewer is kept from: refused, and the refusal tells nothing either. */
  private void triesElsewhere(String user, String decision) {
    String encodedQuery =
        URLEncoder.encode("SELECT * WHERE { ?s ?p \"" + decision + "\" }", StandardCharsets.UTF_8);
    for (String path :
        List.of(
            "/api/v1/decisions/" + decision,
            "/api/v1/decisions?model=" + MODEL,
            "/api/v1/decisions/" + decision + "/receipt",
            "/api/v1/decisions/" + decision + "/provenance",
            "/id/decisions/" + decision,
            "/id/reviews/" + decision,
            "/api/v1/callbacks",
            "/api/v1/metrics/hitl?model=" + MODEL,
            "/api/v1/reviews/metrics",
            "/api/v1/policies/" + MODEL + "-policy/versions/1",
            "/api/v1/registry/models",
            "/api/v1/models/" + MODEL + "/versions/1/drift",
            "/sparql?query=" + encodedQuery)) {
      boolean rdf = path.endsWith("/provenance") || path.startsWith("/id/");
      Reply refused =
          blind(
              Api.get(path, user, rdf ? "text/turtle" : "application/json"), user + " GET " + path);
      assertTrue(refused.status() == 403 || refused.status() == 404, path + ": " + refused);
    }
    Reply events =
        blind(
            Api.send(
                Api.request("/api/v1/events", user)
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build()),
            user + " GET /api/v1/events");
    assertStatus(403, events);
    // What every role may read describes the data and holds none of it.
    assertStatus(200, blind(Api.get("/api/v1/ontology", user, "text/turtle"), "ontology"));
    assertStatus(200, get("/api/v1/policies/schema", user));
  }

  /** Every refusal a verdict can meet: each names fields, none a rule or the recommendation. */
  private void badVerdicts(String id, String user, String step, String alias) {
    String path = step;
    Reply approve =
        post(id, path, user, "{\"verdict\": \"approve\", \"reasonCode\": \"looks-fine\"}");
    Reply reject =
        post(id, path, user, "{\"verdict\": \"reject\", \"reasonCode\": \"looks-fine\"}");
    assertStatus(422, approve);
    assertStatus(422, reject);
    // Asked without a justification either way, the answer is the same: it reveals no side.
    assertEquals(
        approve.json().getJsonArray("errors"), reject.json().getJsonArray("errors"), "errors");
    assertEquals(
        "required for this task",
        approve.json().getJsonArray("errors").getJsonObject(0).getString("message"));
    // Citing a real rule id is refused without echoing it or naming any other.
    Reply real =
        post(
            id,
            path,
            user,
            "{\"verdict\": \"reject\", \"reasonCode\": \"needs-biopsy\", \"rules\":"
                + " [\"malignant-two-blind\", \"rule-99\"], \"justification\": \"x\"}");
    assertStatus(422, real);
    assertEquals(2, real.json().getJsonArray("errors").size(), real.toString());
    assertTrue(real.body().contains(alias), real.toString());
    assertStatus(
        422,
        post(
            id,
            path,
            user,
            "{\"verdict\": \"reject\", \"reasonCode\": \"malignant-confirmed\", \"rules\": [\""
                + alias
                + "\"], \"justification\": \"x\"}"));
    assertStatus(
        422,
        post(id, path, user, "{\"verdict\": \"maybe\", \"rules\": \"" + alias + "\", \"x\": 1}"));
    assertStatus(400, post(id, path, user, "{not json"));
  }

  private static String verdict(String outcome, String reasonCode, String rule) {
    return """
        {"verdict": "%s", "reasonCode": "%s", "rules": ["%s"], "justification": "Seen on the slide."}"""
        .formatted(outcome, reasonCode, rule);
  }

  @Test
  void blindReview_everythingAReviewerOrLeadCanFetch_holdsNothingOfTheModelsOutput()
      throws IOException {
    // The reviewers' event stream, open before the tasks are: it carries their opening too.
    SseConnection stream = new SseConnection("/api/v1/reviews/events", "reviewer");
    assertEquals(200, stream.status());
    assertNotNull(stream.nextComment(), "a comment opens the stream");
    String twoBlind = submit("{\"site\": \"south\"}");
    // No site: the guardrail cannot be evaluated on a malignant call, and the decision fails safe.
    String failedSafe = submit("{}");

    // The task as a blind reviewer first sees it: a neutral rule alias and priority.
    JsonObject task = get(REVIEWS + twoBlind, "reviewer").json();
    assertTrue(task.getBoolean("modelOutputHidden"), task.toString());
    JsonObject summary = task.getJsonObject("task");
    assertEquals(50, summary.getInt("priority"));
    // The deciding rule's alias is drawn for the task: one of the version's four.
    String alias = summary.getString("rule");
    assertTrue(alias.matches("rule-[1-4]"), alias);
    assertEquals(
        List.of("rule-1", "rule-2", "rule-3", "rule-4"),
        task.getJsonArray("rules").getValuesAs(JsonString::getString));
    assertEquals(alias, task.getJsonObject("decision").getJsonObject("rule").getString("id"));
    assertEquals(List.of(), task.getJsonArray("similar"));

    JsonObject failSafe = get(REVIEWS + failedSafe, "reviewer").json();
    assertEquals(100, failSafe.getJsonObject("task").getInt("priority"));
    String failedAlias = failSafe.getJsonObject("task").getString("rule");
    assertTrue(failedAlias.matches("rule-[1-4]"), failedAlias);
    assertEquals(
        "'" + failedAlias + "' could not be evaluated; the error is withheld in blind review",
        failSafe.getJsonObject("decision").getString("failure"));

    listEverything("reviewer");
    triesElsewhere("reviewer", twoBlind);
    triesElsewhere("reviewer", failedSafe);

    assertStatus(409, post(twoBlind, "release", "reviewer", ""));
    assertStatus(200, post(twoBlind, "claim", "reviewer", ""));
    // The task's opening and its claim, as the stream carried them, and whatever came between.
    try (stream) {
      streamedUntil(stream, twoBlind, 2);
    }
    assertStatus(200, post(twoBlind, "release", "reviewer", ""));
    assertStatus(200, post(twoBlind, "claim", "reviewer", ""));
    listEverything("reviewer"); // mine=true now lists the claimed task
    badVerdicts(twoBlind, "reviewer", "verdict", alias);
    Reply first = post(twoBlind, "verdict", "reviewer", verdict("approve", "looks-fine", alias));
    assertStatus(200, first);
    assertEquals(
        List.of(alias),
        first
            .json()
            .getJsonArray("verdicts")
            .getJsonObject(0)
            .getJsonArray("rules")
            .getValuesAs(JsonString::getString));
    assertStatus(200, get(REVIEWS + twoBlind, "reviewer"));

    // The second reviewer disagrees: the task waits for a lead, still blind.
    assertStatus(200, post(twoBlind, "claim", "reviewer2", ""));
    Reply second = post(twoBlind, "verdict", "reviewer2", verdict("reject", "needs-biopsy", alias));
    assertStatus(200, second);
    assertEquals("adjudication", second.json().getJsonObject("task").getString("state"));
    listEverything("reviewer2");
    assertStatus(200, get(REVIEWS + twoBlind, "reviewer"));

    JsonObject ruling = get(REVIEWS + twoBlind, "lead-reviewer").json();
    assertEquals(2, ruling.getJsonArray("verdicts").size(), ruling.toString());
    assertTrue(ruling.getBoolean("modelOutputHidden"));
    listEverything("lead-reviewer");
    badVerdicts(twoBlind, "lead-reviewer", "adjudication", alias);

    // The fail-safe task's single reviewer, up to the verdict that settles it.
    assertStatus(200, post(failedSafe, "claim", "reviewer2", ""));
    badVerdicts(failedSafe, "reviewer2", "verdict", failedAlias);
    assertTrue(scanned > 80, "responses scanned: " + scanned);

    // Settled, the task shows the model's call and the real rules: the scan would have seen them.
    Reply ruled =
        postJson(
            REVIEWS + twoBlind + "/adjudication",
            "lead-reviewer",
            verdict("reject", "needs-biopsy", alias));
    assertStatus(200, ruled);
    JsonObject settled = Api.get(REVIEWS + twoBlind, "reviewer", "application/json").json();
    assertFalse(settled.getBoolean("modelOutputHidden"));
    assertEquals(
        LABEL, settled.getJsonObject("decision").getJsonObject("output").getString("label"));
    assertEquals("malignant-two-blind", settled.getJsonObject("task").getString("rule"));
    assertEquals(
        List.of("malignant-two-blind"),
        settled
            .getJsonArray("verdicts")
            .getJsonObject(0)
            .getJsonArray("rules")
            .getValuesAs(JsonString::getString));

    // The record names the rule each reviewer meant by its alias.
    Reply rows =
        Api.sparql(
            "auditor",
            """
            PREFIX arb: <https://w3id.org/arbiter#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?rule WHERE {
              ?decision dcterms:identifier "%s" .
              ?task arb:reviewOf ?decision .
              ?step prov:used ?task ; arb:reliedOnRule/dcterms:identifier ?rule .
            }"""
                .formatted(twoBlind),
            "application/sparql-results+json");
    assertStatus(200, rows);
    List<String> relied =
        rows.json().getJsonObject("results").getJsonArray("bindings").stream()
            .map(JsonValue::asJsonObject)
            .map(b -> b.getJsonObject("rule").getString("value"))
            .toList();
    assertEquals(
        List.of("malignant-two-blind", "malignant-two-blind", "malignant-two-blind"), relied);
  }

  /**
   * The deciding rule's alias is drawn for each task: over a dozen tasks of the same blind rule it
   * takes more than one number, so learning from one settled task which rule its alias stood for
   * says nothing of the next task's (with four rules, a dozen equal draws would be a 1-in-4-million
   * chance).
   */
  @Test
  void ruleAlias_ofTheSameRule_differsFromTaskToTask() {
    java.util.Set<String> aliases = new java.util.HashSet<>();
    for (int i = 0; i < 12; i++) {
      String id = submit("{\"site\": \"south\"}");
      aliases.add(get(REVIEWS + id, "reviewer").json().getJsonObject("task").getString("rule"));
    }
    assertTrue(aliases.size() > 1, aliases.toString());
  }
}
