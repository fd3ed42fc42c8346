package io.arbiter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.ledger.Checkpoint;
import io.arbiter.ledger.LedgerEntry;
import io.arbiter.ledger.MerkleProofs;
import io.arbiter.ledger.NoteVerifier;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety: a real Liberty server is killed with SIGKILL while clients submit decisions, then
 * restarted on the same data. Every decision the server acknowledged must be in the graph and the
 * ledger, with a verifiable receipt, and the verifier must pass.
 *
 * <p>Runs its own server ({@code arbiter-crash} on port 9380) beside the Arquillian one, from the
 * runtime the build installed.
 */
class CrashRecoveryIT {

  private static final int PORT = 9380;
  private static final String BASE = "http://localhost:" + PORT;
  private static final String PASSWORD =
      System.getenv().getOrDefault("ARBITER_DEMO_PASSWORD", "arbiter");
  private static final Path WLP = Path.of("target/liberty/wlp").toAbsolutePath();
  private static final Path SERVER = WLP.resolve("usr/servers/arbiter-crash");
  private static final Path DATA = Path.of("target/crash-data").toAbsolutePath();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void acknowledgedDecisions_surviveSigkill_andTheLedgerVerifies() throws Exception {
    prepareServer();
    start();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean submitting = new AtomicBoolean(true);
    AtomicInteger counter = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      Thread client =
          new Thread(
              () -> {
                while (submitting.get()) {
                  int n = counter.incrementAndGet();
                  try {
                    HttpResponse<String> reply =
                        send(
                            "POST",
                            "/api/v1/decisions",
                            "integrator",
                            """
                {"model": {"name": "demo-credit", "version": "1"}, "subject": "crash-%d",
                 "input": {"amount": %d, "income": 56000, "riskScore": 0.1},
                 "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                                .formatted(n, 1000 + n * 37 % 90000));
                    if (reply.statusCode() == 201 || reply.statusCode() == 202) {
                      acknowledged.add(json(reply.body()).getString("id"));
                    }
                  } catch (IOException e) {
                    // The server died under us: this request was never acknowledged.
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      clients.add(client);
      client.start();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acknowledged.size() < 150 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    server.destroyForcibly().waitFor(); // SIGKILL while the clients are still submitting
    submitting.set(false);
    for (Thread client : clients) {
      client.join(30_000);
    }
    System.out.printf(
        "crash test: killed the server after %d requests, %d acknowledged%n",
        counter.get(), acknowledged.size());
    assertTrue(
        acknowledged.size() >= 150,
        "enough decisions were acknowledged before the kill: " + acknowledged.size());

    start();
    for (String id : acknowledged) {
      HttpResponse<String> reply = send("GET", "/api/v1/decisions/" + id, "auditor", null);
      assertEquals(200, reply.statusCode(), "acknowledged decision " + id + " survived the crash");
    }
    HttpResponse<String> verification = send("POST", "/api/v1/ledger/verify", "auditor", "");
    assertEquals(200, verification.statusCode(), verification.body());
    assertTrue(json(verification.body()).getBoolean("ok"), verification.body());

    NoteVerifier key =
        NoteVerifier.parse(
            json(send("GET", "/api/v1/ledger/key", null, null).body()).getString("verifierKey"));
    for (String id : acknowledged.stream().limit(20).toList()) {
      JsonObject receipt =
          json(send("GET", "/api/v1/decisions/" + id + "/receipt", "auditor", null).body());
      Checkpoint checkpoint = Checkpoint.parse(key.verify(receipt.getString("checkpoint")));
      JsonObject proven = receipt.getJsonArray("entries").getJsonObject(0);
      LedgerEntry entry =
          LedgerEntry.parse(proven.getString("canonical").getBytes(StandardCharsets.UTF_8));
      List<byte[]> proof = io.arbiter.testing.Api.base64(proven.getJsonArray("proof"));
      MerkleProofs.verifyInclusion(
          entry.leafHash(), entry.seq(), checkpoint.size(), proof, checkpoint.root());
    }
  }

  private void prepareServer() throws IOException {
    deleteRecursively(DATA);
    deleteRecursively(SERVER);
    Files.createDirectories(SERVER.resolve("dropins"));
    Files.writeString(
        SERVER.resolve("server.xml"),
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <server description="Arbiter crash test">
          <include location="${arbiter.root.server.xml}"/>
          <httpEndpoint id="defaultHttpEndpoint" host="*" httpPort="%d" httpsPort="-1"/>
        </server>
        """
            .formatted(PORT));
    Files.writeString(
        SERVER.resolve("bootstrap.properties"),
        String.join(
            "\n",
            "arbiter.root.server.xml=" + Path.of("server.xml").toAbsolutePath(),
            "arbiter.data-dir=" + DATA,
            "arbiter.base-iri=" + BASE + "/id/",
            ""));
    Files.copy(
        Path.of("target/arbiter.war"),
        SERVER.resolve("dropins/arbiter.war"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Starts the server in the foreground (`server run` execs the JVM, so this is its process). */
  private void start() throws Exception {
    server =
        new ProcessBuilder(WLP.resolve("bin/server").toString(), "run", "arbiter-crash")
            .redirectErrorStream(true)
            .redirectOutput(new File("target/crash-server.log"))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (send("GET", "/health/ready", null, null).statusCode() == 200
            && send("GET", "/api/v1/decisions?limit=1", "auditor", null).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      assertTrue(server.isAlive(), "the server process exited; see target/crash-server.log");
      Thread.sleep(500);
    }
    throw new AssertionError("the server did not become ready; see target/crash-server.log");
  }

  private HttpResponse<String> send(String method, String path, String user, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(60));
    if (user != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
