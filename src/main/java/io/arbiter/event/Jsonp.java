package io.arbiter.event;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. {@code jakarta.json.Jsonp.PROVIDER.createReader} and the
 * other {@code Jsonp.PROVIDER.create*} methods look the provider up through the ServiceLoader on
 * every call, which costs 50 to 100 µs each here against about 1 µs for the work itself; every
 * JSON-P call goes through {@link #PROVIDER} instead.
 */
public final class Jsonp {

  private Jsonp() {}

  public static final JsonProvider PROVIDER = JsonProvider.provider();

  /**
   * Readers for request bodies: a key given twice is refused rather than silently keeping one of
   * the two values.
   */
  public static final jakarta.json.JsonReaderFactory STRICT_READERS =
      PROVIDER.createReaderFactory(
          java.util.Map.of(
              jakarta.json.JsonConfig.KEY_STRATEGY, jakarta.json.JsonConfig.KeyStrategy.NONE));

  /**
   * Whether a JSON number is a sane value: at most 64 significant digits, an exponent within ±64
   * and finite as a double. {@code 1e999999999} is valid JSON, but printing it plainly builds a
   * gigabyte string; every number taken from a request is checked here before it is converted.
   */
  public static boolean saneNumber(java.math.BigDecimal number) {
    return number.precision() <= 64
        && Math.abs(number.scale()) <= 64
        && Double.isFinite(number.doubleValue());
  }
}
