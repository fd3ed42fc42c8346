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
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A time-windowed audit query about a closed window answers the same whatever is recorded after the
 * window ends, over HTTP: asked, then asked again after more decisions of the same model. The test
 * changes no setting; it submits to the demo model under the demo policy, which is in force on the
 * test server.
 */
@ExtendWith(ArquillianExtension.class)
class ClosedWindowAuditIT {

  private static final String QUERIES = "/api/v1/audit/queries/";
  private static final String CSV = "text/csv";
  private static final String MODEL_VERSION = Api.BASE + "/id/models/demo-credit/versions/1";
  private static final String POLICY_VERSION = "policies/demo-credit-policy/versions/1";

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
}
