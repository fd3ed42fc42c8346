package io.arbiter.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.graph.verify.RebuildCommand;
import io.arbiter.testing.OwnServer;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The online backup of docs/operations.md, done as an operator would against a real server: copy
 * the key and the checkpoint, seal the journal, copy the sealed segments — while decisions keep
 * coming — then restore them into an empty data directory, rebuild the graph store from the
 * journal, and start a server on it. It must give the same answers for everything the backup holds,
 * nothing of what came after, and pass the verifier.
 */
class BackupRestoreIT {

  private static final int PORT = 9395;
  private static final String BASE = "http://localhost:" + PORT + "/id/";

  @Test
  void sealCopyRestoreRebuild_givesTheSameAnswers_andVerifies() throws Exception {
    Path backup = Path.of("target/backup-it").toAbsolutePath();
    deleteRecursively(backup);
    Files.createDirectories(backup.resolve("journal"));
    Map<String, String> answers = new LinkedHashMap<>();
    List<String> later = new ArrayList<>();
    long sealedEvents;
    try (OwnServer server = new OwnServer("arbiter-backup", PORT, Map.of())) {
      server.start();
      for (int i = 0; i < 40; i++) {
        String id = submit(server, i);
        answers.put(id, decision(server, id));
      }
      Path data = server.data;
      // The checkpoint first: it must cover no event the sealed segments lack.
      Files.copy(data.resolve("keys/ledger.key"), backup.resolve("ledger.key"));
      Files.copy(data.resolve("ledger/checkpoint"), backup.resolve("checkpoint"));
      HttpResponse<String> sealed = server.send("POST", "/api/v1/journal/seal", "admin", "");
      assertEquals(200, sealed.statusCode(), sealed.body());
      JsonObject seal = OwnServer.json(sealed.body());
      sealedEvents = seal.getJsonNumber("events").longValue();
      for (int i = 40; i < 50; i++) {
        later.add(submit(server, i)); // after the seal: not in the backup
      }
      for (var segment : seal.getJsonArray("segments")) {
        String name = segment.asJsonObject().getString("name");
        Files.copy(data.resolve("journal").resolve(name), backup.resolve("journal").resolve(name));
      }
      assertEquals(403, server.send("POST", "/api/v1/journal/seal", "auditor", "").statusCode());
    }

    try (OwnServer restored =
        new OwnServer("arbiter-restored", PORT + 1, Map.of("arbiter.base-iri", BASE))) {
      Path data = restored.data;
      Files.createDirectories(data.resolve("keys"));
      Files.createDirectories(data.resolve("ledger"));
      Files.copy(backup.resolve("ledger.key"), data.resolve("keys/ledger.key"));
      Files.copy(backup.resolve("checkpoint"), data.resolve("ledger/checkpoint"));
      copyTree(backup.resolve("journal"), data.resolve("journal"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status =
          RebuildCommand.run(
              new String[] {"--data-dir", data.toString(), "--base-iri", BASE},
              new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(0, status, out.toString(StandardCharsets.UTF_8));

      restored.start();
      for (var answer : answers.entrySet()) {
        // Links in the answer name the server that was asked; the rest must be the same.
        String again =
            decision(restored, answer.getKey())
                .replace("localhost:" + (PORT + 1), "localhost:" + PORT);
        assertEquals(answer.getValue(), again, answer.getKey());
      }
      for (String id : later) {
        assertEquals(
            404,
            restored.send("GET", "/api/v1/decisions/" + id, "auditor", null).statusCode(),
            "recorded after the backup: " + id);
      }
      JsonObject journal =
          OwnServer.json(restored.send("GET", "/api/v1/journal", "admin", null).body());
      assertEquals(sealedEvents, journal.getJsonNumber("events").longValue());
      String count =
          "/sparql?query="
              + URLEncoder.encode(
                  "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/arbiter#Decision> }",
                  StandardCharsets.UTF_8);
      HttpResponse<String> counted = restored.send("GET", count, "auditor", null);
      assertEquals(
          "40",
          OwnServer.json(counted.body())
              .getJsonObject("results")
              .getJsonArray("bindings")
              .getJsonObject(0)
              .getJsonObject("n")
              .getString("value"),
          counted.body());
      HttpResponse<String> verification =
          restored.send("POST", "/api/v1/ledger/verify", "auditor", "");
      assertTrue(OwnServer.json(verification.body()).getBoolean("ok"), verification.body());
    }
  }

  private static String submit(OwnServer server, int n) throws Exception {
    HttpResponse<String> reply =
        server.send("POST", "/api/v1/decisions", "integrator", OwnServer.decision("backup", n));
    assertTrue(reply.statusCode() == 201 || reply.statusCode() == 202, reply.body());
    return OwnServer.json(reply.body()).getString("id");
  }

  /** A decision as an auditor reads it, less what says where it was read from. */
  private static String decision(OwnServer server, String id) throws Exception {
    HttpResponse<String> reply = server.send("GET", "/api/v1/decisions/" + id, "auditor", null);
    assertEquals(200, reply.statusCode(), reply.body());
    return reply.body();
  }

  private static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static void deleteRecursively(Path path) throws Exception {
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
