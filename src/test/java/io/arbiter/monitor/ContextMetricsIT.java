package io.arbiter.monitor;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Figures and the decision table about one context value, and precision and recall for a positive
 * class the request names (issue 18), over HTTP. The test owns its model and a benign/malignant
 * policy (positive: malignant) that decides benign and malignant calls alone and sends any other
 * label to review.
 */
@ExtendWith(ArquillianExtension.class)
class ContextMetricsIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "context-" + TAG;
  private static final String POLICY = "context-policy-" + TAG;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /**
   * Submits a decision; records its outcome when {@code truth} is given. Returns the decision's id.
   */
  private static String decide(String label, String context, String truth) {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "%s", "version": "1"}, "subject": "case-%s", "input": {},
             "context": %s, "output": {"label": "%s", "score": 0.9, "confidence": 0.9}}"""
                .formatted(MODEL, UUID.randomUUID(), context, label));
    assertEquals(truth == null ? 202 : 201, reply.status(), reply.toString());
    if (truth != null) {
      Reply recorded =
          postJson(
              "/api/v1/decisions/" + reply.json().getString("id") + "/outcome",
              "integrator",
              "{\"outcome\": \"" + truth + "\"}");
      assertEquals(201, recorded.status(), recorded.toString());
    }
    return reply.json().getString("id");
  }

  private static JsonObject json(String path) {
    Reply reply = get(path, "auditor", "application/json");
    assertEquals(200, reply.status(), reply.toString());
    return reply.json();
  }

  private static JsonObject hitl(String query) {
    return json("/api/v1/metrics/hitl?model=" + MODEL + "&" + query);
  }

  private static int reviewTasks(String query) {
    return json("/api/v1/reviews/metrics?model=" + MODEL + "&" + query)
        .getJsonObject("overall")
        .getInt("tasks");
  }

  /** The decisions the model's table lists, by id, from its JSON Lines. */
  private static java.util.List<String> tableRows(String query) {
    Reply reply =
        get("/api/v1/decisions/table?model=" + MODEL + "&format=jsonl&" + query, "auditor", "*/*");
    assertEquals(200, reply.status(), reply.toString());
    return reply
        .body()
        .lines()
        .map(line -> jakarta.json.Json.createReader(new java.io.StringReader(line)).readObject())
        .map(row -> row.getString("decision"))
        .sorted()
        .toList();
  }

  /** A 400 problem whose first field error names {@code field}. */
  private static void assertRefused(String path, String field) {
    Reply refused = get(path, "auditor", path.contains("/table") ? "text/csv" : "application/json");
    assertEquals(400, refused.status(), refused.toString());
    assertEquals(
        field,
        refused.json().getJsonArray("errors").getJsonObject(0).getString("field"),
        refused.toString());
  }

  @Test
  void figures_narrowToAContextValue_andMeasureTheRequestedPositiveClass() {
    Api.registerModelVersion(MODEL, "{\"version\": \"1\"}");
    Api.activatePolicy(
        """
        id: %s
        version: 1
        scope: {models: [%s]}
        vocabulary: {outcomes: [benign, malignant], positive: malignant}
        onReviewTimeout: malignant
        rules:
          - {id: benign-call, condition: "output.label == 'benign'", route: benign}
          - {id: malignant-call, condition: "output.label == 'malignant'", route: malignant}
        default: {route: review, review: {queue: context-%s}}
        """
            .formatted(POLICY, MODEL, TAG),
        POLICY,
        "1");
    // North: decided/true malignant/malignant (on floor 3), benign/malignant, benign/benign.
    String northFloor3 = decide("malignant", "{\"site\": \"north\", \"floor\": 3}", "malignant");
    String north2 = decide("benign", "{\"site\": \"north\"}", "malignant");
    String north3 = decide("benign", "{\"site\": \"north\", \"floor\": 4}", "benign");
    // South: both right. One unsure call to review on each site.
    String south1 = decide("benign", "{\"site\": \"south\"}", "benign");
    String south2 = decide("malignant", "{\"site\": \"south\"}", "malignant");
    String north4 = decide("unsure", "{\"site\": \"north\"}", null);
    String southFloor3 = decide("unsure", "{\"site\": \"south\", \"floor\": 3}", null);
    // Contexts are read from the graph: wait until it holds everything recorded so far.
    assertEquals(200, Api.sparql("auditor", "ASK {}", "application/sparql-results+json").status());

    assertEquals(7, hitl("").getInt("decisions"));
    JsonObject north = hitl("contextKey=site&contextValue=north");
    assertEquals(4, north.getInt("decisions"));
    JsonObject judged = north.getJsonObject("automatedAgainstOutcomes");
    assertEquals(3, judged.getInt("withOutcome"));
    assertEquals("malignant", judged.getString("positiveClass"));
    // Malignant: decided so once, rightly (precision 1); of two malignant, one found (recall 0.5).
    assertEquals(1.0, judged.getJsonNumber("precision").doubleValue(), 1e-9);
    assertEquals(0.5, judged.getJsonNumber("recall").doubleValue(), 1e-9);
    assertEquals(3, hitl("contextKey=site&contextValue=south").getInt("decisions"));
    assertEquals(2, hitl("contextKey=floor&contextValue=3").getInt("decisions"), "as a number");
    assertEquals(0, hitl("contextKey=site&contextValue=west").getInt("decisions"));

    // Benign as the positive class, for this request: decided benign twice, once rightly
    // (precision 0.5); the one benign case was found (recall 1).
    JsonObject benign =
        hitl("contextKey=site&contextValue=north&positiveClass=benign")
            .getJsonObject("automatedAgainstOutcomes");
    assertEquals("benign", benign.getString("positiveClass"));
    assertEquals(0.5, benign.getJsonNumber("precision").doubleValue(), 1e-9);
    assertEquals(1.0, benign.getJsonNumber("recall").doubleValue(), 1e-9);

    assertEquals(2, reviewTasks(""));
    assertEquals(1, reviewTasks("contextKey=site&contextValue=north"));
    assertEquals(1, reviewTasks("contextKey=floor&contextValue=3"));
    assertEquals(0, reviewTasks("contextKey=site&contextValue=west"));

    // The decision table keeps the rows of the context value, as the figures count them.
    assertEquals(7, tableRows("").size());
    assertEquals(
        sorted(northFloor3, north2, north3, north4),
        tableRows("contextKey=site&contextValue=north"));
    assertEquals(
        sorted(south1, south2, southFloor3), tableRows("contextKey=site&contextValue=south"));
    assertEquals(
        sorted(northFloor3, southFloor3),
        tableRows("contextKey=floor&contextValue=3.0"),
        "as a number");
    assertEquals(java.util.List.of(), tableRows("contextKey=site&contextValue=west"));

    String hitl = "/api/v1/metrics/hitl?model=" + MODEL;
    assertRefused(hitl + "&positiveClass=approve", "positiveClass");
    assertRefused(hitl + "&positiveClass=no%20name", "positiveClass");
    for (String path :
        new String[] {
          hitl, "/api/v1/reviews/metrics?model=" + MODEL, "/api/v1/decisions/table?model=" + MODEL
        }) {
      assertRefused(path + "&contextKey=site", "contextValue");
      assertRefused(path + "&contextValue=north", "contextKey");
      assertRefused(path + "&contextKey=" + enc("a b") + "&contextValue=north", "contextKey");
      assertRefused(path + "&contextKey=site&contextValue=" + "x".repeat(257), "contextValue");
    }
  }

  private static java.util.List<String> sorted(String... ids) {
    return java.util.Arrays.stream(ids).sorted().toList();
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
