package io.arbiter.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What must hold before a production server serves anyone: the keystore has a password of the
 * operator's own, and no user signs in with a password the demo published. The demo's users and
 * passwords are in the README and in {@code arbiter-demo.xml}; a registry copied from it, or a
 * keystore left at its default, would open the server to anyone who read them.
 */
public final class ProductionReadiness {
  private ProductionReadiness() {}

  /** The environment variable (or bootstrap property) {@code server.xml} takes it from. */
  public static final String KEYSTORE_PASSWORD = "ARBITER_KEYSTORE_PASSWORD";

  /** The keystore password {@code arbiter-demo.xml} defaults to. */
  public static final String DEMO_KEYSTORE_PASSWORD = "arbiter-demo-keystore";

  /** The users' password {@code arbiter-demo.xml} defaults to. */
  public static final String DEMO_PASSWORD = "arbiter";

  /** The shortest keystore password accepted in production. */
  static final int MIN_KEYSTORE_PASSWORD = 12;

  /**
   * The demo's user names (one per role, two reviewers and two leads), as the README lists them.
   */
  public static final List<String> DEMO_USERS =
      List.of(
          "integrator",
          "reviewer",
          "reviewer2",
          "lead-reviewer",
          "lead-reviewer2",
          "auditor",
          "policy-author",
          "policy-approver",
          "data-steward",
          "admin");

  /** Whether the server's user registry lets {@code user} sign in with {@code password}. */
  @FunctionalInterface
  public interface PasswordProbe {
    boolean accepts(String user, String password);
  }

  /**
   * Every reason this server must not start in production; empty when there is none.
   *
   * @param keystorePassword the configured keystore password, if any
   * @param registry the server's user registry, tried with each demo user and the demo password,
   *     and with the user's own name as the password
   */
  public static List<String> faults(Optional<String> keystorePassword, PasswordProbe registry) {
    List<String> faults = new ArrayList<>();
    String keystore = keystorePassword.map(String::trim).orElse("");
    if (keystore.isEmpty()) {
      faults.add(KEYSTORE_PASSWORD + " is not set: give the keystore a password of your own");
    } else if (keystore.equals(DEMO_KEYSTORE_PASSWORD)) {
      faults.add(KEYSTORE_PASSWORD + " is the demo's published default: choose your own");
    } else if (keystore.length() < MIN_KEYSTORE_PASSWORD) {
      faults.add(KEYSTORE_PASSWORD + " is shorter than " + MIN_KEYSTORE_PASSWORD + " characters");
    }
    for (String user : DEMO_USERS) {
      if (registry.accepts(user, DEMO_PASSWORD)) {
        faults.add("user '" + user + "' signs in with the demo password");
      } else if (registry.accepts(user, user)) {
        faults.add("user '" + user + "' signs in with their user name as the password");
      }
    }
    return faults;
  }

  /** The start-up refusal naming every fault, and what to do about it. */
  public static String refusal(List<String> faults) {
    return "Arbiter refuses to start in production mode (arbiter.mode=production): "
        + String.join("; ", faults)
        + ". Set the passwords (docs/configuration.md#production-mode), or run the demo with"
        + " ARBITER_MODE=demo on a machine nobody else can reach.";
  }
}
