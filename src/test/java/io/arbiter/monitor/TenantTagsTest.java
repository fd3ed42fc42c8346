package io.arbiter.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.decision.TenantGrants;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The tenant tag's values are bounded by what the operator declared, whatever callers send. */
class TenantTagsTest {

  private static final TenantGrants GRANTS =
      TenantGrants.parse(
          "test grants",
          """
          callers:
            integrator: [acme, globex]
            loader: ["*"]
          bound:
            acme-auditor: [acme, initech]
          """);

  @Test
  void named_grantsFile_isEveryTenantItGrantsOrBindsButNotTheWildcard() {
    assertEquals(Set.of("acme", "globex", "initech"), GRANTS.named());
  }

  @Test
  void value_declaredTenant_isItself_othersAreOther_noneIsEmpty() {
    TenantTags tags = TenantTags.of(GRANTS.named(), List.of("hooli"));
    assertEquals("acme", tags.value(Optional.of("acme")));
    assertEquals("initech", tags.value(Optional.of("initech")), "a bound tenant is declared");
    assertEquals("hooli", tags.value(Optional.of("hooli")), "arbiter.metrics.tenants adds one");
    assertEquals(TenantTags.OTHER, tags.value(Optional.of("umbrella")));
    assertEquals(TenantTags.OTHER, tags.value(Optional.of("*")));
    assertEquals(TenantTags.NONE, tags.value(Optional.empty()));
    assertEquals(TenantTags.OTHER, TenantTags.UNDECLARED.value(Optional.of("acme")));
  }

  @Test
  void value_manyCallerSuppliedTenants_takeAtMostTheDeclaredPlusTwoValues() {
    TenantTags tags = TenantTags.of(GRANTS.named());
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      values.add(tags.value(Optional.of("tenant-" + UUID.randomUUID())));
    }
    for (String declared : GRANTS.named()) {
      values.add(tags.value(Optional.of(declared)));
    }
    values.add(tags.value(Optional.empty()));
    assertEquals(Set.of("acme", "globex", "initech", TenantTags.OTHER, TenantTags.NONE), values);
  }

  @Test
  void ambiguous_onlyWhenADeclaredTenantIsNamedOther() {
    assertFalse(TenantTags.of(GRANTS.named()).ambiguous());
    assertTrue(TenantTags.of(List.of("acme", "other")).ambiguous());
  }

  @Test
  void declared_configuredValueNotATenantId_isRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TenantTags.declared(GRANTS.named(), List.of("hooli", " x", "a/b")));
    assertTrue(e.getMessage().startsWith("arbiter.metrics.tenants: [ x, a/b]"), e.getMessage());
    assertEquals(
        Set.of("acme", "globex", "initech", "hooli"),
        TenantTags.declared(GRANTS.named(), List.of("hooli")).known());
  }
}
