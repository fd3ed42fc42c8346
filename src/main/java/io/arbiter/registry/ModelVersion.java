package io.arbiter.registry;

import io.arbiter.event.DomainEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered model version: the software agent that makes decisions.
 *
 * @param owner team or person accountable for the model
 */
public record ModelVersion(
    ModelVersionRef ref, Optional<String> description, Optional<String> owner) {

  public ModelVersion {
    Objects.requireNonNull(ref, "ref");
  }

  /** The event that records a model version in the graph ({@code model.registered}). */
  public record Registered(ModelVersion model, String actor, Instant time, String subjectIri)
      implements DomainEvent {
    public static final String TYPE = "model.registered";

    @Override
    public String type() {
      return TYPE;
    }
  }
}
