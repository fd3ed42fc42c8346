package io.arbiter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSON test vectors (src/test/resources/ledger): proofs over the eight RFC 6962 test leaves, with a
 * {@code desc} and the failure each must give ({@code wantErr}, null when it must verify). The
 * valid vectors' roots are the published Certificate Transparency roots (see {@link
 * MerkleTreeTest#CT_ROOTS}), so they do not merely repeat what our code computes.
 */
class MerkleVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  static Stream<JsonObject> inclusion() {
    return vectors("ledger/inclusion.json");
  }

  static Stream<JsonObject> consistency() {
    return vectors("ledger/consistency.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionVector(JsonObject v) {
    if (v.isNull("wantErr")) {
      assertTrue(MerkleTreeTest.CT_ROOTS.contains(v.getString("root")), "a published root");
    }
    check(
        v,
        () ->
            MerkleProofs.verifyInclusion(
                hex(v, "leafHash"),
                v.getJsonNumber("index").longValue(),
                v.getJsonNumber("size").longValue(),
                proof(v),
                hex(v, "root")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyVector(JsonObject v) {
    check(
        v,
        () ->
            MerkleProofs.verifyConsistency(
                v.getJsonNumber("from").longValue(),
                v.getJsonNumber("to").longValue(),
                hex(v, "oldRoot"),
                hex(v, "newRoot"),
                proof(v)));
  }

  private interface Verification {
    void run() throws ProofException;
  }

  private static void check(JsonObject v, Verification verification) {
    String desc = v.getString("desc");
    String wantErr = v.isNull("wantErr") ? null : v.getString("wantErr");
    try {
      verification.run();
      assertEquals(null, wantErr, desc + ": verified, but should fail");
    } catch (ProofException e) {
      assertEquals(wantErr, e.kind().name(), desc + ": " + e.getMessage());
    }
  }

  private static byte[] hex(JsonObject v, String field) {
    return HEX.parseHex(v.getString(field));
  }

  private static List<byte[]> proof(JsonObject v) {
    return v.getJsonArray("proof").stream()
        .map(h -> HEX.parseHex(((JsonString) h).getString()))
        .toList();
  }

  private static Stream<JsonObject> vectors(String resource) {
    try (InputStream in = MerkleVectorsTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      try (var reader = Json.createReader(in)) {
        return reader.readArray().stream().map(JsonObject.class::cast).toList().stream();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
