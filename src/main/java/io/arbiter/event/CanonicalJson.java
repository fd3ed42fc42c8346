package io.arbiter.event;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One canonical text per JSON value, and its SHA-256: object members sorted by key (UTF-16 code
 * units), no whitespace, strings escaped as RFC 8785 does. Numbers are exact decimals with trailing
 * zeros removed ({@code 12000}, {@code 12000.0} and {@code 1.2e4} are one number) — unlike RFC
 * 8785, which rounds through IEEE doubles, so that two requests whose numbers differ only past the
 * 17th digit are not taken for the same.
 *
 * <p>Like RFC 8785 (section 3.2.2.2), it refuses strings and member names that hold a UTF-16
 * surrogate without its partner ({@link UnpairedSurrogateException}): they have no UTF-8 form, so
 * no canonical bytes. (JSON parsers accept them from escapes such as <code>"&#92;ud800"</code>;
 * code taking JSON from outside checks it with {@link #requireWellFormed} first, to name the
 * field.)
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /**
   * {@code sha256:} and the hex digest of the canonical text.
   *
   * @throws UnpairedSurrogateException if a string or member name holds an unpaired surrogate
   */
  public static String sha256(JsonValue value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text(value).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * @throws UnpairedSurrogateException if a string or member name holds an unpaired surrogate
   */
  public static String text(JsonValue value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(JsonValue value, StringBuilder out) {
    switch (value.getValueType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (var member : new TreeMap<>((JsonObject) value).entrySet()) {
          out.append(first ? "" : ",");
          first = false;
          string(member.getKey(), true, out);
          out.append(':');
          try {
            write(member.getValue(), out);
          } catch (UnpairedSurrogateException e) {
            throw e.within(member.getKey());
          }
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        JsonArray array = (JsonArray) value;
        for (int i = 0; i < array.size(); i++) {
          out.append(i == 0 ? "" : ",");
          try {
            write(array.get(i), out);
          } catch (UnpairedSurrogateException e) {
            throw e.within(i);
          }
        }
        out.append(']');
      }
      case STRING -> string(((JsonString) value).getString(), false, out);
      case NUMBER -> out.append(number(((JsonNumber) value).bigDecimalValue()));
      case TRUE -> out.append("true");
      case FALSE -> out.append("false");
      case NULL -> out.append("null");
    }
  }

  private static String number(BigDecimal number) {
    return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
  }

  private static void string(String text, boolean memberName, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c)) {
            if (!pairedAt(text, i)) {
              throw new UnpairedSurrogateException(c, i, memberName);
            }
            out.append(c).append(text.charAt(++i));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Checks that every string and member name in {@code value} is Unicode text — what {@link #text}
   * and {@link #sha256} require — without writing the canonical text.
   *
   * @throws UnpairedSurrogateException naming one string at fault
   */
  public static void requireWellFormed(JsonValue value) {
    switch (value.getValueType()) {
      case OBJECT -> {
        for (var member : ((JsonObject) value).entrySet()) {
          requireWellFormed(member.getKey(), true);
          try {
            requireWellFormed(member.getValue());
          } catch (UnpairedSurrogateException e) {
            throw e.within(member.getKey());
          }
        }
      }
      case ARRAY -> {
        JsonArray array = (JsonArray) value;
        for (int i = 0; i < array.size(); i++) {
          try {
            requireWellFormed(array.get(i));
          } catch (UnpairedSurrogateException e) {
            throw e.within(i);
          }
        }
      }
      case STRING -> requireWellFormed(((JsonString) value).getString(), false);
      default -> {}
    }
  }

  /**
   * The index of the first UTF-16 surrogate in {@code text} that is not part of a high-low pair, if
   * any: such a string cannot be encoded as UTF-8 (Java's encoder silently writes {@code ?}).
   */
  public static OptionalInt unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        if (!pairedAt(text, i)) {
          return OptionalInt.of(i);
        }
        i++;
      }
    }
    return OptionalInt.empty();
  }

  private static void requireWellFormed(String text, boolean memberName) {
    OptionalInt at = unpairedSurrogate(text);
    if (at.isPresent()) {
      throw new UnpairedSurrogateException(text.charAt(at.getAsInt()), at.getAsInt(), memberName);
    }
  }

  /** Whether the surrogate at {@code i} is a high surrogate followed by a low one. */
  private static boolean pairedAt(String text, int i) {
    return Character.isHighSurrogate(text.charAt(i))
        && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1));
  }
}
