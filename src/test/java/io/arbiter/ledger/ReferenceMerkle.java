package io.arbiter.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9162 definitions written out literally over a list of leaf hashes: slow (it rehashes
 * everything every time) and obviously right, to check {@link MerkleTree} and {@link MerkleProofs}
 * against.
 */
final class ReferenceMerkle {

  private ReferenceMerkle() {}

  /** MTH(D[n]). */
  static byte[] root(List<byte[]> leaves) {
    int n = leaves.size();
    if (n == 0) {
      return MerkleHashes.empty();
    }
    if (n == 1) {
      return leaves.get(0);
    }
    int k = largestPowerOfTwoBelow(n);
    return MerkleHashes.node(root(leaves.subList(0, k)), root(leaves.subList(k, n)));
  }

  /** PATH(m, D[n]). */
  static List<byte[]> path(int m, List<byte[]> leaves) {
    int n = leaves.size();
    List<byte[]> proof = new ArrayList<>();
    if (n <= 1) {
      return proof;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      proof.addAll(path(m, leaves.subList(0, k)));
      proof.add(root(leaves.subList(k, n)));
    } else {
      proof.addAll(path(m - k, leaves.subList(k, n)));
      proof.add(root(leaves.subList(0, k)));
    }
    return proof;
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m < n. */
  static List<byte[]> consistency(int m, List<byte[]> leaves) {
    return subproof(m, leaves, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
    int n = leaves.size();
    List<byte[]> proof = new ArrayList<>();
    if (m == n) {
      if (!b) {
        proof.add(root(leaves));
      }
      return proof;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      proof.addAll(subproof(m, leaves.subList(0, k), b));
      proof.add(root(leaves.subList(k, n)));
    } else {
      proof.addAll(subproof(m - k, leaves.subList(k, n), false));
      proof.add(root(leaves.subList(0, k)));
    }
    return proof;
  }

  private static int largestPowerOfTwoBelow(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }
}
