package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SsoSettingsTest {

  private static Optional<SsoSettings> read(Map<String, String> config, DeploymentMode mode) {
    return SsoSettings.from(key -> Optional.ofNullable(config.get(key)), mode);
  }

  private static Map<String, String> complete() {
    Map<String, String> config = new HashMap<>();
    config.put(SsoSettings.ISSUER, "https://idp.example/realms/arbiter");
    config.put(SsoSettings.JWKS_URI, "https://idp.example/realms/arbiter/certs");
    config.put(SsoSettings.AUDIENCE, "arbiter-api");
    return config;
  }

  @Test
  void from_noIssuer_isOff() {
    assertTrue(read(Map.of(), DeploymentMode.PRODUCTION).isEmpty());
    assertTrue(read(Map.of(SsoSettings.ISSUER, "  "), DeploymentMode.PRODUCTION).isEmpty());
  }

  @Test
  void from_complete_takesTheDefaultsForTheRest() {
    SsoSettings settings = read(complete(), DeploymentMode.PRODUCTION).orElseThrow();
    assertEquals("https://idp.example/realms/arbiter", settings.issuer());
    assertEquals(URI.create("https://idp.example/realms/arbiter/certs"), settings.jwksUri());
    assertEquals("arbiter-api", settings.audience());
    assertEquals("groups", settings.groupsClaim());
    assertEquals("tenants", settings.tenantClaim());
    assertEquals(Optional.empty(), settings.userClaim());
    assertEquals(Duration.ofSeconds(30), settings.clockSkew());
  }

  @Test
  void from_claimNamesAndSkew_areConfigurable() {
    Map<String, String> config = complete();
    config.put(SsoSettings.GROUPS_CLAIM, "roles");
    config.put(SsoSettings.TENANT_CLAIM, "extension_tenants");
    config.put(SsoSettings.USER_CLAIM, "email");
    config.put(SsoSettings.CLOCK_SKEW, "PT0S");
    SsoSettings settings = read(config, DeploymentMode.PRODUCTION).orElseThrow();
    assertEquals("roles", settings.groupsClaim());
    assertEquals("extension_tenants", settings.tenantClaim());
    assertEquals(Optional.of("email"), settings.userClaim());
    assertEquals(Duration.ZERO, settings.clockSkew());
  }

  @Test
  void from_issuerWithoutKeysOrAudience_namesBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                read(Map.of(SsoSettings.ISSUER, "https://idp.example"), DeploymentMode.PRODUCTION));
    assertTrue(e.getMessage().contains(SsoSettings.JWKS_URI), e.getMessage());
    assertTrue(e.getMessage().contains(SsoSettings.AUDIENCE), e.getMessage());
  }

  @Test
  void from_plainHttpKeySet_onlyInDemoMode() {
    Map<String, String> config = complete();
    config.put(SsoSettings.JWKS_URI, "http://localhost:9295/oidc/endpoint/OP/jwk");
    assertTrue(read(config, DeploymentMode.DEMO).isPresent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(config, DeploymentMode.PRODUCTION));
    assertTrue(e.getMessage().contains("https"), e.getMessage());
    config.put(SsoSettings.JWKS_URI, "file:///etc/keys.json");
    assertThrows(IllegalArgumentException.class, () -> read(config, DeploymentMode.DEMO));
  }

  @Test
  void from_plainHttpIssuer_onlyInDemoMode() {
    Map<String, String> config = complete();
    config.put(SsoSettings.ISSUER, "http://idp.example/realms/arbiter");
    assertTrue(read(config, DeploymentMode.DEMO).isPresent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(config, DeploymentMode.PRODUCTION));
    assertTrue(
        e.getMessage().contains(SsoSettings.ISSUER + " must be an https URL"), e.getMessage());
  }

  @Test
  void from_badSkew_isRefused() {
    Map<String, String> config = complete();
    config.put(SsoSettings.CLOCK_SKEW, "30s");
    assertThrows(IllegalArgumentException.class, () -> read(config, DeploymentMode.PRODUCTION));
    config.put(SsoSettings.CLOCK_SKEW, "PT1H");
    assertThrows(IllegalArgumentException.class, () -> read(config, DeploymentMode.PRODUCTION));
  }
}
