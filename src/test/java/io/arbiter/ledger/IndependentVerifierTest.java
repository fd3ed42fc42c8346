package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts checked by a second implementation: src/test/independent/VerifyReceipt.java, written
 * from the specifications on the JDK's own SHA-256 and Ed25519 (Arbiter signs with BouncyCastle),
 * and run as a separate single-file program with nothing of ours on its class path.
 */
class IndependentVerifierTest {

  @TempDir Path dir;

  private String receipt(MerkleTree tree, NoteKey key, long seq, long size, boolean tamper)
      throws Exception {
    byte[] entry = entry(seq).canonicalBytes();
    JsonArrayBuilder proof = Json.createArrayBuilder();
    for (byte[] hash : tree.inclusionProof(seq, size)) {
      if (tamper) {
        hash[0] ^= 1;
      }
      proof.add(Base64.getEncoder().encodeToString(hash));
    }
    String note = key.sign(new Checkpoint("arbiter.test/ledger", size, tree.root(size)).body());
    return Json.createObjectBuilder()
        .add("decision", "d")
        .add("checkpoint", note)
        .add("verifierKey", key.verifierKey())
        .add(
            "entries",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("seq", seq)
                        .add("canonical", new String(entry, StandardCharsets.UTF_8))
                        .add("treeSize", size)
                        .add("proof", proof)))
        .build()
        .toString();
  }

  private static LedgerEntry entry(long seq) {
    return new LedgerEntry(
        seq,
        "decision.submitted",
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq),
        "integrator",
        "http://x/id/decisions/" + seq,
        "http://x/id/bundles/" + seq,
        "sha256:" + "cd".repeat(32));
  }

  private Result check(String receiptJson, String verifierKey) throws Exception {
    Path file = dir.resolve("receipt-" + System.nanoTime() + ".json");
    Files.writeString(file, receiptJson);
    return independent(file, verifierKey);
  }

  /** Runs the independent verifier in its own JVM, with no class path. */
  static Result independent(Path receipt, String verifierKey) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java, "src/test/independent/VerifyReceipt.java", receipt.toString(), verifierKey)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  record Result(int status, String output) {}

  @Test
  void receiptsOfEverySizeAndPosition_verifyIndependently_andTamperingIsCaught() throws Exception {
    MerkleTree tree = new MerkleTree();
    for (long i = 0; i < 300; i++) {
      tree.append(entry(i).canonicalBytes());
    }
    NoteKey key = NoteKey.generate("arbiter.test/ledger", new SecureRandom());
    for (long[] c : new long[][] {{0, 1}, {0, 300}, {299, 300}, {137, 256}, {255, 257}, {5, 7}}) {
      Result ok = check(receipt(tree, key, c[0], c[1], false), key.verifierKey());
      assertEquals(0, ok.status(), ok.output());
      assertTrue(ok.output().contains("OK"), ok.output());
    }
    Result tampered = check(receipt(tree, key, 137, 256, true), key.verifierKey());
    assertEquals(1, tampered.status(), tampered.output());
    assertTrue(
        tampered.output().contains("FAILED: entry 137 is not in the checkpoint"),
        tampered.output());
    NoteKey other = NoteKey.generate("arbiter.test/ledger", new SecureRandom());
    Result wrongKey = check(receipt(tree, key, 5, 7, false), other.verifierKey());
    assertEquals(1, wrongKey.status(), wrongKey.output());
    assertTrue(wrongKey.output().contains("FAILED"), wrongKey.output());
  }
}
