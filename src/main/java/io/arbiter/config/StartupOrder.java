package io.arbiter.config;

/**
 * The order in which capabilities start (CDI observer priorities on application start-up): models
 * before the policies that name them, policies before decisions are served.
 */
public final class StartupOrder {
  private StartupOrder() {}

  public static final int REGISTRY = 100;
  public static final int POLICIES = 200;
  public static final int DECISIONS = 300;
}
