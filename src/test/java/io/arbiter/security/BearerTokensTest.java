package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verification rules on tokens signed here with a key of the test's own; that a real provider's
 * tokens pass them, and through the server, is SsoIT's.
 */
class BearerTokensTest {

  /** The remote address a refusal's log line names. */
  private static final String CLIENT = "192.0.2.7";

  private static final String ISSUER = "https://idp.example/realms/arbiter";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private static RsaJsonWebKey key;
  private static RsaJsonWebKey stranger;

  private final TestClock clock = new TestClock(NOW);
  private final SsoSettings settings =
      new SsoSettings(
          ISSUER,
          URI.create("https://idp.example/jwks"),
          "arbiter-api",
          "groups",
          "tenants",
          Optional.empty(),
          Duration.ofSeconds(30));

  @BeforeAll
  static void keys() throws Exception {
    key = RsaJwkGenerator.generateJwk(2048);
    key.setKeyId("k1");
    stranger = RsaJwkGenerator.generateJwk(2048);
    stranger.setKeyId("k1"); // the same key id, another key: only the signature tells them apart
  }

  private BearerTokens tokens(SsoSettings settings) {
    return new BearerTokens(settings, new JwksVerificationKeyResolver(List.of(key)), clock);
  }

  private static JwtClaims claims() {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience("arbiter-api");
    claims.setSubject("f3a9c2");
    claims.setClaim("preferred_username", "ada");
    claims.setStringListClaim("groups", "auditor", "reviewer", "finance-dept");
    claims.setStringListClaim("tenants", "acme");
    claims.setIssuedAt(NumericDate.fromMilliseconds(NOW.toEpochMilli()));
    claims.setExpirationTime(NumericDate.fromMilliseconds(NOW.plusSeconds(300).toEpochMilli()));
    return claims;
  }

  private static String sign(JwtClaims claims, RsaJsonWebKey with) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(with.getPrivateKey());
    jws.setKeyIdHeaderValue(with.getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return jws.getCompactSerialization();
  }

  private static String token(Consumer<JwtClaims> change) throws Exception {
    JwtClaims claims = claims();
    change.accept(claims);
    return sign(claims, key);
  }

  @Test
  void verify_validToken_namesTheUserWithRolesFromGroupsAndTenantsFromTheirClaim()
      throws Exception {
    TokenIdentity who = tokens(settings).verify(token(c -> {}), CLIENT).orElseThrow();
    assertEquals("ada", who.user());
    assertEquals(Set.of("auditor", "reviewer"), who.roles(), "finance-dept is no role");
    assertEquals(Set.of("acme"), who.tenants());
  }

  @Test
  void verify_userName_followsMpJwtOrder_orTheConfiguredClaim() throws Exception {
    assertEquals(
        "ada@example.org",
        tokens(settings)
            .verify(token(c -> c.setClaim("upn", "ada@example.org")), CLIENT)
            .orElseThrow()
            .user());
    assertEquals(
        "f3a9c2",
        tokens(settings)
            .verify(token(c -> c.unsetClaim("preferred_username")), CLIENT)
            .orElseThrow()
            .user());
    SsoSettings byEmail =
        new SsoSettings(
            ISSUER,
            settings.jwksUri(),
            "arbiter-api",
            "groups",
            "tenants",
            Optional.of("email"),
            Duration.ZERO);
    assertEquals(
        "ada@example.org",
        tokens(byEmail)
            .verify(token(c -> c.setClaim("email", "ada@example.org")), CLIENT)
            .orElseThrow()
            .user());
    assertTrue(tokens(byEmail).verify(token(c -> {}), CLIENT).isEmpty(), "no email claim: no one");
  }

  @Test
  void verify_singleStringGroups_andConfiguredClaimNames() throws Exception {
    SsoSettings entra =
        new SsoSettings(
            ISSUER,
            settings.jwksUri(),
            "arbiter-api",
            "roles",
            "extension_tenants",
            Optional.empty(),
            Duration.ZERO);
    TokenIdentity who =
        tokens(entra)
            .verify(
                token(
                    c -> {
                      c.setClaim("roles", "integrator");
                      c.setStringListClaim("extension_tenants", "globex", "initech");
                    }),
                CLIENT)
            .orElseThrow();
    assertEquals(Set.of("integrator"), who.roles());
    assertEquals(Set.of("globex", "initech"), who.tenants());
  }

