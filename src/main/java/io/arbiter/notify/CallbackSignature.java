package io.arbiter.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Arbiter-Signature} header of a callback: {@code t=<unix seconds>,v1=<hex>}, where the
 * hex is HMAC-SHA256 under the registration's secret of {@code "<t>.<body>"}. Binding the time lets
 * receivers refuse replays of old deliveries.
 */
public final class CallbackSignature {
  private CallbackSignature() {}

  public static final String HEADER = "Arbiter-Signature";

  public static String header(String secret, long unixSeconds, String body) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + body);
  }

  /** Checks a header as a receiver would (constant-time comparison). */
  public static boolean verify(String secret, String header, String body) {
    long time = -1;
    String signature = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          time = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        signature = part.substring(3);
      }
    }
    if (time < 0 || signature == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hmac(secret, time + "." + body).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private static String hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(secret), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
