package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductionReadinessTest {

  /** A registry of fixed users and passwords. */
  private static ProductionReadiness.PasswordProbe registry(Map<String, String> users) {
    return (user, password) -> password.equals(users.get(user));
  }

  @Test
  void faults_ownPasswords_none() {
    assertEquals(
        List.of(),
        ProductionReadiness.faults(
            Optional.of("a-keystore-password"),
            registry(Map.of("admin", "s3cret-admin", "auditor", "another-one"))));
  }

  @Test
  void faults_missingOrDemoKeystorePassword_named() {
    var none = registry(Map.of());
    assertEquals(
        List.of("ARBITER_KEYSTORE_PASSWORD is not set: give the keystore a password of your own"),
        ProductionReadiness.faults(Optional.empty(), none));
    assertEquals(
        List.of("ARBITER_KEYSTORE_PASSWORD is not set: give the keystore a password of your own"),
        ProductionReadiness.faults(Optional.of("  "), none));
    assertEquals(
        List.of("ARBITER_KEYSTORE_PASSWORD is the demo's published default: choose your own"),
        ProductionReadiness.faults(Optional.of("arbiter-demo-keystore"), none));
    assertEquals(
        List.of("ARBITER_KEYSTORE_PASSWORD is shorter than 12 characters"),
        ProductionReadiness.faults(Optional.of("short"), none));
  }

  @Test
  void faults_demoUserWithDemoOrOwnNameAsPassword_named() {
    List<String> faults =
        ProductionReadiness.faults(
            Optional.of("a-keystore-password"),
            registry(Map.of("admin", "arbiter", "reviewer", "reviewer", "auditor", "fine-one")));
    assertEquals(
        List.of(
            "user 'reviewer' signs in with their user name as the password",
            "user 'admin' signs in with the demo password"),
        faults);
    assertTrue(ProductionReadiness.refusal(faults).startsWith("Arbiter refuses to start"));
  }

  @Test
  void parse_unknownMode_refusedNamingTheKey() {
    assertEquals(DeploymentMode.DEMO, DeploymentMode.parse(" Demo "));
    assertEquals(DeploymentMode.PRODUCTION, DeploymentMode.parse("production"));
    var e = assertThrows(IllegalArgumentException.class, () -> DeploymentMode.parse("prod"));
    assertTrue(e.getMessage().contains("arbiter.mode"), e.getMessage());
  }
}
