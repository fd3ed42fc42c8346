package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.OwnServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server stopped the way a service manager stops it (SIGTERM) signs a last checkpoint over
 * everything it recorded, with the journal still open: with checkpoints signed only once an hour
 * here, the checkpoint on disk afterwards must cover the decisions submitted just before the stop.
 */
class CleanStopIT {

  @Test
  void aCleanStopSignsALastCheckpointOverEverythingRecorded() throws Exception {
    try (OwnServer server =
        new OwnServer(
            "arbiter-stop", 9397, Map.of("arbiter.ledger.checkpoint-interval-ms", "3600000"))) {
      server.start();
      long atStart = checkpointSize(server);
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> reply =
            server.send(
                "POST", "/api/v1/decisions", "integrator", OwnServer.decision("clean-stop", i));
        assertTrue(reply.statusCode() == 201 || reply.statusCode() == 202, reply.body());
      }
      long recorded =
          OwnServer.json(server.send("GET", "/api/v1/journal", "admin", null).body())
              .getJsonNumber("events")
              .longValue();
      assertTrue(recorded >= atStart + 5, recorded + " events recorded, " + atStart + " at start");
      assertEquals(
          atStart, checkpointSize(server), "no checkpoint signed on the schedule meanwhile");

      server.stop();

      assertEquals(recorded, checkpointSize(server), "the last checkpoint covers every event");
    }
  }

  /** The tree size a signed checkpoint note states on its second line (C2SP tlog-checkpoint). */
  private static long checkpointSize(OwnServer server) throws Exception {
    List<String> note = Files.readAllLines(server.data.resolve("ledger/checkpoint"));
    return Long.parseLong(note.get(1));
  }
}
