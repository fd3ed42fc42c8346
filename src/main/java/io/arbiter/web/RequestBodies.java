package io.arbiter.web;

import io.arbiter.event.CanonicalJson;
import io.arbiter.event.Jsonp;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

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

  /**
   * Digest of the body's canonical JSON ({@link CanonicalJson}): key order, whitespace and number
   * spelling do not change it. Call only on a body that parsed as JSON.
   */
  public static String canonicalDigest(byte[] json) {
    try (var reader = Jsonp.PROVIDER.createReader(new ByteArrayInputStream(json))) {
      return CanonicalJson.sha256(reader.readValue());
    } catch (RuntimeException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "The body is not valid JSON.");
    }
  }
}
