package io.arbiter.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.ProblemType;
import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

  /**
   * A stream over a socket of its own, so that hanging up is exactly closing the connection (an
   * HTTP client may keep a connection it was asked to cancel).
   */
  private static final class RawStream implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final int status;

    RawStream(String user) throws IOException {
      URI base = URI.create(Api.BASE);
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(10_000);
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/v1/events HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\nAccept: text/event-stream\r\nAuthorization: Basic "
                  + token
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      assertNotNull(statusLine, "no response");
      status = Integer.parseInt(statusLine.split(" ")[1]);
      for (String header = in.readLine(); header != null && !header.isEmpty(); ) {
        header = in.readLine();
      }
    }

    /** The next line of the body that is an SSE comment; chunk-size lines and blanks skipped. */
    String nextComment() throws IOException {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(":")) {
          return line;
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aCallerHoldsAtMostFourStreams_andAHungUpStreamGivesItsPermitBack() throws Exception {
    List<RawStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CALLER; i++) {
        RawStream stream = new RawStream(USER);
        open.add(stream);
        assertEquals(200, stream.status, "stream " + (i + 1));
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

      // Another caller is not held back by this one's streams.
      try (RawStream other = new RawStream("auditor")) {
        assertEquals(200, other.status);
      }

      open.remove(0).close(); // hang up without a word
      long deadline = System.nanoTime() + 15_000_000_000L;
      RawStream again = null;
      while (again == null && System.nanoTime() < deadline) {
        RawStream attempt = new RawStream(USER);
        if (attempt.status == 200) {
          again = attempt;
        } else {
          assertEquals(429, attempt.status);
          attempt.close();
          Thread.sleep(250);
        }
      }
      assertNotNull(again, "the hung-up stream's permit came back within 15 s");
      open.add(again);
    } finally {
      for (RawStream stream : open) {
        stream.close();
      }
    }
  }
}
