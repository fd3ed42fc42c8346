package io.arbiter.decision;

import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.Optional;
import java.util.Set;

/**
 * Which tenants' data a caller reads: every tenant's ({@link #GLOBAL}), or only those it is bound
 * to in the tenant grants ({@code bound:}). A bound caller does not see decisions without a tenant:
 * nothing says whose they are, so only global callers read them.
 *
 * @param tenants the tenants a bound caller reads; empty for a global caller
 */
public record TenantScope(Optional<Set<String>> tenants) {

  /** Reads every tenant's data and the decisions without a tenant. */
  public static final TenantScope GLOBAL = new TenantScope(Optional.empty());

  public TenantScope {
    tenants = tenants.map(Set::copyOf);
    if (tenants.filter(Set::isEmpty).isPresent()) {
      throw new IllegalArgumentException("a bound scope names at least one tenant");
    }
  }

  /** Bound to exactly {@code tenants} (at least one). */
  public static TenantScope bound(Set<String> tenants) {
    return new TenantScope(Optional.of(tenants));
  }

  public boolean global() {
    return tenants.isEmpty();
  }

  /** Whether data recorded for {@code tenant} (or for none) is visible in this scope. */
  public boolean sees(Optional<String> tenant) {
    return tenants.isEmpty() || tenant.filter(tenants.get()::contains).isPresent();
  }

  /** Whether the decision is visible in this scope. */
  public boolean sees(DecisionSummary decision) {
    return sees(decision.tenant());
  }

  /**
   * Refuses a bound caller a read that spans every tenant's data and is not (yet) narrowed to a
   * scope: a report or walk that cannot be told apart by tenant is withheld rather than leaked.
   *
   * @param what the read, for the message: "Lineage walks", …
   * @throws ProblemException {@code forbidden} for a bound caller
   */
  public void requireGlobal(String what) {
    if (!global()) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          what
              + " span every tenant's data, and you read only some tenants' (the tenant grants"
              + " bind you); ask a caller who reads every tenant.");
    }
  }
}
