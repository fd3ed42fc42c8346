package io.arbiter.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an integrator wants to hear of settled decisions, and the secret deliveries are signed with
 * (shown to the integrator once, when registering).
 */
public record CallbackRegistration(
    String integrator, URI url, String secret, Instant registeredAt) {
  public CallbackRegistration {
    Objects.requireNonNull(integrator, "integrator");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(registeredAt, "registeredAt");
  }
}
