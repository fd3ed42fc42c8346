package io.arbiter.security;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Single sign-on with an OpenID provider (Keycloak, Entra ID, Okta, ...), from {@code
 * arbiter.sso.*}: bearer tokens it issues are taken beside the user registry's passwords. Off
 * unless {@link #ISSUER} is set, so the demo and every server configured before it keep signing in
 * with the registry alone.
 *
 * @param issuer the {@code iss} every token must carry, exactly as the provider writes it
 * @param jwksUri where the provider publishes its signing keys (a JSON Web Key Set)
 * @param audience an {@code aud} every token must include: the identifier the provider gives
 *     Arbiter's API, so that a token issued for another application is refused
 * @param groupsClaim the claim whose values are Arbiter's role names ({@link Roles})
 * @param tenantClaim the claim whose values are tenant ids the caller may name
 * @param userClaim the claim naming the caller, or empty for MicroProfile JWT's order: {@code upn},
 *     {@code preferred_username}, {@code sub}
 * @param clockSkew how far the provider's clock may be from ours when expiry is checked
 */
public record SsoSettings(
    String issuer,
    URI jwksUri,
    String audience,
    String groupsClaim,
    String tenantClaim,
    Optional<String> userClaim,
    Duration clockSkew) {

  public static final String ISSUER = "arbiter.sso.issuer";
  public static final String JWKS_URI = "arbiter.sso.jwks-uri";
  public static final String AUDIENCE = "arbiter.sso.audience";
  public static final String GROUPS_CLAIM = "arbiter.sso.groups-claim";
  public static final String TENANT_CLAIM = "arbiter.sso.tenant-claim";
  public static final String USER_CLAIM = "arbiter.sso.user-claim";
  public static final String CLOCK_SKEW = "arbiter.sso.clock-skew";

  /**
   * The settings, or empty when single sign-on is off ({@link #ISSUER} unset or blank).
   *
   * @param config a configuration look-up (MicroProfile Config in the server)
   * @param mode production refuses a key set fetched over plain HTTP: whoever sits on the path
   *     could hand Arbiter keys of their own and sign any token
   * @throws IllegalArgumentException naming every setting at fault, so that the server does not
   *     start half-configured
   */
  public static Optional<SsoSettings> from(
      Function<String, Optional<String>> config, DeploymentMode mode) {
    Optional<String> issuer = value(config, ISSUER);
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    List<String> faults = new ArrayList<>();
    // The issuer too: the browser sign-in finds its token endpoint from the issuer's discovery
    // document and sends the client secret and the code there.
    secureUrl(ISSUER, issuer.get(), mode, faults);
    URI jwks = null;
    Optional<String> jwksText = value(config, JWKS_URI);
    if (jwksText.isEmpty()) {
      faults.add(JWKS_URI + " is required with " + ISSUER);
    } else {
      jwks = secureUrl(JWKS_URI, jwksText.get(), mode, faults);
    }
    Optional<String> audience = value(config, AUDIENCE);
    if (audience.isEmpty()) {
      faults.add(AUDIENCE + " is required with " + ISSUER + " (the aud Arbiter's tokens carry)");
    }
    Duration skew = Duration.ofSeconds(30);
    Optional<String> skewText = value(config, CLOCK_SKEW);
    if (skewText.isPresent()) {
      try {
        skew = Duration.parse(skewText.get());
        if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
          faults.add(CLOCK_SKEW + " must be between PT0S and PT5M");
        }
      } catch (DateTimeParseException e) {
        faults.add(CLOCK_SKEW + " must be an ISO-8601 duration such as PT30S");
      }
    }
    if (!faults.isEmpty()) {
      throw new IllegalArgumentException(
          "single sign-on is misconfigured: " + String.join("; ", faults));
    }
    return Optional.of(
        new SsoSettings(
            issuer.get(),
            jwks,
            audience.get(),
            value(config, GROUPS_CLAIM).orElse("groups"),
            value(config, TENANT_CLAIM).orElse("tenants"),
            value(config, USER_CLAIM),
            skew));
  }

  /** {@code text} as a URL, adding a fault unless it is https (or http in demo mode). */
  private static URI secureUrl(String key, String text, DeploymentMode mode, List<String> faults) {
    try {
      URI url = URI.create(text);
      String scheme = String.valueOf(url.getScheme());
      if (!scheme.equals("https") && !(scheme.equals("http") && mode == DeploymentMode.DEMO)) {
        faults.add(
            key + " must be an https URL" + (scheme.equals("http") ? " in production mode" : ""));
      }
      return url;
    } catch (IllegalArgumentException e) {
      faults.add(key + " is not a URL: " + text);
      return null;
    }
  }

  private static Optional<String> value(Function<String, Optional<String>> config, String key) {
    return config.apply(key).map(String::strip).filter(v -> !v.isEmpty());
  }
}
