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
 * Which tenants each caller may name in a decision, and whose data a caller bound to tenants may
 * read, from a YAML file:
 *
 * <pre>
 * callers:
 *   integrator: [acme, globex]
 *   batch-loader: ["*"]     # any tenant
 * bound:
 *   acme-auditor: [acme]    # reads acme's data only
 * </pre>
 *
 * <p>Reads: a caller named under {@code bound} reads only its tenants' data ({@link #scopeOf});
 * every other caller reads as its roles allow, across tenants ({@link TenantScope#GLOBAL}). Global
 * is the default so that a deployment without tenants keeps working; a deployment with tenants
 * binds each tenant's people. A bound caller's submission grants must lie within its binding, or it
 * could record decisions it may not read.
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

  private static final Set<String> TOP = Set.of("callers", "bound");

  private final Map<String, Set<String>> byCaller;
  private final Map<String, TenantScope> boundTo;

  /** Tenants the caller's own credentials carry (a bearer token's tenant claim). */
  private final CallerTenants claimed;

  /**
   * @param grants each caller's tenant ids, or {@code [*]}
   * @throws IllegalArgumentException when a tenant id does not match {@link PolicyParser#ID} or
   *     {@link #ANY} is not alone
   */
  public TenantGrants(Map<String, ? extends Collection<String>> grants) {
    this(grants, Map.of());
  }

  /**
   * @param grants each caller's tenant ids, or {@code [*]}
   * @param bound the callers whose reads are bound to tenants, each to at least one tenant id
   * @throws IllegalArgumentException when a tenant id does not match {@link PolicyParser#ID},
   *     {@link #ANY} is not alone or is bound, a binding is empty, or a bound caller is granted a
   *     tenant outside its binding
   */
  public TenantGrants(
      Map<String, ? extends Collection<String>> grants,
      Map<String, ? extends Collection<String>> bound) {
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    grants.forEach(
        (caller, tenants) -> {
          List<String> problems = new ArrayList<>();
          copy.put(caller, tenants("callers", caller, new ArrayList<>(tenants), problems));
          if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
          }
        });
    this.byCaller = Map.copyOf(copy);
    Map<String, TenantScope> bindings = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    bound.forEach(
        (caller, tenants) -> {
          Set<String> to = tenants("bound", caller, new ArrayList<>(tenants), problems);
          if (to.contains(ANY)) {
            problems.add("bound." + caller + ": a caller reading every tenant is not bound");
          } else if (to.isEmpty()) {
            problems.add("bound." + caller + ": names no tenant (a caller must read something)");
          } else if (!to.containsAll(byCaller.getOrDefault(caller, Set.of()))) {
            problems.add(
                "bound."
                    + caller
                    + ": the caller may submit for tenants outside its binding (callers."
                    + caller
                    + ")");
          }
          if (!to.isEmpty()) {
            bindings.put(caller, TenantScope.bound(to));
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    this.boundTo = Map.copyOf(bindings);
    this.claimed = CallerTenants.NONE;
  }

  private TenantGrants(
      Map<String, Set<String>> byCaller, Map<String, TenantScope> boundTo, CallerTenants claimed) {
    this.byCaller = byCaller;
    this.boundTo = boundTo;
    this.claimed = claimed;
  }

  /**
   * These grants, and besides them whatever tenants the caller's credentials carry: the tenant
   * claim of a single sign-on token. A claim grants the tenants it names and binds the caller's
   * reads to them; {@link #ANY} in a claim is taken literally, never as every tenant, so only this
   * file can grant all.
   */
  public TenantGrants alsoFrom(CallerTenants claims) {
    return new TenantGrants(byCaller, boundTo, claims);
  }

  /**
   * Whose data {@code caller} reads: its bound tenants' (the file's binding, else the tenants its
   * token claims), or every tenant's if neither binds it.
   */
  public TenantScope scopeOf(String caller) {
    // Asked for every task a list considers: a look-up, and a scope built only for a token's claim.
    TenantScope bound = boundTo.get(caller);
    if (bound != null) {
      return bound;
    }
    Set<String> fromToken = claimed.of(caller);
    return fromToken.isEmpty() ? TenantScope.GLOBAL : TenantScope.bound(fromToken);
  }

  /** Whether {@code caller} may submit a decision naming {@code tenant} (or naming none). */
  public boolean allows(String caller, Optional<String> tenant) {
    if (tenant.isEmpty()) {
      return true;
    }
    Set<String> granted = byCaller.getOrDefault(caller, Set.of());
    if (granted.contains(ANY) || granted.contains(tenant.get())) {
      return true;
    }
    // A claim grants within the file's binding only, or the caller could record decisions that
    // its binding then hides from it (the rule the file's own grants are checked against).
    TenantScope binding = boundTo.get(caller);
    return claimed.of(caller).contains(tenant.get()) && (binding == null || binding.sees(tenant));
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

  /**
   * Every tenant the file names, granted to a caller or binding one ({@link #ANY} is no tenant):
   * the tenants an operator has declared, a bounded set, unlike those decisions may name under
   * {@link #ANY} or a token's claim.
   */
  public Set<String> named() {
    Set<String> tenants = new java.util.TreeSet<>();
    byCaller.values().forEach(tenants::addAll);
    boundTo.values().forEach(scope -> scope.tenants().ifPresent(tenants::addAll));
    tenants.remove(ANY);
    return Set.copyOf(tenants);
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
        .forEach(
            key -> problems.add(key + ": unknown field (the file has only callers and bound)"));
    Map<String, Set<String>> grants = new LinkedHashMap<>();
    Object callers = map.get("callers");
    if (!(callers instanceof Map<?, ?> named)) {
      problems.add(
          "callers: "
              + (callers == null ? "is required: " : "must be ")
              + "a mapping of caller to a list of tenant ids");
    } else {
      named.forEach((caller, tenants) -> grant("callers", caller, tenants, grants, problems));
    }
    Map<String, Set<String>> bound = new LinkedHashMap<>();
    Object bindings = map.get("bound");
    if (bindings instanceof Map<?, ?> named) {
      named.forEach((caller, tenants) -> grant("bound", caller, tenants, bound, problems));
    } else if (bindings != null) {
      problems.add("bound: must be a mapping of caller to a list of tenant ids");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "tenant grants " + sourceName + " are invalid: " + String.join("; ", problems));
    }
    try {
      return new TenantGrants(grants, bound);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tenant grants " + sourceName + " are invalid: " + e.getMessage());
    }
  }

  private static void grant(
      String section,
      Object caller,
      Object tenants,
      Map<String, Set<String>> grants,
      List<String> problems) {
    String path = section + "." + caller;
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
    grants.put(name, tenants(section, name, list, problems));
  }

  private static Set<String> tenants(
      String section, String caller, List<?> list, List<String> problems) {
    String path = section + "." + caller;
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
