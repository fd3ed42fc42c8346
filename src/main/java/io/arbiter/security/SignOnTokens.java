package io.arbiter.security;

import java.util.Optional;

/**
 * The server's bearer-token sign-in: the verifier of {@link SsoSettings} when single sign-on is
 * configured, else nothing (every bearer token is refused, and the user registry signs everyone
 * in).
 */
public final class SignOnTokens {

  /** Single sign-on off. */
  public static final SignOnTokens OFF = new SignOnTokens(Optional.empty());

  private final Optional<BearerTokens> verifier;

  public SignOnTokens(Optional<BearerTokens> verifier) {
    this.verifier = verifier;
  }

  public boolean enabled() {
    return verifier.isPresent();
  }

  /** Who the token names; empty when it is not valid, or single sign-on is off. */
  public Optional<TokenIdentity> verify(String token) {
    return verifier.flatMap(v -> v.verify(token));
  }
}
