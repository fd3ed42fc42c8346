package io.arbiter.security;

import io.arbiter.config.StartupOrder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The deployment mode, single sign-on, and the start-up check that keeps the demo's passwords out
 * of production: it runs before anything opens, so a refused server (or one whose single sign-on is
 * configured in part) writes nothing.
 */
@ApplicationScoped
public class SecurityWiring {

  private static final Logger LOG = Logger.getLogger(SecurityWiring.class.getName());

  /** The workspace's client at the OpenID provider; browser sign-in through it when set. */
  public static final String CLIENT_ID = "arbiter.sso.client-id";

  /** Its secret: from the environment, never a file in the repository. */
  public static final String CLIENT_SECRET = "arbiter.sso.client-secret";

  /** Most browser sign-ins under way at the provider at once ({@link PendingFlows}). */
  public static final String MAX_PENDING_FLOWS = "arbiter.sso.max-pending-flows";

  /** Most of them from one client address ({@link PendingFlows}). */
  public static final String MAX_PENDING_FLOWS_PER_ADDRESS =
      "arbiter.sso.max-pending-flows-per-address";

  /**
   * Bearer-token sign-in from {@code arbiter.sso.*}; off unless an issuer is configured.
   *
   * @throws IllegalArgumentException when single sign-on is configured only in part
   */
  @Produces
  @Singleton
  SignOnTokens signOnTokens(DeploymentMode mode, Clock clock) {
    Config config = ConfigProvider.getConfig();
    Optional<SsoSettings> settings =
        SsoSettings.from(key -> config.getOptionalValue(key, String.class), mode);
    settings.ifPresentOrElse(
        s ->
            LOG.info(
                () ->
                    "Single sign-on: bearer tokens of "
                        + s.issuer()
                        + " for audience "
                        + s.audience()
                        + " are taken (roles from claim '"
                        + s.groupsClaim()
                        + "', tenants from claim '"
                        + s.tenantClaim()
                        + "')"),
        () -> LOG.info("Single sign-on is off (arbiter.sso.issuer is not set)"));
    Optional<BearerTokens> verifier = settings.map(s -> BearerTokens.remote(s, clock));
    Optional<String> client = config.getOptionalValue(CLIENT_ID, String.class);
    if (client.isEmpty() || verifier.isEmpty()) {
      return new SignOnTokens(verifier, Optional.empty());
    }
    if (client.get().equals(settings.get().audience())) {
      // The ID token goes to the browser at sign-out (id_token_hint): with the API's audience it
      // would also be a bearer token for the API.
      throw new IllegalArgumentException(
          "single sign-on is misconfigured: "
              + CLIENT_ID
              + " must differ from arbiter.sso.audience, or the workspace's ID tokens would be"
              + " accepted as API tokens");
    }
    String secret =
        config
            .getOptionalValue(CLIENT_SECRET, String.class)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "single sign-on is misconfigured: "
                            + CLIENT_SECRET
                            + " (ARBITER_SSO_CLIENT_SECRET) is required with "
                            + CLIENT_ID));
    int maxFlows =
        config.getOptionalValue(MAX_PENDING_FLOWS, Integer.class).orElse(OidcLogin.MAX_FLOWS);
    int maxFlowsPerAddress =
        config
            .getOptionalValue(MAX_PENDING_FLOWS_PER_ADDRESS, Integer.class)
            .orElse(OidcLogin.MAX_FLOWS_PER_ADDRESS);
    if (maxFlows <= 0 || maxFlowsPerAddress <= 0) {
      throw new IllegalArgumentException(
          "single sign-on is misconfigured: "
              + MAX_PENDING_FLOWS
              + " and "
              + MAX_PENDING_FLOWS_PER_ADDRESS
              + " must be positive");
    }
    LOG.info(() -> "Workspace sign-in through the OpenID provider as client " + client.get());
    return new SignOnTokens(
        verifier,
        Optional.of(
            new OidcLogin(
                settings.get(),
                client.get(),
                secret,
                verifier.get(),
                maxFlows,
                maxFlowsPerAddress,
                clock)));
  }

  /**
   * Most sign-in failure buckets kept ({@link SignInThrottle}): each of a fixed size (a name is
   * kept as its digest), some 20 MB when full.
   */
  static final int MAX_SIGN_IN_BUCKETS = 100_000;

  /**
   * The throttle on password sign-ins, from {@code arbiter.security.sign-in-*}.
   *
   * @throws IllegalArgumentException when a limit is not positive or the delay out of range
   */
  @Produces
  @Singleton
  SignInThrottle signInThrottle(
      Clock clock,
      @ConfigProperty(name = "arbiter.security.sign-in-failures") int perUser,
      @ConfigProperty(name = "arbiter.security.sign-in-failures-per-address") int perAddress,
      @ConfigProperty(name = "arbiter.security.sign-in-max-delay") java.time.Duration maxDelay) {
    return new SignInThrottle(
        new SignInThrottle.Limits(perUser, perAddress, maxDelay, MAX_SIGN_IN_BUCKETS), clock);
  }

  @Produces
  @Singleton
  DeploymentMode mode(@ConfigProperty(name = DeploymentMode.KEY) String mode) {
    return DeploymentMode.parse(mode);
  }

  /**
   * @throws IllegalStateException in production mode with a missing or default password: the
   *     application does not start, and the message says why
   */
  static void check(
      @Observes @Priority(StartupOrder.SECURITY) @Initialized(ApplicationScoped.class) Object event,
      DeploymentMode mode,
      // Built here, at start-up, so that a half-configured single sign-on or a sign-in limit out
      // of range stops the server now, not every sign-in later.
      SignOnTokens tokens,
      SignInThrottle throttle,
      @ConfigProperty(name = ProductionReadiness.KEYSTORE_PASSWORD)
          Optional<String> keystorePassword) {
    if (mode == DeploymentMode.DEMO) {
      LOG.warning(
          "DEMO MODE (arbiter.mode=demo): the demo users of the README sign in with a shared"
              + " password over plain HTTP. Never expose this server; any other start runs in"
              + " production mode (docs/configuration.md#production-mode).");
      return;
    }
    List<String> faults = ProductionReadiness.faults(keystorePassword, new JaasPasswordProbe());
    if (!faults.isEmpty()) {
      String refusal = ProductionReadiness.refusal(faults);
      LOG.severe(refusal);
      throw new IllegalStateException(refusal);
    }
    LOG.info("Production mode: no demo password in use; credentials are taken over HTTPS only.");
  }
}
