package io.arbiter.web;

import io.arbiter.event.CanonicalJson;
import io.arbiter.event.Jsonp;
import io.arbiter.event.UnpairedSurrogateException;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

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
   *
   * @throws ProblemException {@code invalid-request} naming the field if a string is not Unicode
   *     text (an unpaired surrogate), which has no canonical form
   */
  public static String canonicalDigest(byte[] json) {
    try (var reader = Jsonp.PROVIDER.createReader(new ByteArrayInputStream(json))) {
      return CanonicalJson.sha256(reader.readValue());
    } catch (UnpairedSurrogateException e) {
      throw notUnicode(e);
    } catch (RuntimeException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "The body is not valid JSON.");
    }
  }

  /**
   * {@code value}, once every string and member name in it is known to be Unicode text; else an
   * {@code invalid-request} naming the field. Without this, an escaped lone surrogate (<code>
   * "&#92;ud800"</code> in the body) passes the parser and fails later, where no field can be
   * named.
   */
  private static <T extends JsonValue> T wellFormed(T value) {
    try {
      CanonicalJson.requireWellFormed(value);
      return value;
    } catch (UnpairedSurrogateException e) {
      throw notUnicode(e);
    }
  }

  private static ProblemException notUnicode(UnpairedSurrogateException e) {
    return new ProblemException(
        ProblemType.INVALID_REQUEST,
        "A string in the body is not valid Unicode.",
        List.of(new FieldError(e.field(), e.problem())));
  }

  /**
   * A JSON object body, read strictly (a key given twice is refused).
   *
   * @param expected what the object holds, for the message when the body is something else
   */
  public static JsonObject object(byte[] bytes, String expected) {
    JsonValue value;
    try (var reader = Jsonp.STRICT_READERS.createReader(new ByteArrayInputStream(bytes))) {
      value = reader.readValue();
    } catch (RuntimeException e) {
      throw new ProblemException(
          ProblemType.MALFORMED_JSON, "The body is not valid JSON (or gives a key twice).");
    }
    if (!(value instanceof JsonObject object)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The body must be a JSON object.",
          List.of(new FieldError("", "must be an object with " + expected)));
    }
    return wellFormed(object);
  }

  /**
   * An optional JSON object body holding only the named fields: empty or blank bytes give an empty
   * object; anything else that is not such an object is refused, naming the field at fault.
   */
  public static JsonObject optionalObject(byte[] bytes, Set<String> fields) {
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    JsonValue value;
    try (var reader = Jsonp.STRICT_READERS.createReader(new ByteArrayInputStream(bytes))) {
      value = reader.readValue();
    } catch (RuntimeException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON, "The body is not valid JSON.");
    }
    if (!(value instanceof JsonObject object)) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "The body must be a JSON object.",
          List.of(new FieldError("/", "must be an object with the optional fields " + fields)));
    }
    wellFormed(object);
    for (String key : object.keySet()) {
      if (!fields.contains(key)) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST,
            "The body has an unknown field.",
            List.of(new FieldError(key, "unknown field")));
      }
    }
    return object;
  }
}
