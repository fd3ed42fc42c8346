package io.arbiter.decision;

import io.arbiter.config.ConfigYaml;
import io.arbiter.policy.PolicyParser;
import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.security.CallerTenants;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which tenants each caller may name in a decision, read from a YAML file:
 *
 * <pre>
 * callers:
 *   integrator: [acme, globex]
 *   batch-loader: ["*"]     # any tenant
 * </pre>
 *
 * <p>The tenant selects the policy version a decision is routed by, and the decision is recorded
 * under it; without grants one client could have its decisions routed by another client's policy
 * and recorded among that client's decisions. The rule: a decision without a tenant is always
 * allowed; one naming tenant T only if its caller is granted T or {@link #ANY}; a caller the grants
 * do not name may name no tenant. Callers are named as decisions record their submitter (the
 * authenticated user's name). Tenant ids are checked by the policies' one rule, {@link
 * PolicyParser#ID}, so a grant can name exactly the tenants a policy scope can.
 *
 * <p>A caller signed in with a single sign-on token may also name the tenants of its tenant claim
 * ({@link #alsoFrom}).
 *
 * <p>Immutable; pure Java, so the rule is tested without a server.
 */
public final class TenantGrants {

  /** The grant of every tenant; it stands alone in a caller's list. */
  public static final String ANY = "*";

  /** No caller may name any tenant. */
  public static final TenantGrants NONE = new TenantGrants(Map.of());

  private static final Set<String> TOP = Set.of("callers");

  private final Map<String, Set<String>> byCaller;

  /** Tenants the caller's own credentials carry (a bearer token's tenant claim). */
  private final CallerTenants claimed;

  /**
   * @param grants each caller's tenant ids, or {@code [*]}
   * @throws IllegalArgumentException when a tenant id does not match {@link PolicyParser#ID} or
   *     {@link #ANY} is not alone
   */
  public TenantGrants(Map<String, ? extends Collection<String>> grants) {
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    grants.forEach(
        (caller, tenants) -> {
          List<String> problems = new ArrayList<>();
          copy.put(caller, tenants(caller, new ArrayList<>(tenants), problems));
          if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
          }
        });
    this.byCaller = Map.copyOf(copy);
    this.claimed = CallerTenants.NONE;
  }

  private TenantGrants(Map<String, Set<String>> byCaller, CallerTenants claimed) {
    this.byCaller = byCaller;
    this.claimed = claimed;
  }

  /**
   * These grants, and besides them whatever tenants the caller's credentials carry: the tenant
   * claim of a single sign-on token. A claim grants the tenants it names; {@link #ANY} in a claim
   * is taken literally, never as every tenant, so only this file can grant all.
   */
  public TenantGrants alsoFrom(CallerTenants claims) {
    return new TenantGrants(byCaller, claims);
  }

  /** Whether {@code caller} may submit a decision naming {@code tenant} (or naming none). */
  public boolean allows(String caller, Optional<String> tenant) {
    if (tenant.isEmpty()) {
      return true;
    }
    Set<String> granted = byCaller.getOrDefault(caller, Set.of());
    return granted.contains(ANY)
        || granted.contains(tenant.get())
        || claimed.of(caller).contains(tenant.get());
  }

  /**
   * Refuses a decision whose caller may not name its tenant.
   *
   * @throws ProblemException {@code tenant-not-granted}, naming the field {@code tenant}
   */
  public void check(String caller, Optional<String> tenant) {
    if (!allows(caller, tenant)) {
      // The same answer whether or not the tenant exists anywhere: nothing about others leaks.
      throw new ProblemException(
          ProblemType.TENANT_NOT_GRANTED,
          "You may not submit decisions for tenant '" + tenant.get() + "'; nothing was recorded.",
          List.of(new FieldError("tenant", "is not among the tenants granted to you")));
    }
  }

  /** How many callers the grants name, for the start-up log. */
  public int callers() {
    return byCaller.size();
  }

  /**
   * Reads a grants file.
   *
   * @throws IllegalArgumentException naming the source and every entry at fault
   */
  public static TenantGrants parse(String sourceName, String text) {
    Map<?, ?> map = ConfigYaml.mapping("tenant grants", sourceName, text);
    List<String> problems = new ArrayList<>();
    map.keySet().stream()
        .map(String::valueOf)
        .filter(key -> !TOP.contains(key))
        .forEach(key -> problems.add(key + ": unknown field (the file has only callers)"));
    Map<String, Set<String>> grants = new LinkedHashMap<>();
    Object callers = map.get("callers");
    if (!(callers instanceof Map<?, ?> named)) {
      problems.add(
          "callers: "
              + (callers == null ? "is required: " : "must be ")
              + "a mapping of caller to a list of tenant ids");
    } else {
      named.forEach((caller, tenants) -> grant(caller, tenants, grants, problems));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "tenant grants " + sourceName + " are invalid: " + String.join("; ", problems));
    }
    return new TenantGrants(grants);
  }

  private static void grant(
      Object caller, Object tenants, Map<String, Set<String>> grants, List<String> problems) {
    String path = "callers." + caller;
    if (!(caller instanceof String name) || name.isBlank() || !name.strip().equals(name)) {
      problems.add(path + ": a caller is a user name, a string without surrounding spaces");
      return;
    }
    if (name.equals(ANY)) {
      problems.add(path + ": there is no wildcard caller; name each caller");
      return;
    }
    if (!(tenants instanceof List<?> list)) {
      problems.add(path + ": must be a list of tenant ids, or [\"*\"] for every tenant");
      return;
    }
    grants.put(name, tenants(name, list, problems));
  }

  private static Set<String> tenants(String caller, List<?> list, List<String> problems) {
    String path = "callers." + caller;
    Set<String> tenants = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object tenant = list.get(i);
      if (tenant instanceof String id
          && (id.equals(ANY) || PolicyParser.ID.matcher(id).matches())) {
        tenants.add(id);
      } else {
        problems.add(
            path
                + "["
                + i
                + "]: must be a tenant id matching "
                + PolicyParser.ID.pattern()
                + ", or \"*\"");
      }
    }
    if (tenants.contains(ANY) && list.size() > 1) {
      problems.add(path + ": \"*\" grants every tenant and must stand alone");
    }
    return Set.copyOf(tenants);
  }
}
