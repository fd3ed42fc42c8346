package io.arbiter.ledger;

import static io.arbiter.testing.Api.get;
import static io.arbiter.testing.Api.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ledger over HTTP: a decision is provable against the public, signed checkpoint. */
@ExtendWith(ArquillianExtension.class)
class LedgerApiIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static Checkpoint checkpointCovering(long seq, NoteVerifier verifier) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Reply reply = get("/ledger/checkpoint", null, "text/plain");
      assertEquals(200, reply.status(), reply.toString());
      Checkpoint checkpoint = Checkpoint.parse(verifier.verify(reply.body()));
      if (checkpoint.size() > seq || System.nanoTime() > deadline) {
        return checkpoint;
      }
      Thread.sleep(100);
    }
  }

  @Test
  void aSubmittedDecision_isProvablyInTheSignedLog() throws Exception {
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "ledger-%s",
         "input": {"amount": 1000, "income": 56000, "riskScore": 0.1},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    assertEquals(201, submitted.status(), submitted.toString());
    long seq = submitted.json().getJsonNumber("sequence").longValue();

    Reply key = get("/api/v1/ledger/key", null, "application/json");
    assertEquals(200, key.status(), key.toString());
    NoteVerifier verifier = NoteVerifier.parse(key.json().getString("verifierKey"));
    Checkpoint checkpoint = checkpointCovering(seq, verifier);
    assertTrue(checkpoint.size() > seq, "a checkpoint covers the decision within the interval");
    assertEquals(key.json().getString("origin"), checkpoint.origin());

    Reply entry = get("/api/v1/ledger/entries/" + seq, "auditor", "application/json");
    assertEquals(200, entry.status(), entry.toString());
    LedgerEntry parsed =
        LedgerEntry.parse(entry.json().getString("canonical").getBytes(StandardCharsets.UTF_8));
    assertEquals(submitted.json().getString("iri"), parsed.subject());
    assertEquals(submitted.json().getString("bundle"), parsed.bundle());
    assertEquals("decision.submitted", parsed.type());

    Reply proof =
        get(
            "/api/v1/ledger/proofs/inclusion?seq=" + seq + "&treeSize=" + checkpoint.size(),
            "auditor",
            "application/json");
    assertEquals(200, proof.status(), proof.toString());
    List<byte[]> hashes = Api.base64(proof.json().getJsonArray("proof"));
    MerkleProofs.verifyInclusion(
        parsed.leafHash(), seq, checkpoint.size(), hashes, checkpoint.root());
  }

  @Test
  void consistencyProof_linksTwoCheckpoints() throws Exception {
    NoteVerifier verifier =
        NoteVerifier.parse(
            get("/api/v1/ledger/key", null, "application/json").json().getString("verifierKey"));
    Checkpoint before =
        Checkpoint.parse(verifier.verify(get("/ledger/checkpoint", null, "text/plain").body()));
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "ledger-%s", "input": {},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    Checkpoint after =
        checkpointCovering(submitted.json().getJsonNumber("sequence").longValue(), verifier);
    Reply proof =
        get(
            "/api/v1/ledger/proofs/consistency?from=" + before.size() + "&to=" + after.size(),
            "auditor",
            "application/json");
    assertEquals(200, proof.status(), proof.toString());
    List<byte[]> hashes = Api.base64(proof.json().getJsonArray("proof"));
    MerkleProofs.verifyConsistency(
        before.size(), after.size(), before.root(), after.root(), hashes);
  }

  @Test
  void proofsOutOfRange_areProblemsNotServerErrors() {
    for (String path :
        List.of(
            "/api/v1/ledger/proofs/inclusion?seq=999999999&treeSize=1",
            "/api/v1/ledger/proofs/inclusion?seq=-1",
            "/api/v1/ledger/proofs/inclusion?seq=abc",
            "/api/v1/ledger/proofs/consistency?from=5&to=2",
            "/api/v1/ledger/proofs/consistency?from=0&to=999999999")) {
      Reply reply = get(path, "auditor", "application/json");
      assertEquals(400, reply.status(), path + " " + reply);
      JsonObject problem = reply.json();
      assertEquals(
          "https://w3id.org/arbiter/problems/bad-request", problem.getString("type"), path);
      assertTrue(problem.containsKey("errors"), path);
    }
    assertEquals(
        404, get("/api/v1/ledger/entries/999999999", "auditor", "application/json").status());
    assertEquals(403, get("/api/v1/ledger/entries/0", "integrator", "application/json").status());
  }

  @Test
  void receipt_provesTheDecisionOfflineWithNothingElse() throws Exception {
    Reply submitted =
        postJson(
            "/api/v1/decisions",
            "integrator",
            """
        {"model": {"name": "demo-credit", "version": "1"}, "subject": "receipt-%s",
         "input": {"amount": 90000, "income": 56000, "riskScore": 0.2},
         "output": {"label": "approve", "score": 0.8, "confidence": 0.9}}"""
                .formatted(UUID.randomUUID()));
    String id = submitted.json().getString("id");
    Reply receipt = get("/api/v1/decisions/" + id + "/receipt", "integrator", "application/json");
    assertEquals(200, receipt.status(), receipt.toString());
    JsonObject body = receipt.json();
    // Offline: only the receipt's own contents, checked against the published key.
    String publishedKey =
        get("/api/v1/ledger/key", null, "application/json").json().getString("verifierKey");
    assertEquals(publishedKey, body.getString("verifierKey"));
    Checkpoint checkpoint =
        Checkpoint.parse(NoteVerifier.parse(publishedKey).verify(body.getString("checkpoint")));
    JsonObject proven = body.getJsonArray("entries").getJsonObject(0);
    LedgerEntry entry =
        LedgerEntry.parse(proven.getString("canonical").getBytes(StandardCharsets.UTF_8));
    assertEquals(submitted.json().getString("iri"), entry.subject());
    List<byte[]> hashes = Api.base64(proven.getJsonArray("proof"));
    MerkleProofs.verifyInclusion(
        entry.leafHash(), entry.seq(), checkpoint.size(), hashes, checkpoint.root());
    assertEquals(
        404,
        get("/api/v1/decisions/" + id + "/receipt", "integrator2", "application/json").status());
    // And by the independent verifier, from the receipt and the published key alone.
    java.nio.file.Path file = java.nio.file.Files.createTempFile("receipt", ".json");
    java.nio.file.Files.writeString(file, receipt.body());
    var independent = IndependentVerifierTest.independent(file, publishedKey);
    assertEquals(0, independent.status(), independent.output());
    assertTrue(independent.output().contains("OK"), independent.output());
  }

  @Test
  void verifyEndpoint_reportsTheUntouchedStoreAsOk() {
    Reply report =
        Api.send(
            Api.request("/api/v1/ledger/verify", "auditor")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(200, report.status(), report.toString());
    assertTrue(report.json().getBoolean("ok"), report.toString());
    assertEquals(
        report.json().getJsonNumber("entries").longValue(),
        report.json().getJsonNumber("bundles").longValue());
    assertEquals(
        403,
        Api.send(
                Api.request("/api/v1/ledger/verify", "integrator")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build())
            .status());
  }

  @Test
  void hashTilesArePublic_entryTilesForAuditors_andMatchTheEntries() throws Exception {
    NoteVerifier verifier =
        NoteVerifier.parse(
            get("/api/v1/ledger/key", null, "application/json").json().getString("verifierKey"));
    Checkpoint checkpoint =
        Checkpoint.parse(verifier.verify(get("/ledger/checkpoint", null, "text/plain").body()));
    long size = checkpoint.size();
    assertTrue(
        size > 0 && size < 256 * 1000, "the test log's tiles have three-digit paths: " + size);
    // The first tile: partial while the log (shared by every IT) holds fewer than 256 entries.
    long width = Math.min(size, 256);
    String firstTile = width == 256 ? "000" : "000.p/" + width;
    java.net.http.HttpResponse<byte[]> hashes = Api.rawGet("/ledger/tile/0/" + firstTile);
    assertEquals(200, hashes.statusCode());
    assertEquals(32 * width, hashes.body().length);
    // Entries name the people who acted: no entry tile without an auditor's login.
    String entryTile = "/ledger/tile/entries/" + firstTile;
    assertEquals(401, Api.rawGet(entryTile).statusCode());
    assertEquals(403, Api.rawGet(entryTile, "integrator").statusCode());
    assertEquals(403, Api.rawGet(entryTile, "reviewer").statusCode());
    java.net.http.HttpResponse<byte[]> bundle = Api.rawGet(entryTile, "auditor");
    assertEquals(200, bundle.statusCode());
    assertTrue(
        new String(bundle.body(), StandardCharsets.UTF_8).contains("\"actor\""),
        "the bundle holds the entries, actors and all");
    byte[] first =
        get("/api/v1/ledger/entries/0", "auditor", "application/json")
            .json()
            .getString("canonical")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = bundle.body();
    int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    assertEquals(first.length, length);
    assertTrue(java.util.Arrays.equals(first, java.util.Arrays.copyOfRange(body, 2, 2 + length)));
    assertTrue(
        java.util.Arrays.equals(
            MerkleHashes.leaf(first), java.util.Arrays.copyOfRange(hashes.body(), 0, 32)));
    String beyond = String.format(java.util.Locale.ROOT, "%03d.p/%d", size / 256, size % 256 + 1);
    assertEquals(404, Api.rawGet("/ledger/tile/0/" + beyond).statusCode(), "beyond the checkpoint");
    assertEquals(404, Api.rawGet("/ledger/tile/0/../../etc").statusCode());
  }
}
