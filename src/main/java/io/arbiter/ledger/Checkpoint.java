package io.arbiter.ledger;

import java.util.Base64;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint body: the log's origin, the tree size and the root hash, one per line.
 * Signed as a note by {@link NoteKey}; read back with {@link #parse} after {@link NoteVerifier}.
 */
public record Checkpoint(String origin, long size, byte[] root) {

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("an origin is one non-empty line");
    }
    if (size < 0 || root.length != MerkleHashes.SIZE) {
      throw new IllegalArgumentException("a checkpoint has a size and a 32-byte root");
    }
  }

  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** Parses a verified note text; extension lines after the root are allowed and ignored. */
  public static Checkpoint parse(String text) throws NoteException {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4) {
      throw new NoteException("a checkpoint has an origin, a size and a root");
    }
    try {
      long size = Long.parseLong(lines[1]);
      if (!lines[1].equals(Long.toString(size))) {
        throw new NoteException("the size is not in canonical decimal");
      }
      return new Checkpoint(lines[0], size, Base64.getDecoder().decode(lines[2]));
    } catch (IllegalArgumentException e) {
      throw new NoteException("a checkpoint's size is decimal and its root base64 of 32 bytes");
    }
  }
}
