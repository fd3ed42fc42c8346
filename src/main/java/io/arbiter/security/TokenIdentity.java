package io.arbiter.security;

import java.util.Set;

/**
 * Who a verified bearer token says the caller is.
 *
 * @param user the caller's name, as decisions record their submitter and tenant grants name callers
 * @param roles the Arbiter roles among the token's groups; groups that name no role are left out
 * @param tenants the tenant ids of the token's tenant claim, as given
 */
public record TokenIdentity(String user, Set<String> roles, Set<String> tenants) {
  public TokenIdentity {
    roles = Set.copyOf(roles);
    tenants = Set.copyOf(tenants);
  }
}
