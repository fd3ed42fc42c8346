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
import java.util.TreeMap;

/**
 * One canonical text per JSON value, and its SHA-256: object members sorted by key (UTF-16 code
 * units), no whitespace, strings escaped as RFC 8785 does. Numbers are exact decimals with trailing
 * zeros removed ({@code 12000}, {@code 12000.0} and {@code 1.2e4} are one number) — unlike RFC
 * 8785, which rounds through IEEE doubles, so that two requests whose numbers differ only past the
 * 17th digit are not taken for the same.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /** {@code sha256:} and the hex digest of the canonical text. */
  public static String sha256(JsonValue value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text(value).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

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
          string(member.getKey(), out);
          out.append(':');
          write(member.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonValue item : (JsonArray) value) {
          out.append(first ? "" : ",");
          first = false;
          write(item, out);
        }
        out.append(']');
      }
      case STRING -> string(((JsonString) value).getString(), out);
      case NUMBER -> out.append(number(((JsonNumber) value).bigDecimalValue()));
      case TRUE -> out.append("true");
      case FALSE -> out.append("false");
      case NULL -> out.append("null");
    }
  }

  private static String number(BigDecimal number) {
    return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
  }

  private static void string(String text, StringBuilder out) {
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
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
