package io.arbiter.ledger;

/** A proof request or a proof that cannot be accepted, with the reason as a {@link Kind}. */
public final class ProofException extends Exception {

  /** Why: typed, so callers and test vectors can tell failures apart without parsing messages. */
  public enum Kind {
    /** Asked about a leaf at or beyond the tree size. */
    INDEX_BEYOND_SIZE,
    /** Asked for a consistency proof from a larger tree to a smaller one, or from size 0. */
    SIZES_OUT_OF_ORDER,
    /** The proof has more or fewer hashes than the sizes require. */
    WRONG_PROOF_SIZE,
    /** A hash in the proof or a root is not 32 bytes. */
    WRONG_HASH_SIZE,
    /** The proof does not lead to the given root. */
    ROOT_MISMATCH
  }

  private final Kind kind;

  public ProofException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