  @Test
  void verify_noGroupsOrTenants_isACallerWithoutRolesOrTenants() throws Exception {
    TokenIdentity who =
        tokens(settings)
            .verify(
                token(
                    c -> {
                      c.unsetClaim("groups");
                      c.setClaim("tenants", 42);
                    }),
                CLIENT)
            .orElseThrow();
    assertEquals(Set.of(), who.roles());
    assertEquals(Set.of(), who.tenants());
  }

  @Test
  void verify_wrongAudienceIssuerOrNoSubject_refused() throws Exception {
    BearerTokens tokens = tokens(settings);
    assertTrue(tokens.verify(token(c -> c.setAudience("another-app")), CLIENT).isEmpty());
    assertTrue(tokens.verify(token(c -> c.unsetClaim("aud")), CLIENT).isEmpty());
    assertTrue(tokens.verify(token(c -> c.setIssuer(ISSUER + "-evil")), CLIENT).isEmpty());
    assertTrue(tokens.verify(token(c -> c.unsetClaim("sub")), CLIENT).isEmpty());
  }

  @Test
  void verify_expiry_allowsTheClockSkewOnly() throws Exception {
    BearerTokens tokens = tokens(settings);
    String token = token(c -> {});
    clock.advance(Duration.ofSeconds(300 + 29));
    assertTrue(tokens.verify(token, CLIENT).isPresent(), "within the skew");
    clock.advance(Duration.ofSeconds(2));
    assertTrue(tokens.verify(token, CLIENT).isEmpty(), "expired");
    assertTrue(tokens.verify(token(c -> c.unsetClaim("exp")), CLIENT).isEmpty(), "exp is required");
  }

  @Test
  void verify_notYetValid_refused() throws Exception {
    assertTrue(
        tokens(settings)
            .verify(
                token(c -> c.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 120))),
                CLIENT)
            .isEmpty());
  }

  @Test
  void verify_tamperedOrForeignSignature_refused() throws Exception {
    BearerTokens tokens = tokens(settings);
    String[] parts = token(c -> {}).split("\\.");
    JwtClaims raised = claims();
    raised.setStringListClaim("groups", "admin");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(raised.toJson().getBytes())
            + "."
            + parts[2];
    assertTrue(tokens.verify(tampered, CLIENT).isEmpty(), "payload changed under the signature");
    assertTrue(tokens.verify(sign(claims(), stranger), CLIENT).isEmpty(), "signed by another key");
  }

  @Test
  void verify_unsignedOrSharedSecret_refused() throws Exception {
    BearerTokens tokens = tokens(settings);
    JsonWebSignature none = new JsonWebSignature();
    none.setPayload(claims().toJson());
    none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
    none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
    assertTrue(tokens.verify(none.getCompactSerialization(), CLIENT).isEmpty(), "alg none");
    JsonWebSignature hmac = new JsonWebSignature();
    hmac.setPayload(claims().toJson());
    hmac.setKey(new HmacKey(key.getPublicKey().getEncoded()));
    hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    hmac.setDoKeyValidation(false);
    assertTrue(
        tokens.verify(hmac.getCompactSerialization(), CLIENT).isEmpty(),
        "HS256 keyed by the public key");
  }

  @Test
  void verify_garbageOrOversized_refused() {
    BearerTokens tokens = tokens(settings);
    assertTrue(tokens.verify("", CLIENT).isEmpty());
    assertTrue(tokens.verify("not-a-token", CLIENT).isEmpty());
    assertTrue(tokens.verify("a.b.c", CLIENT).isEmpty());
    assertTrue(tokens.verify("x".repeat(BearerTokens.MAX_TOKEN_LENGTH + 1), CLIENT).isEmpty());
  }

  @Test
  void refusal_isLoggedWithTheClientAndTheFailedChecks_neverTheToken() throws Exception {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(BearerTokens.class.getName());
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord line) {
            lines.add(line.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      String foreign = token(c -> c.setAudience("another-app"));
      assertTrue(tokens(settings).verify(foreign, CLIENT).isEmpty());
      assertEquals(
          List.of("A bearer token from " + CLIENT + " was refused: another audience"), lines);
      assertTrue(
          lines.stream().noneMatch(l -> l.contains(foreign.split("\\.")[2])),
          "the token's signature is not logged");
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void signOnTokens_off_refusesEveryToken() throws Exception {
    assertTrue(SignOnTokens.OFF.verify(token(c -> {}), CLIENT).isEmpty());
    assertTrue(!SignOnTokens.OFF.enabled());
  }
}
