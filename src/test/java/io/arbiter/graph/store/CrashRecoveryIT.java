package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleProofs;
import io.arbiter.ledger.NoteVerifier;
import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety: a real Liberty server is killed with SIGKILL while clients submit decisions, then
 * restarted on the same data, again and again, alternating 8 and 64 clients. After every restart
 * every decision the server ever acknowledged must be readable, the verifier must pass (journal,
 * checkpoint, tiles, and the graph against the journal), and receipts must verify.
 *
 * <p>The build kills it twice (once at 8 clients, once at 64); {@code -Darbiter.crash.kills=20}
 * runs the full soak of docs/performance.md.
 */
class CrashRecoveryIT {

  private static final int KILLS = Integer.getInteger("arbiter.crash.kills", 2);
  private OwnServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void acknowledgedDecisions_surviveRepeatedSigkills_andEverythingVerifies() throws Exception {
    server = new OwnServer("arbiter-crash", 9380, Map.of());
    server.start();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger counter = new AtomicInteger();
    for (int kill = 1; kill <= KILLS; kill++) {
      int clients = kill % 2 == 1 ? 8 : 64;
      int before = acknowledged.size();
      int requests = killUnderLoad(clients, acknowledged, counter);
      System.out.printf(
          "crash test: kill %d of %d at %d clients after %d requests, %d acknowledged in all%n",
          kill, KILLS, clients, requests, acknowledged.size());
      assertTrue(
          acknowledged.size() >= before + 100,
          "enough decisions were acknowledged before kill " + kill + ": " + acknowledged.size());
      server.start();
      for (String id : acknowledged) {
        HttpResponse<String> reply = server.send("GET", "/api/v1/decisions/" + id, "auditor", null);
        assertEquals(
            200, reply.statusCode(), "acknowledged decision " + id + " survived kill " + kill);
      }
      HttpResponse<String> verification =
          server.send("POST", "/api/v1/ledger/verify", "auditor", "");
      assertEquals(200, verification.statusCode(), verification.body());
      assertTrue(
          OwnServer.json(verification.body()).getBoolean("ok"),
          "after kill " + kill + ": " + verification.body());
      receiptsVerify(acknowledged.stream().limit(10).toList());
    }
  }

  /** Submits from {@code clients} clients until 100 more are acknowledged, then SIGKILL. */
  private int killUnderLoad(int clients, Set<String> acknowledged, AtomicInteger counter)
      throws Exception {
    int target = acknowledged.size() + 100;
    int first = counter.get();
    try (OwnServer.Load load = server.submitting(clients, "crash", acknowledged, counter)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (acknowledged.size() < target && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      server.kill(); // SIGKILL while the clients are still submitting
    }
    return counter.get() - first;
  }

  private void receiptsVerify(List<String> ids) throws Exception {
    NoteVerifier key =
        NoteVerifier.parse(
            OwnServer.json(server.send("GET", "/api/v1/ledger/key", null, null).body())
                .getString("verifierKey"));
    for (String id : ids) {
      JsonObject receipt =
          OwnServer.json(
              server.send("GET", "/api/v1/decisions/" + id + "/receipt", "auditor", null).body());
      Checkpoint checkpoint = Checkpoint.parse(key.verify(receipt.getString("checkpoint")));
      JsonObject proven = receipt.getJsonArray("entries").getJsonObject(0);
      LedgerEntry entry =
          LedgerEntry.parse(proven.getString("canonical").getBytes(StandardCharsets.UTF_8));
      List<byte[]> proof = io.arbiter.testing.Api.base64(proven.getJsonArray("proof"));
      MerkleProofs.verifyInclusion(
          entry.leafHash(), entry.seq(), checkpoint.size(), proof, checkpoint.root());
    }
  }
}
