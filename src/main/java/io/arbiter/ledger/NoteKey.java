package io.arbiter.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 key for C2SP signed notes (the format of Go's {@code golang.org/x/mod/sumdb/note}):
 * the key hash is the first four bytes of {@code SHA-256(name || "\n" || 0x01 || publicKey)}; the
 * verifier key is {@code name+hash+base64(0x01 || publicKey)}; a signature line is {@code — name
 * base64(hash || signature)}. Signing uses BouncyCastle.
 */
public final class NoteKey {

  static final byte ED25519 = 0x01;
  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private final String name;
  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private NoteKey(String name, Ed25519PrivateKeyParameters privateKey) {
    requireName(name);
    this.name = name;
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  public static NoteKey generate(String name, SecureRandom random) {
    return new NoteKey(name, new Ed25519PrivateKeyParameters(random));
  }

  /**
   * Reads a key written by {@link #encodePrivate}: {@code PRIVATE+KEY+name+hash+base64(0x01 ||
   * seed)}.
   */
  public static NoteKey parsePrivate(String text) throws NoteException {
    String trimmed = text.strip();
    if (!trimmed.startsWith(PRIVATE_PREFIX)) {
      throw new NoteException("not a signed-note private key");
    }
    String[] parts = trimmed.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) {
      throw new NoteException("a private key has a name, a key hash and a key");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteException("the key is not base64");
    }
    if (key.length != 33 || key[0] != ED25519) {
      throw new NoteException("only Ed25519 keys are supported");
    }
    NoteKey parsed = new NoteKey(parts[0], new Ed25519PrivateKeyParameters(key, 1));
    if (!HexFormat.of().formatHex(parsed.keyHash()).equals(parts[1])) {
      throw new NoteException("the key hash does not match the key");
    }
    return parsed;
  }

  public String encodePrivate() {
    byte[] key = new byte[33];
    key[0] = ED25519;
    System.arraycopy(privateKey.getEncoded(), 0, key, 1, 32);
    return PRIVATE_PREFIX
        + name
        + "+"
        + HexFormat.of().formatHex(keyHash())
        + "+"
        + Base64.getEncoder().encodeToString(key);
  }

  public String name() {
    return name;
  }

  /** The public verifier key, {@code name+hash+base64(0x01 || publicKey)}, that clients trust. */
  public String verifierKey() {
    return name
        + "+"
        + HexFormat.of().formatHex(keyHash())
        + "+"
        + Base64.getEncoder().encodeToString(typedPublicKey());
  }

  public byte[] keyHash() {
    return keyHash(name, typedPublicKey());
  }

  /**
   * Signs {@code text} (non-empty, ending in a newline) and returns the note: the text, a blank
   * line, and this key's signature line.
   */
  public String sign(String text) throws NoteException {
    requireText(text);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    signer.update(message, 0, message.length);
    byte[] signature = signer.generateSignature();
    byte[] line = new byte[4 + signature.length];
    System.arraycopy(keyHash(), 0, line, 0, 4);
    System.arraycopy(signature, 0, line, 4, signature.length);
    return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(line) + "\n";
  }

  /** Whether {@code signature} is this public key's Ed25519 signature of {@code message}. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  private byte[] typedPublicKey() {
    byte[] key = new byte[33];
    key[0] = ED25519;
    System.arraycopy(publicKey, 0, key, 1, 32);
    return key;
  }

  static byte[] keyHash(String name, byte[] typedKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(typedKey);
      return Arrays.copyOf(sha.digest(), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static void requireName(String name) {
    if (name.isEmpty()
        || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '+' || c < 0x20)) {
      throw new IllegalArgumentException("a key name is non-empty, without spaces or '+': " + name);
    }
  }

  static void requireText(String text) throws NoteException {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new NoteException("note text must be non-empty and end with a newline");
    }
    if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new NoteException("note text must not hold control characters");
    }
  }
}
