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
}
