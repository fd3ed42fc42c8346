package io.arbiter.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/** The type a policy declares for an input; fixes both the CEL type and what a request may send. */
public enum InputType {
  NUMBER,
  INTEGER,
  STRING,
  BOOLEAN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<InputType> fromWireName(String name) {
    for (InputType type : values()) {
      if (type.wireName().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * Converts a request value (as parsed from JSON: {@link BigDecimal}, {@link String}, {@link
   * Boolean}, ...) to the Java value CEL expects for this type, or empty if it does not fit.
   */
  Optional<Object> toCel(Object value) {
    return switch (this) {
      case NUMBER ->
          value instanceof BigDecimal d ? Optional.of(d.doubleValue()) : Optional.empty();
      case INTEGER -> integral(value);
      case STRING -> value instanceof String ? Optional.of(value) : Optional.empty();
      case BOOLEAN -> value instanceof Boolean ? Optional.of(value) : Optional.empty();
    };
  }

  private static Optional<Object> integral(Object value) {
    if (!(value instanceof BigDecimal d)) {
      return Optional.empty();
    }
    try {
      BigInteger exact = d.toBigIntegerExact();
      return Optional.of(exact.longValueExact());
    } catch (ArithmeticException notAnInteger) {
      return Optional.empty();
    }
  }
}
