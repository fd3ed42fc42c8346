package io.arbiter.ledger;

import io.arbiter.event.CanonicalJson;
import io.arbiter.event.Jsonp;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One leaf of the ledger: what happened, to what, and the digest of the bundle that records it. Its
 * bytes — the leaf hash's input — are RFC 8785 canonical JSON: {@code {"actor", "bundle",
 * "bundleDigest", "seq", "subject", "time", "type"}} with keys sorted and no whitespace. ({@link
 * CanonicalJson} writes exactly RFC 8785 for these members: strings, and an integer well below
 * 2^53.) Every string member must be Unicode text: one holding an unpaired UTF-16 surrogate has no
 * UTF-8 form, so the constructor refuses it rather than let the leaf hash cover bytes that no
 * longer say what the entry said.
 *
 * @param seq the leaf index, equal to the event's sequence number
 * @param bundleDigest {@code sha256:} + hex over the RDFC-1.0 canonical N-Quads of the bundle
 */
public record LedgerEntry(
    long seq,
    String type,
    Instant time,
    String actor,
    String subject,
    String bundle,
    String bundleDigest) {

  private static final Set<String> MEMBERS =
      Set.of("seq", "type", "time", "actor", "subject", "bundle", "bundleDigest");

  public LedgerEntry {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative");
    }
    requireText(type, "type");
    Objects.requireNonNull(time, "time");
    requireText(actor, "actor");
    requireText(subject, "subject");
    requireText(bundle, "bundle");
    requireText(bundleDigest, "bundleDigest");
  }

  private static void requireText(String value, String member) {
    Objects.requireNonNull(value, member);
    OptionalInt at = CanonicalJson.unpairedSurrogate(value);
    if (at.isPresent()) {
      throw new IllegalArgumentException(
          member + " holds an unpaired UTF-16 surrogate at index " + at.getAsInt());
    }
  }

  /** The canonical bytes that are hashed into the tree. */
  public byte[] canonicalBytes() {
    JsonObject json =
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("seq", seq)
            .add("type", type)
            .add("time", time.toString())
            .add("actor", actor)
            .add("subject", subject)
            .add("bundle", bundle)
            .add("bundleDigest", bundleDigest)
            .build();
    return CanonicalJson.text(json).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The canonical bytes of an entry whose {@code seq} is not known yet: everything else is encoded
   * once, off the journal's sequencer, which then only writes the number in ({@link #bytes}).
   */
  public record Template(byte[] head, byte[] tail) {

    /** Exactly {@code new LedgerEntry(seq, ...).canonicalBytes()}. */
    public byte[] bytes(long seq) {
      if (seq < 0) {
        throw new IllegalArgumentException("seq must not be negative");
      }
      byte[] number = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
      byte[] bytes = new byte[head.length + number.length + tail.length];
      System.arraycopy(head, 0, bytes, 0, head.length);
      System.arraycopy(number, 0, bytes, head.length, number.length);
      System.arraycopy(tail, 0, bytes, head.length + number.length, tail.length);
      return bytes;
    }
  }

  /** The template of this entry's bytes, whatever its {@code seq}. */
  public static Template template(
      String type, Instant time, String actor, String subject, String bundle, String bundleDigest) {
    byte[] bytes =
        new LedgerEntry(0, type, time, actor, subject, bundle, bundleDigest).canonicalBytes();
    // Keys are sorted, so "seq" follows "bundleDigest" and precedes "subject". A quote inside a
    // string value is always escaped, so this unescaped run can only be the member itself.
    byte[] marker = ",\"seq\":0,\"".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, marker);
    if (at < 0) {
      throw new IllegalStateException(
          "no seq member in " + new String(bytes, StandardCharsets.UTF_8));
    }
    int number = at + marker.length - 3; // the 0
    return new Template(
        Arrays.copyOfRange(bytes, 0, number), Arrays.copyOfRange(bytes, number + 1, bytes.length));
  }

  private static int indexOf(byte[] bytes, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= bytes.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (bytes[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public byte[] leafHash() {
    return MerkleHashes.leaf(canonicalBytes());
  }

  /**
   * Reads stored entry bytes. Rejects anything that is not exactly the canonical form of an entry,
   * so an edited entry cannot pass as a differently spelled equal one.
   *
   * @throws IllegalArgumentException when the bytes are not a canonical entry
   */
  public static LedgerEntry parse(byte[] bytes) {
    JsonObject json;
    try (var reader = Jsonp.PROVIDER.createReader(new ByteArrayInputStream(bytes))) {
      json = reader.readObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object", e);
    }
    if (!json.keySet().equals(MEMBERS)) {
      throw new IllegalArgumentException("members must be exactly " + MEMBERS);
    }
    LedgerEntry entry;
    try {
      entry =
          new LedgerEntry(
              json.getJsonNumber("seq").longValueExact(),
              json.getString("type"),
              Instant.parse(json.getString("time")),
              json.getString("actor"),
              json.getString("subject"),
              json.getString("bundle"),
              json.getString("bundleDigest"));
    } catch (IllegalArgumentException e) {
      throw e; // the constructor's own refusal, which names the member
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a member has the wrong type", e);
    }
    if (!Arrays.equals(entry.canonicalBytes(), bytes)) {
      throw new IllegalArgumentException("not in canonical form");
    }
    return entry;
  }
}
