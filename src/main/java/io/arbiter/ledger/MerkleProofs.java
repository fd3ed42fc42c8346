package io.arbiter.ledger;

import io.arbiter.ledger.ProofException.Kind;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2), written
 * apart from {@link MerkleTree} so each checks the other. Inputs are untrusted: sizes, hash lengths
 * and proof lengths are checked before any hashing.
 */
public final class MerkleProofs {

  private MerkleProofs() {}

  /**
   * Checks that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code size}
   * leaves whose root is {@code root}. Requires {@code 0 <= index < size}.
   *
   * @throws ProofException INDEX_BEYOND_SIZE, WRONG_HASH_SIZE, WRONG_PROOF_SIZE or ROOT_MISMATCH
   */
  public static void verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root)
      throws ProofException {
    if (index < 0 || index >= size) {
      throw new ProofException(Kind.INDEX_BEYOND_SIZE, "leaf " + index + " is beyond size " + size);
    }
    requireHashes(leafHash, root, proof);
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException(
            Kind.WRONG_PROOF_SIZE, "proof is longer than size " + size + " allows");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashes.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleHashes.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          Kind.WRONG_PROOF_SIZE, "proof is shorter than size " + size + " needs");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new ProofException(Kind.ROOT_MISMATCH, "the proof leads to another root");
    }
  }

  /**
   * Checks that the tree of {@code to} leaves with root {@code newRoot} extends the tree of {@code
   * from} leaves with root {@code oldRoot}. Requires {@code 0 <= from <= to}.
   *
   * @throws ProofException SIZES_OUT_OF_ORDER, WRONG_HASH_SIZE, WRONG_PROOF_SIZE or ROOT_MISMATCH
   */
  public static void verifyConsistency(
      long from, long to, byte[] oldRoot, byte[] newRoot, List<byte[]> proof)
      throws ProofException {
    if (from < 0 || from > to) {
      throw new ProofException(
          Kind.SIZES_OUT_OF_ORDER, "cannot prove size " + from + " against " + to);
    }
    requireHashes(oldRoot, newRoot, proof);
    if (from == 0 || from == to) {
      if (!proof.isEmpty()) {
        throw new ProofException(
            Kind.WRONG_PROOF_SIZE, "a proof from size " + from + " to " + to + " is empty");
      }
      if (from == to && !MessageDigest.isEqual(oldRoot, newRoot)) {
        throw new ProofException(Kind.ROOT_MISMATCH, "equal sizes with different roots");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException(Kind.WRONG_PROOF_SIZE, "the proof is empty");
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(from) == 1) {
      path.add(oldRoot);
    }
    path.addAll(proof);
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new ProofException(Kind.WRONG_PROOF_SIZE, "proof is longer than the sizes allow");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashes.node(c, fr);
        sr = MerkleHashes.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHashes.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(Kind.WRONG_PROOF_SIZE, "proof is shorter than the sizes need");
    }
    if (!MessageDigest.isEqual(fr, oldRoot)) {
      throw new ProofException(Kind.ROOT_MISMATCH, "the proof does not lead to the old root");
    }
    if (!MessageDigest.isEqual(sr, newRoot)) {
      throw new ProofException(Kind.ROOT_MISMATCH, "the proof does not lead to the new root");
    }
  }

  private static void requireHashes(byte[] a, byte[] b, List<byte[]> proof) throws ProofException {
    if (a == null || b == null || a.length != MerkleHashes.SIZE || b.length != MerkleHashes.SIZE) {
      throw new ProofException(Kind.WRONG_HASH_SIZE, "hashes have " + MerkleHashes.SIZE + " bytes");
    }
    for (byte[] hash : proof) {
      if (hash == null || hash.length != MerkleHashes.SIZE) {
        throw new ProofException(
            Kind.WRONG_HASH_SIZE, "proof hashes have " + MerkleHashes.SIZE + " bytes");
      }
    }
  }
}
