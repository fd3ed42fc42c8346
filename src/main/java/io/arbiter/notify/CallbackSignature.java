package io.arbiter.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Callback signatures as the Standard Webhooks specification (standardwebhooks.com) defines them,
 * so that receivers can use its libraries in any language: three headers, {@code webhook-id} (one
 * message, the same on every retry, for deduplication), {@code webhook-timestamp} (unix seconds of
 * this attempt) and {@code webhook-signature}: {@code v1,} and the base64 HMAC-SHA256 of {@code
 * "<id>.<timestamp>.<body>"} under the secret. The secret is {@code whsec_} and the base64 of its
 * key bytes.
 */
public final class CallbackSignature {
  private CallbackSignature() {}

  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  /** How far a delivery's timestamp may be from the receiver's clock: the spec's default. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String SECRET_PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new secret of 32 random bytes, as {@code whsec_<base64>}. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} value: {@code v1,<base64>}. */
  public static String sign(String secret, String messageId, long unixSeconds, String body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(secret, messageId, unixSeconds, body));
  }

  /**
   * Checks a delivery as a receiver does: the timestamp within {@link #TOLERANCE} of {@code now},
   * and any of the space-separated {@code v1,} signatures right (in constant time).
   */
  public static boolean verify(
      String secret,
      String messageId,
      String timestamp,
      String signatures,
      String body,
      Instant now) {
    if (messageId == null || timestamp == null || signatures == null) {
      return false;
    }
    long unixSeconds;
    try {
      unixSeconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - unixSeconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected = mac(secret, messageId, unixSeconds, body);
    for (String candidate : signatures.split(" ")) {
      if (candidate.startsWith("v1,")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(candidate.substring(3));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The key bytes of a secret: {@code whsec_<base64>}, or the bare base64url of registrations made
   * before signatures followed the specification (their key bytes are unchanged).
   */
  static byte[] key(String secret) {
    return secret.startsWith(SECRET_PREFIX)
        ? Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()))
        : Base64.getUrlDecoder().decode(secret);
  }

  private static byte[] mac(String secret, String messageId, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      return mac.doFinal(
          (messageId + "." + unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
