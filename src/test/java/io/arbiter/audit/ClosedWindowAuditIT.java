package io.arbiter.audit;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.Fixtures;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A time-windowed audit query about a closed window answers the same whatever is recorded after the
 * window ends, over HTTP: asked, then asked again after more decisions of the same model (and, for
 * the verdict queries, after verdicts given later). The test changes no setting; it submits to the
 * demo model under the demo policy, which is in force on the test server, and reviews as {@code
 * reviewer}. Hour tallies are not exercised here: the server tallies an hour only once it is over
 * (SubmissionHourIndexTest asks the same questions before and after tallies, on an injected clock).
 */
@ExtendWith(ArquillianExtension.class)
class ClosedWindowAuditIT {

  private static final String QUERIES = "/api/v1/audit/queries/";
  private static final String CSV = "text/csv";
  private static final String MODEL_VERSION = Api.BASE + "/id/models/demo-credit/versions/1";
  private static final String POLICY_VERSION = "policies/demo-credit-policy/versions/1";
  private static final String POLICY = Api.BASE + "/id/policies/demo-credit-policy";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private record Submitted(String id, Instant at) {}

  /** A demo-credit decision, and when the server says it was submitted. */
  private static Submitted submit(String label, double confidence, int status) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            Fixtures.requestJson(1000, 100000, 0.1, label, confidence));
    assertEquals(status, reply.status(), reply.toString());
    String id = reply.json().getString("id");
    Reply read = get("/api/v1/decisions/" + id, "auditor", "application/json");
    assertEquals(200, read.status(), read.toString());
    return new Submitted(id, Instant.parse(read.json().getString("submittedAt")));
  }

  /** Submissions the demo policy automates (affordable, low risk) and escalates (unsure). */
  private static List<Submitted> submitBoth() {
    return List.of(submit("approve", 0.9, 201), submit("approve", 0.5, 202));
  }

  private static Reply ask(String query, String json) {
    Reply reply =
        Api.send(
            Api.request(QUERIES + query, "auditor")
                .header("Content-Type", "application/json")
                .header("Accept", CSV)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    assertEquals(200, reply.status(), reply.toString());
    return reply;
  }

  /** A demo-credit request without its declared input {@code income}: it fails safe to review. */
  private static Submitted submitWithoutIncome() {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "case-%s",
             "input": {"amount": 1000, "riskScore": {"value": 0.1, "source": "bureau"}},
             "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    assertEquals(202, reply.status(), reply.toString());
    assertFalse(reply.json().isNull("failure"), reply.toString());
    String id = reply.json().getString("id");
    Reply read = get("/api/v1/decisions/" + id, "auditor", "application/json");
    assertEquals(200, read.status(), read.toString());
    return new Submitted(id, Instant.parse(read.json().getString("submittedAt")));
  }

  /** One approving verdict on the escalated decision, agreeing with the model's approve. */
  private static void approve(Submitted escalated) {
    Reply verdict = Api.approveAsReviewer(Api.openTaskOf(escalated.id(), "low-confidence"), null);
    assertEquals(200, verdict.status(), verdict.toString());
  }

  private static String window(Instant from, Instant to) {
    return "{\"from\": \"%s\", \"to\": \"%s\"}".formatted(from, to);
  }

  /** The rows of an answer, the header left out. */
  private static List<String> rows(Reply answer) {
    return answer.body().lines().skip(1).filter(l -> !l.isBlank()).toList();
  }

  private static Reply byModelVersion(Instant from, Instant to) {
    return ask(
        "decisions-by-model-version",
        "{\"modelVersion\": \"%s\", \"from\": \"%s\", \"to\": \"%s\"}"
            .formatted(MODEL_VERSION, from, to));
  }

  private static Reply escalation(Instant from, Instant to) {
    return ask(
        "escalation-by-policy-version", "{\"from\": \"%s\", \"to\": \"%s\"}".formatted(from, to));
  }

  /** The demo policy version's row of an escalation answer: decisions and escalated. */
  private static List<String> demoRow(Reply answer) {
    List<String> rows =
        answer.body().lines().filter(l -> l.contains(POLICY_VERSION + ",")).toList();
    assertEquals(1, rows.size(), answer.body());
    List<String> cells = List.of(rows.get(0).split(",", -1));
    return List.of(cells.get(2).strip(), cells.get(3).strip());
  }

  @Test
  @Timeout(120)
  void windowedQueries_aboutAClosedWindow_answerTheSameAfterLaterSubmissions() {
    Instant from = Instant.now().minusMillis(1);
    List<Submitted> inside = submitBoth();
    Instant to = inside.get(1).at().plusMillis(1);

    Reply decisions = byModelVersion(from, to);
    for (Submitted each : inside) {
      assertTrue(decisions.body().contains(each.id()), each + ": " + decisions.body());
    }
    Reply escalated = escalation(from, to);
    // The window is this test's own: its two decisions, one escalated, and nobody else's.
    assertEquals(List.of("2", "1"), demoRow(escalated), escalated.body());
    // Whole hours, closed at the current hour's start: answered from their tallies if written.
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Reply hours = escalation(hour.minus(6, ChronoUnit.HOURS), hour);
    Reply hoursDecisions = byModelVersion(hour.minus(6, ChronoUnit.HOURS), hour);

    List<Submitted> after = submitBoth();
    for (Submitted each : after) {
      assertFalse(each.at().isBefore(to), "submitted after the window: " + each + ", " + to);
    }
    // The later decisions are there to be counted by a window that holds them.
    Reply wider = byModelVersion(from, after.get(1).at().plusMillis(1));
    for (Submitted each : after) {
      assertTrue(wider.body().contains(each.id()), each + ": " + wider.body());
    }
    assertEquals(
        List.of("4", "2"),
        demoRow(escalation(from, after.get(1).at().plusMillis(1))),
        "the later decisions counted in a window that holds them");

    assertEquals(decisions.body(), byModelVersion(from, to).body());
    assertEquals(escalated.body(), escalation(from, to).body());
    assertEquals(hours.body(), escalation(hour.minus(6, ChronoUnit.HOURS), hour).body());
    assertEquals(
        hoursDecisions.body(), byModelVersion(hour.minus(6, ChronoUnit.HOURS), hour).body());
  }

  /**
   * Issue 18, item 5: the instant and window questions besides the two above. The window holds an
   * automated, two escalated and one fail-safe decision of this test, and a verdict on one of the
   * escalated ones; after it, more decisions, one fail-safe, and verdicts on the other escalated
   * decision of the window and on one submitted after it. Each answer about the window (or its end,
   * as an instant) is the same before and after.
   */
  @Test
  @Timeout(120)
  void instantAndWindowQueries_aboutThePast_answerTheSameAfterLaterIntakeAndVerdicts() {
    Instant from = Instant.now().minusMillis(1);
    List<Submitted> both = submitBoth();
    Submitted judgedInside = both.get(1);
    Submitted judgedLater = submit("approve", 0.5, 202);
    Submitted failedSafe = submitWithoutIncome();
    approve(judgedInside);
    // Every server time of the window (submissions, the verdict) was taken before this.
    Instant to = Instant.now().plusMillis(1);

    String at = "{\"at\": \"%s\"}".formatted(to);
    String atSince = "{\"at\": \"%s\", \"since\": \"%s\"}".formatted(to, from);
    String activeAt = "{\"policy\": \"%s\", \"at\": \"%s\"}".formatted(POLICY, to);
    String[][] questions = {
      {"model-versions-in-production-at", at},
      {"model-versions-in-production-at", atSince},
      {"policy-version-active-at", activeAt},
      {"fail-safe-decisions", window(from, to)},
      {"verdicts-blind-or-sighted", window(from, to)},
      {"overrides-by-reviewer", window(from, to)}
    };
    List<Reply> asked = java.util.Arrays.stream(questions).map(q -> ask(q[0], q[1])).toList();

    // Answers that say something, so that a changed one would show.
    for (int i : new int[] {0, 1}) {
      assertTrue(
          rows(asked.get(i)).stream().anyMatch(r -> r.startsWith("demo-credit/1,")),
          "demo-credit/1 decided in the day before and since " + from + ": " + asked.get(i));
    }
    assertTrue(
        rows(asked.get(2)).stream().anyMatch(r -> r.contains(POLICY_VERSION)), asked.get(2).body());
    assertEquals(1, rows(asked.get(3)).size(), asked.get(3).body());
    assertTrue(asked.get(3).body().contains(failedSafe.id()), asked.get(3).body());
    assertEquals(1, rows(asked.get(4)).size(), asked.get(4).body());
    assertTrue(asked.get(4).body().contains(judgedInside.id()), asked.get(4).body());
    assertEquals(List.of("reviewer,confident-enough,1,0"), rows(asked.get(5)), "no override");

    List<Submitted> after = new java.util.ArrayList<>(submitBoth());
    after.add(submitWithoutIncome());
    for (Submitted each : after) {
      assertFalse(each.at().isBefore(to), "submitted after the window: " + each + ", " + to);
    }
    approve(judgedLater);
    approve(after.get(1));
    // What came later is there to be found by a window that holds it.
    Instant later = Instant.now().plusMillis(1);
    Reply wider = ask("verdicts-blind-or-sighted", window(from, later));
    for (Submitted each : List.of(judgedInside, judgedLater, after.get(1))) {
      assertTrue(wider.body().contains(each.id()), each + ": " + wider.body());
    }
    Reply failures = ask("fail-safe-decisions", window(from, later));
    assertTrue(failures.body().contains(after.get(2).id()), failures.body());
    assertEquals(
        List.of("reviewer,confident-enough,3,0"),
        rows(ask("overrides-by-reviewer", window(from, later))));

    for (int i = 0; i < questions.length; i++) {
      assertEquals(
          asked.get(i).body(),
          ask(questions[i][0], questions[i][1]).body(),
          questions[i][0] + " " + questions[i][1]);
    }
  }

  /** A decision of {@code model} version 1, which no policy governs (it fails safe to review). */
  private static Submitted submitOf(String model) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "case-%s", "input": {},
             "output": {"label": "approve", "score": 0.9, "confidence": 0.9}}"""
                .formatted(model, UUID.randomUUID()));
    assertEquals(202, reply.status(), reply.toString());
    String id = reply.json().getString("id");
    Reply read = get("/api/v1/decisions/" + id, "auditor", "application/json");
    assertEquals(200, read.status(), read.toString());
    return new Submitted(id, Instant.parse(read.json().getString("submittedAt")));
  }

  /**
   * decisions-trained-on-dataset, the window question the two tests above leave out: the test's own
   * dataset and a model trained on it, its decisions in a window, asked again after more.
   */
  @Test
  @Timeout(120)
  void decisionsTrainedOnADataset_aboutAClosedWindow_answerTheSameAfterLaterSubmissions() {
    String dataset = "closed-window-" + UUID.randomUUID().toString().substring(0, 8);
    Api.registerDataset(dataset);
    String model = "trained-" + dataset;
    Api.registerModelVersion(
        model,
        "{\"version\": \"1\", \"trainedOn\": [{\"dataset\": \"%s\", \"version\": \"1\"}]}"
            .formatted(dataset));
    String question =
        "{\"dataset\": \"%s/id/datasets/%s\", \"from\": \"%%s\", \"to\": \"%%s\"}"
            .formatted(Api.BASE, dataset);

    Instant from = Instant.now().minusMillis(1);
    List<Submitted> inside = List.of(submitOf(model), submitOf(model));
    Instant to = inside.get(1).at().plusMillis(1);
    Reply asked = ask("decisions-trained-on-dataset", question.formatted(from, to));
    assertEquals(2, rows(asked).size(), asked.body());
    for (Submitted each : inside) {
      assertTrue(asked.body().contains(each.id()), each + ": " + asked.body());
    }

    Submitted later = submitOf(model);
    assertFalse(later.at().isBefore(to), "submitted after the window: " + later);
    Reply wider =
        ask("decisions-trained-on-dataset", question.formatted(from, later.at().plusMillis(1)));
    assertTrue(wider.body().contains(later.id()), wider.body());
    assertEquals(
        asked.body(), ask("decisions-trained-on-dataset", question.formatted(from, to)).body());
  }
}
