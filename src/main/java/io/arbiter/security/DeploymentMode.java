package io.arbiter.security;

import java.util.Locale;

/**
 * How this server runs, from {@code arbiter.mode} (environment {@code ARBITER_MODE}). Only {@code
 * mvn liberty:run} and the test servers say {@code demo}; every other start, the packaged server
 * and the container image included, is {@code production}, which refuses the demo's passwords and
 * takes credentials only over HTTPS ({@link ProductionReadiness}).
 */
public enum DeploymentMode {
  /** The embedded demo: demo users with a shared password, plain HTTP allowed. */
  DEMO,
  /** Anything else. */
  PRODUCTION;

  /** The configuration key. */
  public static final String KEY = "arbiter.mode";

  /**
   * @throws IllegalArgumentException naming the key, for anything but {@code demo} or {@code
   *     production}
   */
  public static DeploymentMode parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "demo" -> DEMO;
      case "production" -> PRODUCTION;
      default ->
          throw new IllegalArgumentException(
              KEY + " (ARBITER_MODE) must be demo or production, not '" + value + "'");
    };
  }
}
