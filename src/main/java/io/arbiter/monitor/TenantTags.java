package io.arbiter.monitor;

import io.arbiter.policy.PolicyParser;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tenant tag of a counter's series, bounded as {@link ModelTags} bounds the model tags. A
 * decision's tenant is a string its caller sends: a caller granted every tenant ({@code "*"}) or a
 * single sign-on token's tenant claim can name any number of them, and every tag value is a series
 * in Arbiter and in each scraper. So only the tenants an operator declared (the tenant grants
 * file's and {@code arbiter.metrics.tenants}) are tag values; any other tenant is counted as {@link
 * #OTHER}, and a decision without a tenant as {@link #NONE}. A metric so has at most (declared
 * tenants + 2) tenant values.
 *
 * <p>Invariant: {@link #value} returns {@link #NONE}, {@link #OTHER} or a member of {@link #known}.
 */
public record TenantTags(Set<String> known) {

  /** Stands for every tenant that was not declared. */
  public static final String OTHER = "other";

  /** A decision that named no tenant; empty, which Prometheus reads as no tenant label. */
  public static final String NONE = "";

  /** Knows no tenant: every decision naming one is counted as {@link #OTHER}. */
  public static final TenantTags UNDECLARED = new TenantTags(Set.of());

  public TenantTags {
    known = Set.copyOf(known);
  }

  /** The tenants of each source, together. */
  @SafeVarargs
  public static TenantTags of(Collection<String>... declared) {
    Set<String> known = new java.util.TreeSet<>();
    for (Collection<String> tenants : declared) {
      known.addAll(tenants);
    }
    return new TenantTags(known);
  }

  /**
   * The tenants the grants file names and those of {@code arbiter.metrics.tenants}.
   *
   * @throws IllegalArgumentException naming the setting and each of its values that is no tenant id
   *     ({@link PolicyParser#ID})
   */
  public static TenantTags declared(Collection<String> granted, Collection<String> configured) {
    List<String> bad =
        configured.stream().filter(t -> !PolicyParser.ID.matcher(t).matches()).toList();
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(
          "arbiter.metrics.tenants: "
              + bad
              + " are not tenant ids (they must match "
              + PolicyParser.ID.pattern()
              + ")");
    }
    return of(granted, configured);
  }

  /** The tag value of a decision for {@code tenant}. */
  public String value(Optional<String> tenant) {
    if (tenant.isEmpty()) {
      return NONE;
    }
    return known.contains(tenant.get()) ? tenant.get() : OTHER;
  }

  /**
   * Whether a declared tenant is named {@link #OTHER}: its figures could not be told from the
   * undeclared tenants', which the start-up log says.
   */
  public boolean ambiguous() {
    return known.contains(OTHER);
  }
}
