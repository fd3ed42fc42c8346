package io.arbiter.security;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Verifies the bearer tokens of the configured OpenID provider ({@link SsoSettings}), in this
 * order: a compact JWS signed with an asymmetric algorithm (never {@code none}, never a shared
 * secret) by a key of the provider's key set; then {@code iss} equal to the issuer, {@code aud}
 * including the audience, {@code exp} present and not past (give or take the clock skew), {@code
 * nbf} not future, and a subject. A token failing any of them names no one: the caller gets 401,
 * and the reason goes to the log only, since it would tell a forger what to fix.
 *
 * <p>The key set is fetched when first needed and again when a token names a key it lacks (the
 * provider rotated its keys), so the provider need not be up when Arbiter starts.
 */
public final class BearerTokens {

  private static final Logger LOG = Logger.getLogger(BearerTokens.class.getName());

  /** Signature algorithms accepted: the asymmetric ones OpenID providers sign with. */
  private static final String[] ALGORITHMS = {
    AlgorithmIdentifiers.RSA_USING_SHA256,
    AlgorithmIdentifiers.RSA_USING_SHA384,
    AlgorithmIdentifiers.RSA_USING_SHA512,
    AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
    AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
    AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
    AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
    AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512,
    AlgorithmIdentifiers.EDDSA
  };

  /** The longest token looked at; real ones are a few kilobytes. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final SsoSettings settings;
  private final VerificationKeyResolver keys;
  private final Clock clock;

  /**
   * @param keys resolves a token's signing key (the provider's key set, or a fixed one in tests)
   */
  public BearerTokens(SsoSettings settings, VerificationKeyResolver keys, Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.clock = clock;
  }

  /** Verifies against the key set at {@link SsoSettings#jwksUri()}. */
  public static BearerTokens remote(SsoSettings settings, Clock clock) {
    HttpsJwks jwks = new HttpsJwks(settings.jwksUri().toString());
    Get get = new Get();
    get.setConnectTimeout(2_000);
    get.setReadTimeout(2_000);
    jwks.setSimpleHttpGet(get);
    return new BearerTokens(settings, new HttpsJwksVerificationKeyResolver(jwks), clock);
  }

  /**
   * The caller a token names, or empty when it is not a valid token of the provider for us.
   *
   * @param client who sent it, for the log line of a refusal (the request's remote address): an
   *     operator tracing a misconfigured client, or a forger, needs to know where tokens come from
   */
  public Optional<TokenIdentity> verify(String token, String client) {
    return claims(token, client).flatMap(claims -> identity(claims, client));
  }

  /** A valid token's claims (for checks beyond these, such as an ID token's nonce). */
  Optional<JwtClaims> claims(String token, String client) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      LOG.info(() -> "A bearer token from " + client + " was refused: empty or too long");
      return Optional.empty();
    }
    try {
      return Optional.of(
          new JwtConsumerBuilder()
              .setVerificationKeyResolver(keys)
              .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS)
              .setExpectedIssuer(settings.issuer())
              .setExpectedAudience(settings.audience())
              .setRequireExpirationTime()
              .setRequireSubject()
              .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds())
              .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
              .build()
              .processToClaims(token));
    } catch (InvalidJwtException refused) {
      LOG.info(() -> "A bearer token from " + client + " was refused: " + reason(refused));
      return Optional.empty();
    }
  }

  /** Who valid claims name: empty when they name no user. */
  Optional<TokenIdentity> identity(JwtClaims claims, String client) {
    Optional<String> user = user(claims);
    if (user.isEmpty()) {
      LOG.info(() -> "A bearer token from " + client + " was refused: it names no user");
      return Optional.empty();
    }
    Set<String> roles = new LinkedHashSet<>(strings(claims, settings.groupsClaim()));
    roles.retainAll(Roles.ALL);
    return Optional.of(
        new TokenIdentity(user.get(), roles, Set.copyOf(strings(claims, settings.tenantClaim()))));
  }

  /** Verifies with the same provider and keys, for another audience (an ID token's client). */
  BearerTokens forAudience(String audience) {
    return new BearerTokens(
        new SsoSettings(
            settings.issuer(),
            settings.jwksUri(),
            audience,
            settings.groupsClaim(),
            settings.tenantClaim(),
            settings.userClaim(),
            settings.clockSkew()),
        keys,
        clock);
  }

  /**
   * What failed, for the server's log: the names of the failed checks only. The library's own
   * messages quote the token, a credential (valid for some other audience, perhaps), and its
   * claims, which name a person; neither belongs in a log, nor anything of it in the answer.
   */
  static String reason(InvalidJwtException refused) {
    if (refused.getErrorDetails().isEmpty()) {
      return "not a signed JWT";
    }
    return String.join(
        ", ",
        refused.getErrorDetails().stream()
            .map(
                d ->
                    switch (d.getErrorCode()) {
                      case ErrorCodes.EXPIRED -> "expired";
                      case ErrorCodes.EXPIRATION_MISSING -> "no exp";
                      case ErrorCodes.NOT_YET_VALID -> "not yet valid";
                      case ErrorCodes.AUDIENCE_MISSING -> "no aud";
                      case ErrorCodes.AUDIENCE_INVALID -> "another audience";
                      case ErrorCodes.ISSUER_MISSING -> "no iss";
                      case ErrorCodes.ISSUER_INVALID -> "another issuer";
                      case ErrorCodes.SIGNATURE_INVALID -> "bad signature";
                      case ErrorCodes.SIGNATURE_MISSING -> "unsigned";
                      case ErrorCodes.SUBJECT_MISSING -> "no sub";
                      case ErrorCodes.JSON_INVALID, ErrorCodes.MALFORMED_CLAIM -> "malformed";
                      default ->
                          "unverifiable (no key of the provider's key set matches, or an algorithm"
                              + " not accepted)";
                    })
            .distinct()
            .toList());
  }

  private Optional<String> user(JwtClaims claims) {
    List<String> names =
        settings.userClaim().map(List::of).orElse(List.of("upn", "preferred_username", "sub"));
    for (String name : names) {
      if (claims.getClaimValue(name) instanceof String value && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /**
   * A claim's values: a JSON array of strings, or one string (some providers send a single group
   * that way). Anything else counts as none.
   */
  static List<String> strings(JwtClaims claims, String name) {
    Object value = claims.getClaimValue(name);
    if (value instanceof String one) {
      return one.isBlank() ? List.of() : List.of(one);
    }
    if (value instanceof Collection<?> many) {
      return many.stream()
          .filter(String.class::isInstance)
          .map(String.class::cast)
          .filter(s -> !s.isBlank())
          .toList();
    }
    return List.of();
  }
}
