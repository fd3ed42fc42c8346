package io.arbiter.ledger.api;

import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** JSON views of the ledger. Hashes are standard base64, as in checkpoints. */
public final class LedgerViews {
  private LedgerViews() {}

  /** Hashes and proofs go over the wire as standard base64, as in checkpoints. */
  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static List<String> base64(List<byte[]> hashes) {
    return hashes.stream().map(LedgerViews::base64).toList();
  }

  /** The public key that signs checkpoints. */
  @Schema(name = "LedgerKey")
  public record Key(
      @Schema(description = "The log's origin: the first line of every checkpoint") String origin,
      @Schema(description = "C2SP signed-note verifier key: name+keyhash+base64(0x01||Ed25519 key)")
          String verifierKey) {}

  /** One ledger entry. */
  @Schema(name = "LedgerEntry")
  public record Entry(
      long seq,
      @Schema(description = "The entry's exact bytes: RFC 8785 JSON; the leaf hash's input")
          String canonical,
      @Schema(description = "SHA-256(0x00 || canonical), base64") String leafHash) {}

  /** An inclusion proof of one entry in a tree size. */
  @Schema(name = "InclusionProof")
  public record Inclusion(
      long seq, long treeSize, String leafHash, String root, List<String> proof) {}

  /** A consistency proof between two tree sizes. */
  @Schema(name = "ConsistencyProof")
  public record Consistency(
      long from, long to, String oldRoot, String newRoot, List<String> proof) {}
}
