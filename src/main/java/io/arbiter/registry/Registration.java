package io.arbiter.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * A registry entry with who registered it, when, and its IRI; for model versions also the approval,
 * once given.
 */
public record Registration<T>(
    T value, String iri, String registeredBy, Instant registeredAt, Optional<Approval> approval) {

  /** Who approved a model version for use, and when. */
  public record Approval(String approvedBy, Instant approvedAt, Optional<String> note) {}

  Registration<T> approved(Approval approval) {
    return new Registration<>(value, iri, registeredBy, registeredAt, Optional.of(approval));
  }
}
