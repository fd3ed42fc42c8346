package io.arbiter.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemType;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import io.arbiter.testing.SseConnection;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The settlement event stream's bounds (docs/security.md, "Exports, verifications and event
 * streams"), on the real server: a caller holds at most {@code arbiter.events.max-concurrent-per-
 * caller} streams (4), the heartbeat comments keep coming, and a stream whose client hung up gives
 * its permit back once a heartbeat finds it gone (every 0.5 s in the test server).
 */
@ExtendWith(ArquillianExtension.class)
class EventStreamLimitsIT {

  private static final String USER = "admin";
  private static final int PER_CALLER = 4;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void aCallerHoldsAtMostFourStreams_andAHungUpStreamGivesItsPermitBack() throws Exception {
    List<SseConnection> open = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CALLER; i++) {
        SseConnection stream = new SseConnection("/api/v1/events", USER);
        open.add(stream);
        assertEquals(200, stream.status(), "stream " + (i + 1));
        assertNotNull(stream.nextComment(), "a comment opens stream " + (i + 1));
      }
      // The heartbeat: more comments on a stream where nothing settles.
      assertNotNull(open.get(0).nextComment(), "a heartbeat within the socket's 10 s");

      Reply refused =
          Api.send(
              Api.plainRequest("/api/v1/events", USER)
                  .header("Accept", "text/event-stream")
                  .GET()
                  .build());
      assertEquals(429, refused.status(), refused.toString());
      assertTrue(refused.contentType().startsWith("application/problem+json"), refused.toString());
      assertEquals(
          ProblemType.TOO_MANY_REQUESTS.uri(),
          refused.json().getString("type"),
          refused.toString());
      assertTrue(
          refused.json().getString("detail").contains("arbiter.events.max-concurrent-per-caller"),
          refused.toString());
      assertNotNull(refused.header("Retry-After"), refused.toString());

      // The cap counts the caller's streams of every kind.
      try (SseConnection tasks = new SseConnection("/api/v1/reviews/events", USER)) {
        assertEquals(429, tasks.status(), "a task stream beyond the caller's four");
      }

      // Another caller is not held back by this one's streams.
      try (SseConnection other = new SseConnection("/api/v1/events", "auditor")) {
        assertEquals(200, other.status());
      }

      open.remove(0).close(); // hang up without a word
      long deadline = System.nanoTime() + 15_000_000_000L;
      SseConnection again = null;
      while (again == null && System.nanoTime() < deadline) {
        SseConnection attempt = new SseConnection("/api/v1/events", USER);
        if (attempt.status() == 200) {
          again = attempt;
        } else {
          assertEquals(429, attempt.status());
          attempt.close();
          Thread.sleep(250);
        }
      }
      assertNotNull(again, "the hung-up stream's permit came back within 15 s");
      open.add(again);
    } finally {
      for (SseConnection stream : open) {
        stream.close();
      }
    }
  }
}
