package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.problem.FieldError;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading tenant grants strictly, and the rule for who may name which tenant. */
class TenantGrantsTest {

  private static final TenantGrants GRANTS =
      TenantGrants.parse(
          "grants.yaml",
          """
          callers:
            integrator: [acme, globex]
            batch-loader: ["*"]     # any tenant
            auditor-feed: []
          """);

  private static String invalid(String text) {
    return assertThrows(IllegalArgumentException.class, () -> TenantGrants.parse("g.yaml", text))
        .getMessage();
  }

  @Test
  void allows_grantedTenant_orStar_only() {
    assertTrue(GRANTS.allows("integrator", Optional.of("acme")));
    assertTrue(GRANTS.allows("integrator", Optional.of("globex")));
    assertFalse(GRANTS.allows("integrator", Optional.of("initech")));
    assertFalse(GRANTS.allows("integrator", Optional.of("ACME")), "tenant ids are exact");
    assertTrue(GRANTS.allows("batch-loader", Optional.of("initech")));
    assertTrue(GRANTS.allows("batch-loader", Optional.of("acme")));
  }

  @Test
  void allows_tenantsOfTheCallersOwnClaim_besideTheFile() {
    // The claim source answers for one caller only, as a request's token does.
    TenantGrants withClaims =
        GRANTS.alsoFrom(caller -> caller.equals("sso-user") ? Set.of("initech", "*") : Set.of());
    assertTrue(withClaims.allows("sso-user", Optional.of("initech")));
    assertFalse(withClaims.allows("sso-user", Optional.of("acme")), "a claimed * is no wildcard");
    assertFalse(withClaims.allows("integrator", Optional.of("initech")), "not their claim");
    assertTrue(withClaims.allows("integrator", Optional.of("acme")), "the file still grants");
    assertFalse(GRANTS.allows("sso-user", Optional.of("initech")), "the original is unchanged");
  }

  @Test
  void allows_noTenant_toEveryCaller() {
    for (String caller : List.of("integrator", "batch-loader", "auditor-feed", "stranger")) {
      assertTrue(GRANTS.allows(caller, Optional.empty()), caller);
    }
    assertTrue(TenantGrants.NONE.allows("integrator", Optional.empty()));
  }

  @Test
  void allows_callerWithoutEntryOrWithAnEmptyList_noTenant() {
    assertFalse(GRANTS.allows("stranger", Optional.of("acme")));
    assertFalse(GRANTS.allows("auditor-feed", Optional.of("acme")));
    assertFalse(GRANTS.allows("*", Optional.of("acme")), "no wildcard caller");
    assertFalse(TenantGrants.NONE.allows("integrator", Optional.of("acme")));
  }

  @Test
  void check_notGranted_is403TenantNotGrantedNamingTheField() {
    GRANTS.check("integrator", Optional.of("acme"));
    GRANTS.check("stranger", Optional.empty());
    ProblemException e =
        assertThrows(
            ProblemException.class, () -> GRANTS.check("integrator", Optional.of("initech")));
    assertEquals(ProblemType.TENANT_NOT_GRANTED, e.type());
    assertEquals(403, e.type().status());
    assertEquals(
        "https://w3id.org/arbiter/problems/tenant-not-granted", e.type().uri(), "a stable type");
    assertEquals(List.of("tenant"), e.errors().stream().map(FieldError::field).toList());
    assertTrue(e.getMessage().contains("initech"), e.getMessage());
  }

  @Test
  void parse_invalidYaml_orNoMapping_namesTheFile() {
    assertTrue(invalid("callers: [unclosed").contains("g.yaml: not valid YAML"));
    assertTrue(invalid("- integrator").contains("g.yaml: must be a mapping"));
    assertTrue(invalid("").contains("g.yaml: must be a mapping"));
    String twice = invalid("callers:\n  integrator: [acme]\n  integrator: [globex]\n");
    assertTrue(twice.contains("g.yaml") && twice.contains("not valid YAML"), twice);
  }

  @Test
  void parse_badTenantIds_areNamedWithTheirEntry() {
    String message =
        invalid(
            """
            callers:
              integrator: [acme, "no spaces", -dash, 42]
            """);
    assertTrue(message.startsWith("tenant grants g.yaml are invalid: "), message);
    assertTrue(message.contains("callers.integrator[1]: must be a tenant id matching"), message);
    assertTrue(message.contains("callers.integrator[2]"), message);
    assertTrue(message.contains("callers.integrator[3]"), message + " (a number is no id)");
    assertFalse(message.contains("callers.integrator[0]"), message);
  }

  @Test
  void parse_tenantIds_followThePolicyScopeRule() {
    String longest = "a".repeat(128);
    assertTrue(
        TenantGrants.parse("g.yaml", "callers: {integrator: [" + longest + ", eu_retail.2]}")
            .allows("integrator", Optional.of(longest)));
    assertTrue(invalid("callers: {integrator: [" + longest + "a]}").contains("[0]"));
    assertTrue(
        io.arbiter.policy.PolicyParser.ID.matcher(longest).matches(),
        "the same pattern as policy scopes");
  }

  @Test
  void parse_unknownOrMissingFields_areRefused() {
    assertTrue(
        invalid("caller:\n  integrator: [acme]\n").contains("caller: unknown field"),
        "a misspelt top-level key");
    assertTrue(invalid("tenants: {}\n").contains("callers: is required"));
    assertTrue(
        invalid("callers: {}\nextra: 1\n").contains("extra: unknown field"),
        "unknown beside callers");
    assertTrue(invalid("callers: [integrator]\n").contains("callers: must be a mapping"));
  }

