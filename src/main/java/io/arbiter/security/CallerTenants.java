package io.arbiter.security;

import java.util.Set;

/**
 * Tenants a caller's own credentials grant, beside the tenant grants file: the tenant claim of the
 * bearer token the current request was signed in with.
 */
@FunctionalInterface
public interface CallerTenants {

  /** No credentials grant anything. */
  CallerTenants NONE = caller -> Set.of();

  /**
   * The tenants granted to {@code caller} by the credentials of the request being served; empty
   * when the request was not signed in as {@code caller} with a token, or there is no request.
   */
  Set<String> of(String caller);
}
