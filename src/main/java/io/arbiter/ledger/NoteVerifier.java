package io.arbiter.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Checks C2SP signed notes against one trusted verifier key ({@code name+hash+base64(0x01 ||
 * key)}), in a fixed order: parse the key; split the note at its last blank line; require a
 * signature line by this key's name and hash; verify the Ed25519 signature over the text. Lines by
 * other keys are ignored, as the format allows (witness cosignatures).
 */
public final class NoteVerifier {

  private static final int MAX_NOTE = 1 << 20;

  private final String name;
  private final byte[] keyHash;
  private final byte[] publicKey;

  private NoteVerifier(String name, byte[] keyHash, byte[] publicKey) {
    this.name = name;
    this.keyHash = keyHash;
    this.publicKey = publicKey;
  }

  public static NoteVerifier parse(String verifierKey) throws NoteException {
    String[] parts = verifierKey.strip().split("\\+", 3);
    if (parts.length != 3) {
      throw new NoteException("a verifier key is name+hash+key");
    }
    byte[] hash;
    byte[] typed;
    try {
      hash = HexFormat.of().parseHex(parts[1]);
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("a verifier key holds hex and base64");
    }
    if (typed.length != 33 || typed[0] != NoteKey.ED25519) {
      throw new NoteException("only Ed25519 verifier keys are supported");
    }
    if (hash.length != 4 || !Arrays.equals(hash, NoteKey.keyHash(parts[0], typed))) {
      throw new NoteException("the key hash does not match the key");
    }
    return new NoteVerifier(parts[0], hash, Arrays.copyOfRange(typed, 1, 33));
  }

  public String name() {
    return name;
  }

  /** Returns the note's text if this key signed it. */
  public String verify(String note) throws NoteException {
    if (note.length() > MAX_NOTE) {
      throw new NoteException("the note is too large");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new NoteException("a note is text, a blank line, and signature lines");
    }
    String text = note.substring(0, split + 1);
    NoteKey.requireText(text);
    String prefix = "\u2014 " + name + " ";
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 ")) {
        throw new NoteException("malformed signature line");
      }
      if (!line.startsWith(prefix)) {
        continue;
      }
      byte[] signed;
      try {
        signed = Base64.getDecoder().decode(line.substring(prefix.length()));
      } catch (IllegalArgumentException e) {
        throw new NoteException("a signature is base64");
      }
      if (signed.length != 4 + 64 || !MessageDigest.isEqual(Arrays.copyOf(signed, 4), keyHash)) {
        continue;
      }
      if (NoteKey.verify(
          publicKey,
          text.getBytes(StandardCharsets.UTF_8),
          Arrays.copyOfRange(signed, 4, signed.length))) {
        return text;
      }
      throw new NoteException("the signature by " + name + " does not verify");
    }
    throw new NoteException("the note is not signed by " + name);
  }
}
