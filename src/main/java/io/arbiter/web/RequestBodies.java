package io.arbiter.web;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/** Reading request bodies safely: bounded in size, and digested for idempotency checks. */
public final class RequestBodies {

  private RequestBodies() {}

  /**
   * Reads at most {@code limit} bytes; a longer body is refused without reading the rest, whatever
   * Content-Length claims (chunked bodies have none).
   */
  public static byte[] read(InputStream body, int limit) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
      byte[] buffer = new byte[8192];
      int total = 0;
      for (int n; (n = body.read(buffer)) != -1; ) {
        total += n;
        if (total > limit) {
          throw new ProblemException(
              ProblemType.PAYLOAD_TOO_LARGE, "The body exceeds the limit of " + limit + " bytes.");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "The request body could not be read.");
    }
  }

  /** SHA-256 of the RFC 8785 canonical form: key order and whitespace do not change it. */
  public static String canonicalDigest(byte[] json) {
    try {
      byte[] canonical =
          new JsonCanonicalizer(new String(json, StandardCharsets.UTF_8)).getEncodedUTF8();
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "The body is not valid JSON.");
    }
  }
}
