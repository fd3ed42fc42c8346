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
}
