package io.arbiter.review;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secret key for drawing blind tasks' rule aliases ({@link RuleAliases}): what makes
 * the draw unpredictable to a reviewer who knows a task's id and its version's rule ids. Kept in
 * the data directory beside the ledger key ({@code keys/review-aliases.key}); losing it renumbers
 * the aliases of open blind tasks, nothing else (records hold the real rules).
 */
public final class AliasSecret {

  /** Bytes of a secret: HMAC-SHA256's block-sized key is more than it needs. */
  public static final int LENGTH = 32;

  private final SecretKeySpec key;

  public AliasSecret(byte[] secret) {
    if (secret.length < LENGTH) {
      throw new IllegalArgumentException(
          "a rule-alias secret has at least " + LENGTH + " bytes, not " + secret.length);
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** A new random secret. */
  public static byte[] generate() {
    byte[] secret = new byte[LENGTH];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /** HMAC-SHA256 of {@code text} under the secret. */
  byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }
}