  @Test
  void parse_malformedEntries_areRefused() {
    assertTrue(
        invalid("callers:\n  integrator: acme\n").contains("callers.integrator: must be a list"));
    assertTrue(invalid("callers:\n  integrator:\n").contains("callers.integrator: must be a list"));
    assertTrue(
        invalid("callers:\n  integrator: [\"*\", acme]\n").contains("must stand alone"),
        "a star beside tenants is a mistake either way");
    assertTrue(invalid("callers:\n  \"*\": [acme]\n").contains("there is no wildcard caller"));
    assertTrue(invalid("callers:\n  42: [acme]\n").contains("callers.42: a caller is a user name"));
    assertTrue(invalid("callers:\n  \" padded\": [acme]\n").contains("a caller is a user name"));
  }

  @Test
  void parse_reportsEveryProblemAtOnce() {
    String message =
        invalid(
            """
            callers:
              integrator: [acme, "bad id"]
              integrator2: nope
            stray: true
            """);
    assertTrue(message.contains("callers.integrator[1]"), message);
    assertTrue(message.contains("callers.integrator2"), message);
    assertTrue(message.contains("stray: unknown field"), message);
  }

  @Test
  void constructor_refusesWhatParseRefuses() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TenantGrants(Map.of("integrator", List.of("bad id"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TenantGrants(Map.of("integrator", List.of("*", "acme"))));
    assertTrue(
        new TenantGrants(Map.of("integrator", List.of("*")))
            .allows("integrator", Optional.of("x")));
  }

  @Test
  void bundledDemoGrants_parse_andGrantTheDocumentedTenantsToTheDemoIntegrator() {
    var bundled = DecisionWiring.bundledGrants();
    TenantGrants demo = TenantGrants.parse(bundled.name(), bundled.text());
    for (String tenant : List.of("retail", "retail-eu", "eu-retail", "us-retail")) {
      assertTrue(demo.allows("integrator", Optional.of(tenant)), tenant);
    }
    assertFalse(demo.allows("integrator", Optional.of("globex")));
    assertFalse(demo.allows("reviewer", Optional.of("retail")));
    assertEquals(1, demo.callers());
  }

  private static final TenantGrants BOUND =
      TenantGrants.parse(
          "grants.yaml",
          """
          callers:
            integrator: [acme, globex]
            acme-client: [acme]
          bound:
            acme-auditor: [acme]
            acme-client: [acme]
            two-tenants: [acme, globex]
          """);

  @Test
  void scopeOf_unboundCaller_isGlobal_boundCaller_readsItsTenantsOnly() {
    assertEquals(TenantScope.GLOBAL, BOUND.scopeOf("integrator"));
    assertEquals(TenantScope.GLOBAL, BOUND.scopeOf("stranger"));
    assertEquals(TenantScope.GLOBAL, GRANTS.scopeOf("integrator"), "no bound section: global");
    TenantScope acme = BOUND.scopeOf("acme-auditor");
    assertFalse(acme.global());
    assertTrue(acme.sees(Optional.of("acme")));
    assertFalse(acme.sees(Optional.of("globex")));
    assertFalse(acme.sees(Optional.empty()), "a decision without a tenant is global callers' only");
    TenantScope two = BOUND.scopeOf("two-tenants");
    assertTrue(two.sees(Optional.of("acme")) && two.sees(Optional.of("globex")));
    assertTrue(TenantScope.GLOBAL.sees(Optional.empty()));
    assertTrue(TenantScope.GLOBAL.sees(Optional.of("anything")));
  }

  @Test
  void scopeOf_aTokensTenantClaim_bindsTheCaller_unlessTheFileBindsIt() {
    TenantGrants withTokens =
        BOUND.alsoFrom(
            caller ->
                switch (caller) {
                  case "sso-user", "acme-auditor" -> Set.of("initech");
                  default -> Set.of();
                });
    TenantScope sso = withTokens.scopeOf("sso-user");
    assertTrue(sso.sees(Optional.of("initech")));
    assertFalse(sso.sees(Optional.of("acme")), "a claim binds to what it names");
    assertFalse(sso.sees(Optional.empty()));
    assertEquals(BOUND.scopeOf("acme-auditor"), withTokens.scopeOf("acme-auditor"), "file first");
    assertEquals(TenantScope.GLOBAL, withTokens.scopeOf("integrator"), "no claim: global");
    assertTrue(withTokens.allows("sso-user", Optional.of("initech")));
    assertFalse(
        withTokens.allows("acme-auditor", Optional.of("initech")),
        "a claim outside the file's binding grants nothing");
  }

  @Test
  void requireGlobal_refusesBoundCallersOnly() {
    TenantScope.GLOBAL.requireGlobal("Reports");
    ProblemException refused =
        assertThrows(
            ProblemException.class, () -> BOUND.scopeOf("acme-auditor").requireGlobal("Reports"));
    assertEquals(ProblemType.FORBIDDEN, refused.type());
  }

  @Test
  void parse_badBindings_areNamed() {
    assertTrue(
        invalid("callers: {}\nbound:\n  a: [\"*\"]\n").contains("bound.a: a caller reading every"));
    assertTrue(invalid("callers: {}\nbound:\n  a: []\n").contains("bound.a: names no tenant"));
    assertTrue(invalid("callers: {}\nbound:\n  a: [\"no spaces\"]\n").contains("bound.a[0]"));
    assertTrue(invalid("callers: {}\nbound: [a]\n").contains("bound: must be a mapping"));
    assertTrue(
        invalid("callers:\n  a: [acme, globex]\nbound:\n  a: [acme]\n")
            .contains("bound.a: the caller may submit for tenants outside its binding"));
    assertTrue(
        invalid("callers:\n  a: [\"*\"]\nbound:\n  a: [acme]\n").contains("outside its binding"));
  }
}
