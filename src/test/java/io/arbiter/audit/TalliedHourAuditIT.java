package io.arbiter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Await;
import io.arbiter.testing.Fixtures;
import io.arbiter.testing.OwnServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 5, through the server: every audit question about a closed hour (or its end, as an
 * instant) answers the same before its hour is tallied, after more intake, and after the tally and
 * a later verdict. The hour is the one the pre-vocabulary journal recorded (2026-12-07T10:00Z,
 * seven decisions, never tallied by the release that wrote it). The server first runs with tallies
 * an hour apart (the first one an hour after start: none during the test), then again with tallies
 * every second, until the hour's tally is in the store. ClosedWindowAuditIT asks about windows that
 * are still open to tallies on the shared server.
 */
class TalliedHourAuditIT {

  private static final int PORT = 9407;
  private static final String ID = OwnServer.PRE_VOCABULARY_BASE_IRI;
  private static final String FROM = "2026-12-07T10:00:00Z";
  private static final String TO = "2026-12-07T11:00:00Z";
  private static final String WINDOW = "\"from\": \"%s\", \"to\": \"%s\"".formatted(FROM, TO);
  private static final String POLICY = ID + "policies/demo-credit-policy";
  private static final String OPEN_TASK = "01a24fff-6d77-7189-9079-fa2f1b6977c9";

  /**
   * Every audit query with a window or an instant, asked about the hour, but
   * decisions-trained-on-dataset (the journal's model was trained on no dataset:
   * ClosedWindowAuditIT asks it); name and parameters.
   */
  private static final String[][] QUESTIONS = {
    {
      "decisions-by-model-version",
      "{\"modelVersion\": \"%smodels/demo-credit/versions/1\", %s}".formatted(ID, WINDOW)
    },
    {
      "decisions-by-rule",
      "{\"policyVersion\": \"%s/versions/1\", \"ruleId\": \"default\", %s}"
          .formatted(POLICY, WINDOW)
    },
    {
      "decisions-by-changed-rule",
      "{\"policy\": \"%s\", \"asOf\": \"%s\", %s}".formatted(POLICY, TO, WINDOW)
    },
    {"escalation-by-policy-version", "{%s}".formatted(WINDOW)},
    {"fail-safe-decisions", "{%s}".formatted(WINDOW)},
    {"model-versions-in-production-at", "{\"at\": \"%s\"}".formatted(TO)},
    {"model-versions-in-production-at", "{\"at\": \"%s\", \"since\": \"%s\"}".formatted(TO, FROM)},
    {"overrides-by-reviewer", "{%s}".formatted(WINDOW)},
    {"policy-version-active-at", "{\"policy\": \"%s\", \"at\": \"%s\"}".formatted(POLICY, TO)},
    {"verdicts-blind-or-sighted", "{%s}".formatted(WINDOW)},
  };

  private static List<String> askAll(OwnServer server) throws Exception {
    List<String> answers = new ArrayList<>();
    for (String[] question : QUESTIONS) {
      HttpResponse<String> reply =
          server.send("POST", "/api/v1/audit/queries/" + question[0], "auditor", question[1]);
      assertEquals(200, reply.statusCode(), question[0] + ": " + reply.body());
      answers.add(reply.body().replace("localhost:" + server.port, "localhost:PORT"));
    }
    return answers;
  }

  /** How many tallies of the hour the store holds. */
  private static int tallies(OwnServer server) throws Exception {
    String query =
        """
        PREFIX arb: <https://w3id.org/arbiter#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT (COUNT(?tally) AS ?n) WHERE {
          ?tally a arb:HourTally ; arb:tallyOf ?hour .
          ?hour arb:hourStart "%s"^^xsd:dateTime .
        }"""
            .formatted(FROM);
    HttpResponse<String> reply =
        server.send(
            "GET",
            "/sparql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
            "auditor",
            null);
    assertEquals(200, reply.statusCode(), reply.body());
    return Integer.parseInt(
        OwnServer.json(reply.body())
            .getJsonObject("results")
            .getJsonArray("bindings")
            .getJsonObject(0)
            .getJsonObject("n")
            .getString("value"));
  }

  @Test
  void auditAnswersAboutAClosedHour_areTheSameBeforeAndAfterIntakeTheTallyAndAVerdict()
      throws Exception {
    List<String> untallied;
    List<String> afterIntake;
    OwnServer first =
        new OwnServer(
            "arbiter-tallied-hour",
            PORT,
            Map.of("arbiter.base-iri", ID, "arbiter.hours.tally-interval", "PT1H"));
    first.placePreVocabularyJournal();
    try (first) {
      first.start();
      assertEquals(0, tallies(first), "the hour is not tallied yet");
      untallied = askAll(first);
      // Answers that say something, so that a changed one would show.
      assertTrue(untallied.get(0).contains("pv-open-blind"), untallied.get(0));
      assertTrue(untallied.get(3).contains("\"value\": \"7\""), untallied.get(3));
      assertTrue(untallied.get(5).contains("demo-credit/1"), untallied.get(5));
      assertTrue(untallied.get(7).contains("income-too-low"), untallied.get(7));
      assertTrue(untallied.get(9).contains("reviewer2"), untallied.get(9));

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> more =
            first.send(
                "POST",
                "/api/v1/decisions",
                "integrator",
                Fixtures.requestJson(1000, 100000, 0.1, "approve", i == 0 ? 0.5 : 0.9));
        assertTrue(more.statusCode() == 201 || more.statusCode() == 202, more.body());
      }
      afterIntake = askAll(first);
      assertEquals(0, tallies(first), "still not tallied");
    }
    assertEquals(untallied, afterIntake, "after more intake");

    try (OwnServer again =
        OwnServer.over(
            "arbiter-tallied-hour",
            PORT,
            first.data,
            Map.of("arbiter.base-iri", ID, "arbiter.hours.tally-interval", "PT1S"))) {
      again.start();
      assertEquals(
          1,
          Await.until(() -> tallies(again), n -> n > 0, Duration.ofSeconds(60)),
          "the closed hour is tallied");
      assertEquals(untallied, askAll(again), "after the tally");

      // A verdict given now on a decision of the hour: verdict windows count when it was given.
      assertEquals(
          200,
          again
              .send("POST", "/api/v1/reviews/" + OPEN_TASK + "/claim", "reviewer", "")
              .statusCode());
      HttpResponse<String> verdict =
          again.send(
              "POST",
              "/api/v1/reviews/" + OPEN_TASK + "/verdict",
              "reviewer",
              "{\"verdict\": \"approve\", \"reasonCode\": \"income-verified\", \"rules\": [\"default\"]}");
      assertEquals(200, verdict.statusCode(), verdict.body());
      assertEquals(untallied, askAll(again), "after a later verdict");
    }
  }
}
