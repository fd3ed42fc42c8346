package io.arbiter.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing with SHA-256: a leaf is {@code
 * SHA-256(0x00 || entry)}, an interior node {@code SHA-256(0x01 || left || right)}, and the empty
 * tree {@code SHA-256()}. The domain-separation prefixes stop a leaf being passed off as a node.
 */
public final class MerkleHashes {

  /** Size of every hash, in bytes. */
  public static final int SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleHashes() {}

  public static byte[] leaf(byte[] entry) {
    MessageDigest sha = sha256();
    sha.update(LEAF_PREFIX);
    sha.update(entry);
    return sha.digest();
  }

  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update(NODE_PREFIX);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The root of the tree with no leaves. */
  public static byte[] empty() {
    return sha256().digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
