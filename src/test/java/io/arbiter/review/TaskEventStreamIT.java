package io.arbiter.review;

import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.SseConnection;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reviewers' event stream ({@code /api/v1/reviews/events}) on the real server: a task opened
 * for review and each step on it reach a reviewer of its queue at once, as the task's id, queue,
 * kind and state, and nothing of the decision (the task is blind).
 */
@ExtendWith(ArquillianExtension.class)
class TaskEventStreamIT {

  private static final String TYPE = "review.task-changed";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  /** The demo policy sends a large amount to senior-credit, for two blind reviewers. */
  private static String submitLargeLoan() {
    Reply reply =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
            {"model": {"name": "demo-credit", "version": "1"}, "subject": "stream-%s",
             "input": {"amount": 60000, "income": 200000, "riskScore": 0.1},
             "output": {"label": "approve", "score": 0.7, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    assertEquals(202, reply.status(), reply.toString());
    return reply.json().getString("id");
  }

  /** The next change of task {@code id} on the stream, skipping other tasks'. */
  private static JsonObject nextChangeOf(SseConnection stream, String id) throws IOException {
    for (int i = 0; i < 1000; i++) {
      SseConnection.Event event = stream.next(TYPE);
      assertNotNull(event, "the stream ended");
      JsonObject data = Json.createReader(new StringReader(event.data())).readObject();
      if (data.getString("id").equals(id)) {
        return data;
      }
    }
    throw new AssertionError("no change of " + id);
  }

  @Test
  void aReviewerHearsOfATaskOpenedAndClaimed_withNothingOfTheDecision() throws Exception {
    try (SseConnection stream = new SseConnection("/api/v1/reviews/events", "reviewer")) {
      assertEquals(200, stream.status());
      assertNotNull(stream.nextComment(), "a comment opens the stream");

      String id = submitLargeLoan();
      JsonObject opened = nextChangeOf(stream, id);
      assertEquals(Set.of("id", "queue", "kind", "state"), opened.keySet(), opened.toString());
      assertEquals("senior-credit", opened.getString("queue"));
      assertEquals("escalation", opened.getString("kind"));
      assertEquals("open", opened.getString("state"));

      Reply claim = postJson("/api/v1/reviews/" + id + "/claim", "reviewer2", "");
      assertEquals(200, claim.status(), claim.toString());
      JsonObject claimed = nextChangeOf(stream, id);
      assertEquals("open", claimed.getString("state"), "a claim leaves the task open");

      Reply release = postJson("/api/v1/reviews/" + id + "/release", "reviewer2", "");
      assertEquals(200, release.status(), release.toString());
      assertEquals("open", nextChangeOf(stream, id).getString("state"));
    }
  }

  @Test
  void integrators_mayNotListenToReviews() throws Exception {
    try (SseConnection stream = new SseConnection("/api/v1/reviews/events", "integrator")) {
      assertEquals(403, stream.status());
    }
  }
}
