package io.arbiter.ledger;

import io.arbiter.ledger.ProofException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree that keeps every complete subtree hash, so roots and proofs
 * for any earlier size come from stored hashes in O(log n) hashing. Level {@code k} holds the
 * hashes of the aligned subtrees of {@code 2^k} leaves — the same hashes C2SP tlog-tiles store.
 *
 * <p>Memory is about 64 bytes per leaf. Thread-safe: one writer appends while readers ask for roots
 * and proofs (all methods synchronise on the tree; each call is short).
 */
public final class MerkleTree {

  /** Hashes of one level, packed in one growing array. */
  private static final class Level {
    private byte[] hashes = new byte[MerkleHashes.SIZE * 64];
    private long count;

    void add(byte[] hash) {
      int at = Math.toIntExact(count * MerkleHashes.SIZE);
      if (at + MerkleHashes.SIZE > hashes.length) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
      System.arraycopy(hash, 0, hashes, at, MerkleHashes.SIZE);
      count++;
    }

    byte[] get(long index) {
      int at = Math.toIntExact(index * MerkleHashes.SIZE);
      return Arrays.copyOfRange(hashes, at, at + MerkleHashes.SIZE);
    }
  }

  private final List<Level> levels = new ArrayList<>();

  public MerkleTree() {
    levels.add(new Level());
  }

  /** Number of leaves. */
  public synchronized long size() {
    return levels.get(0).count;
  }

  /** Appends a leaf by its entry bytes; returns its index. */
  public synchronized long append(byte[] entry) {
    return appendLeafHash(MerkleHashes.leaf(entry));
  }

  /** Appends a leaf by its already computed leaf hash; returns its index. */
  public synchronized long appendLeafHash(byte[] leafHash) {
    requireHash(leafHash);
    long index = size();
    byte[] hash = leafHash;
    levels.get(0).add(hash);
    // Each completed pair of subtrees completes one subtree on the level above.
    for (int level = 0; levels.get(level).count % 2 == 0; level++) {
      Level below = levels.get(level);
      hash = MerkleHashes.node(below.get(below.count - 2), hash);
      if (levels.size() == level + 1) {
        levels.add(new Level());
      }
      levels.get(level + 1).add(hash);
    }
    return index;
  }

  /** The leaf hash at {@code index}. Requires {@code 0 <= index < size()}. */
  public synchronized byte[] leafHash(long index) throws ProofException {
    if (index < 0 || index >= size()) {
      throw new ProofException(
          Kind.INDEX_BEYOND_SIZE, "leaf " + index + " is beyond size " + size());
    }
    return levels.get(0).get(index);
  }

  /**
   * The hash of the complete subtree at {@code level} (of {@code 2^level} leaves) and position
   * {@code index}: what a tlog tile stores. Requires that subtree to be complete.
   */
  public synchronized byte[] levelHash(int level, long index) throws ProofException {
    if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).count) {
      throw new ProofException(
          Kind.INDEX_BEYOND_SIZE, "no complete subtree " + index + " at level " + level);
    }
    return levels.get(level).get(index);
  }

  /**
   * The root of the tree as it was at {@code size} leaves. Requires {@code 0 <= size <= size()}.
   */
  public synchronized byte[] root(long size) throws ProofException {
    requireSize(size);
    return size == 0 ? MerkleHashes.empty() : hash(0, size);
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of {@code size} leaves (RFC 9162
   * 2.1.3.1). Requires {@code 0 <= index < size <= size()}.
   */
  public synchronized List<byte[]> inclusionProof(long index, long size) throws ProofException {
    requireSize(size);
    if (index < 0 || index >= size) {
      throw new ProofException(Kind.INDEX_BEYOND_SIZE, "leaf " + index + " is beyond size " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, proof);
    return proof;
  }

  /**
   * The consistency proof between the trees of {@code from} and {@code to} leaves (RFC 9162
   * 2.1.4.1); empty when {@code from} is 0 or equals {@code to}. Requires {@code 0 <= from <= to <=
   * size()}.
   */
  public synchronized List<byte[]> consistencyProof(long from, long to) throws ProofException {
    requireSize(to);
    if (from < 0 || from > to) {
      throw new ProofException(
          Kind.SIZES_OUT_OF_ORDER, "cannot prove size " + from + " against " + to);
    }
    List<byte[]> proof = new ArrayList<>();
    if (from > 0 && from < to) {
      subproof(from, 0, to, true, proof);
    }
    return proof;
  }

  // PATH(m, D[start:end]): the deeper hashes come first.
  private void path(long m, long start, long end, List<byte[]> proof) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, start, start + k, proof);
      proof.add(hash(start + k, end));
    } else {
      path(m - k, start + k, end, proof);
      proof.add(hash(start, start + k));
    }
  }

  // SUBPROOF(m, D[start:end], b)
  private void subproof(long m, long start, long end, boolean complete, List<byte[]> proof) {
    long n = end - start;
    if (m == n) {
      if (!complete) {
        proof.add(hash(start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, start, start + k, complete, proof);
      proof.add(hash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, proof);
      proof.add(hash(start, start + k));
    }
  }

  /**
   * MTH(D[start:end]) for 0 <= start < end <= size(), where {@code start} is a multiple of the
   * largest power of two not above {@code end - start} (true of every range the RFC's recursion
   * asks for).
   */
  private byte[] hash(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get(start >>> level);
    }
    long k = largestPowerOfTwoBelow(n);
    return MerkleHashes.node(hash(start, start + k), hash(start + k, end));
  }

  /** The largest power of two strictly less than {@code n}; requires {@code n > 1}. */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private void requireSize(long size) throws ProofException {
    if (size < 0 || size > size()) {
      throw new ProofException(
          Kind.INDEX_BEYOND_SIZE, "size " + size + " is beyond the tree's " + size());
    }
  }

  private static void requireHash(byte[] hash) {
    if (hash.length != MerkleHashes.SIZE) {
      throw new IllegalArgumentException(
          "a leaf hash has " + MerkleHashes.SIZE + " bytes, not " + hash.length);
    }
  }
}
