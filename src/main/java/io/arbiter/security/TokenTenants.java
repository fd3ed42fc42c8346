package io.arbiter.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Set;

/**
 * The tenant claim of the bearer token the current request signed in with: the sign-in mechanism
 * keeps it in a request attribute ({@link #ATTRIBUTE}), and this hands it to whoever asks about the
 * request's own caller.
 */
@ApplicationScoped
public class TokenTenants implements CallerTenants {

  /** Request attribute: the {@link TokenIdentity#tenants()} of the request's bearer token. */
  public static final String ATTRIBUTE = "io.arbiter.security.token-tenants";

  @Inject HttpServletRequest request;

  @Override
  public Set<String> of(String caller) {
    try {
      Principal principal = request.getUserPrincipal();
      if (principal != null
          && principal.getName().equals(caller)
          && request.getAttribute(ATTRIBUTE) instanceof Set<?> tenants) {
        return tenants.stream()
            .filter(String.class::isInstance)
            .map(String.class::cast)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
      }
    } catch (ContextNotActiveException | IllegalStateException noRequest) {
      // a background task: no credentials, so nothing beyond the grants file
    }
    return Set.of();
  }
}
