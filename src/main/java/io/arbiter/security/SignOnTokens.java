package io.arbiter.security;

import java.util.Optional;

/**
 * The server's single sign-on: the bearer-token verifier of {@link SsoSettings} and the browser's
 * sign-in through the provider when configured, else nothing (every bearer token is refused, and
 * the user registry signs everyone in).
 */
public final class SignOnTokens {

  /** Single sign-on off. */
  public static final SignOnTokens OFF = new SignOnTokens(Optional.empty(), Optional.empty());

  private final Optional<BearerTokens> verifier;
  private final Optional<OidcLogin> browser;

  /**
   * @param browser the workspace's sign-in through the provider, when a client is configured
   */
  public SignOnTokens(Optional<BearerTokens> verifier, Optional<OidcLogin> browser) {
    this.verifier = verifier;
    this.browser = browser;
  }

  /** Browser sign-in through the provider, if configured ({@code arbiter.sso.client-id}). */
  public Optional<OidcLogin> browser() {
    return browser;
  }

  public boolean enabled() {
    return verifier.isPresent();
  }

  /**
   * Who the token names; empty when it is not valid, or single sign-on is off.
   *
   * @param client the request's remote address, which a refusal's log line names
   */
  public Optional<TokenIdentity> verify(String token, String client) {
    return verifier.flatMap(v -> v.verify(token, client));
  }
}
