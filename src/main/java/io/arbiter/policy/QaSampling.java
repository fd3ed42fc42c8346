package io.arbiter.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which automated decisions go to post-hoc QA review. The choice is a hash of the decision id, not
 * a random draw, so that replaying a decision makes the same choice, and over many decisions the
 * sampled share approaches the policy's rate.
 */
public final class QaSampling {

  private QaSampling() {}

  /** Whether the decision falls in the sampled share {@code rate} (0 to 1). */
  public static boolean sampled(double rate, String decisionId) {
    if (rate <= 0) {
      return false;
    }
    if (rate >= 1) {
      return true;
    }
    return position(decisionId) < rate;
  }

  /** The decision's place in [0, 1): the first 53 bits of SHA-256 over a domain tag and the id. */
  static double position(String decisionId) {
    byte[] hash = sha256(("arbiter qa-sampling\n" + decisionId).getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
